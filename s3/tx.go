package s3

import "github.com/gatehouse-dev/gatehouse"

// Tx is the part of gatehouse.Tx the s3 package uses
// (gatehouse.Narrow[s3.Tx] of the server's store).
type Tx interface {
	gatehouse.BucketTx
	gatehouse.ObjectTx
	gatehouse.UploadTx
}
