package api

import (
	"sort"

	"github.com/gatehouse-dev/gatehouse/s3"
)

// S3OperationNames returns the sorted operation names of the S3 table
// (served only when a Server has an S3 service, so OperationNames does
// not know it).
func S3OperationNames() []string {
	s := &Server{S3: &s3.Service{}}
	s.init()
	var names []string
	for name := range s.services["s3"].ops {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}
