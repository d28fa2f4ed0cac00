// Package arn parses, formats and matches Amazon Resource Names.
//
// An ARN has six colon-separated components:
//
//	arn:partition:service:region:account-id:resource
//
// The resource component is everything after the fifth colon and may itself
// contain colons and slashes.
package arn

import (
	"errors"
	"strings"

	"github.com/gatehouse-dev/gatehouse/wildcard"
)

// ARN is a parsed Amazon Resource Name.
type ARN struct {
	Partition string
	Service   string
	Region    string
	Account   string
	Resource  string
}

// ErrMalformed is returned by [Parse] for strings that are not ARNs.
var ErrMalformed = errors.New("arn: malformed ARN")

// Parse parses s as an ARN. It requires the "arn" prefix, a non-empty
// partition and service, and at least six components.
func Parse(s string) (ARN, error) {
	parts, ok := Split(s)
	if !ok || parts[0] != "arn" || parts[1] == "" || parts[2] == "" {
		return ARN{}, ErrMalformed
	}
	return ARN{Partition: parts[1], Service: parts[2], Region: parts[3], Account: parts[4], Resource: parts[5]}, nil
}

// String formats a as "arn:partition:service:region:account:resource".
func (a ARN) String() string {
	return "arn:" + a.Partition + ":" + a.Service + ":" + a.Region + ":" + a.Account + ":" + a.Resource
}

// Split cuts s at its first five colons. ok is false when s has fewer than
// five colons. Split never allocates.
func Split(s string) (parts [6]string, ok bool) {
	for i := 0; i < 5; i++ {
		j := strings.IndexByte(s, ':')
		if j < 0 {
			return parts, false
		}
		parts[i], s = s[:j], s[j+1:]
	}
	parts[5] = s
	return parts, true
}

// Match reports whether value matches pattern the way the ArnLike condition
// operator and the Resource element compare them: both are cut into their
// six components and each component is matched on its own, case-sensitively,
// with '*' and '?' wildcards. A '*' never spans a colon that separates
// components, but spans '/' and ':' inside the resource component. The
// pattern "*" matches every value.
func Match(pattern, value string) bool {
	if pattern == "*" {
		return true
	}
	pp, ok := Split(pattern)
	if !ok {
		return false
	}
	vp, ok := Split(value)
	if !ok {
		return false
	}
	for i := range pp {
		if !wildcard.Match(pp[i], vp[i]) {
			return false
		}
	}
	return true
}
