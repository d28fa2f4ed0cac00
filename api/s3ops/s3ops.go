// Package s3ops is the S3 operation table (s3 2006-03-01, REST-XML):
// the routes that name each operation, its wire inputs and results, and
// one op.Spec row per operation over the s3 service.
package s3ops

import (
	"net/http"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/op"
	"github.com/gatehouse-dev/gatehouse/api/restxml"
	"github.com/gatehouse-dev/gatehouse/authz"
	"github.com/gatehouse-dev/gatehouse/policy"
	"github.com/gatehouse-dev/gatehouse/s3"
)

// Deps is what the S3 rows run on.
type Deps struct {
	S3 *s3.Service
	// MFA verifies the root user's MFA codes for MFA delete.
	MFA MFAVerifier
	// InsecureMFA accepts x-amz-mfa over plain HTTP (gatehouse serve
	// --insecure-mfa-delete, for development); AWS requires HTTPS.
	InsecureMFA bool
}

// Rows returns the S3 operation table.
func Rows(d Deps) []op.Row {
	var rows []op.Row
	rows = append(rows, bucketRows(d)...)
	rows = append(rows, bucketConfigRows(d)...)
	rows = append(rows, objectRows(d)...)
	rows = append(rows, listRows(d)...)
	rows = append(rows, multipartRows(d)...)
	rows = append(rows, objectTaggingRows(d)...)
	return rows
}

// Routes tells S3's operations apart by method, target, query and
// headers (aws-s3.md §1.3), the more specific first.
var Routes = []restxml.Route{
	{Method: http.MethodGet, Target: restxml.Service, Op: "ListBuckets"},

	{Method: http.MethodPut, Target: restxml.Bucket, Query: []string{"versioning"}, Op: "PutBucketVersioning"},
	{Method: http.MethodPut, Target: restxml.Bucket, Query: []string{"policy"}, Op: "PutBucketPolicy"},
	{Method: http.MethodPut, Target: restxml.Bucket, Query: []string{"tagging"}, Op: "PutBucketTagging"},
	{Method: http.MethodPut, Target: restxml.Bucket, Query: []string{"publicAccessBlock"}, Op: "PutPublicAccessBlock"},
	{Method: http.MethodPut, Target: restxml.Bucket, Query: []string{"acl"}, Op: "PutBucketAcl"},
	{Method: http.MethodPut, Target: restxml.Bucket, Op: "CreateBucket"},
	{Method: http.MethodGet, Target: restxml.Bucket, Query: []string{"versioning"}, Op: "GetBucketVersioning"},
	{Method: http.MethodGet, Target: restxml.Bucket, Query: []string{"policyStatus"}, Op: "GetBucketPolicyStatus"},
	{Method: http.MethodGet, Target: restxml.Bucket, Query: []string{"policy"}, Op: "GetBucketPolicy"},
	{Method: http.MethodGet, Target: restxml.Bucket, Query: []string{"tagging"}, Op: "GetBucketTagging"},
	{Method: http.MethodGet, Target: restxml.Bucket, Query: []string{"location"}, Op: "GetBucketLocation"},
	{Method: http.MethodGet, Target: restxml.Bucket, Query: []string{"publicAccessBlock"}, Op: "GetPublicAccessBlock"},
	{Method: http.MethodGet, Target: restxml.Bucket, Query: []string{"acl"}, Op: "GetBucketAcl"},
	{Method: http.MethodGet, Target: restxml.Bucket, Query: []string{"versions"}, Op: "ListObjectVersions"},
	{Method: http.MethodGet, Target: restxml.Bucket, Query: []string{"uploads"}, Op: "ListMultipartUploads"},
	{Method: http.MethodGet, Target: restxml.Bucket, Query: []string{"list-type=2"}, Op: "ListObjectsV2"},
	{Method: http.MethodGet, Target: restxml.Bucket, Op: "ListObjects"},
	{Method: http.MethodHead, Target: restxml.Bucket, Op: "HeadBucket"},
	{Method: http.MethodDelete, Target: restxml.Bucket, Query: []string{"policy"}, Op: "DeleteBucketPolicy"},
	{Method: http.MethodDelete, Target: restxml.Bucket, Query: []string{"tagging"}, Op: "DeleteBucketTagging"},
	{Method: http.MethodDelete, Target: restxml.Bucket, Query: []string{"publicAccessBlock"}, Op: "DeletePublicAccessBlock"},
	{Method: http.MethodDelete, Target: restxml.Bucket, Op: "DeleteBucket"},
	{Method: http.MethodPost, Target: restxml.Bucket, Query: []string{"delete"}, Op: "DeleteObjects"},

	{Method: http.MethodPut, Target: restxml.Object, Query: []string{"tagging"}, Op: "PutObjectTagging"},
	{Method: http.MethodPut, Target: restxml.Object, Query: []string{"partNumber", "uploadId"}, Header: []string{"X-Amz-Copy-Source"}, Op: "UploadPartCopy"},
	{Method: http.MethodPut, Target: restxml.Object, Query: []string{"partNumber", "uploadId"}, Op: "UploadPart"},
	{Method: http.MethodPut, Target: restxml.Object, Header: []string{"X-Amz-Copy-Source"}, Op: "CopyObject"},
	{Method: http.MethodPut, Target: restxml.Object, Op: "PutObject"},
	{Method: http.MethodGet, Target: restxml.Object, Query: []string{"tagging"}, Op: "GetObjectTagging"},
	{Method: http.MethodGet, Target: restxml.Object, Query: []string{"uploadId"}, Op: "ListParts"},
	{Method: http.MethodGet, Target: restxml.Object, Op: "GetObject"},
	{Method: http.MethodHead, Target: restxml.Object, Op: "HeadObject"},
	{Method: http.MethodDelete, Target: restxml.Object, Query: []string{"tagging"}, Op: "DeleteObjectTagging"},
	{Method: http.MethodDelete, Target: restxml.Object, Query: []string{"uploadId"}, Op: "AbortMultipartUpload"},
	{Method: http.MethodDelete, Target: restxml.Object, Op: "DeleteObject"},
	{Method: http.MethodPost, Target: restxml.Object, Query: []string{"uploads"}, Op: "CreateMultipartUpload"},
	{Method: http.MethodPost, Target: restxml.Object, Query: []string{"uploadId"}, Op: "CompleteMultipartUpload"},
}

// bucketIn is the part of every bucket and object input that names the
// bucket, and the bucket itself once the precheck has read it.
type bucketIn struct {
	Bucket string `rest:"bucket"`
	bucket *gatehouse.Bucket
}

// loadBucket is the precheck of every operation on a bucket: an unknown
// bucket is NoSuchBucket before authorization, as at S3.
// The request must be signed for the bucket's region, but for
// anyRegion operations (GetBucketLocation): the answer to a wrong one is
// AuthorizationHeaderMalformed naming the right one, which the SDKs
// follow (aws-s3.md §1.4).
func loadBucket(d Deps, anyRegion bool) func(c *op.Call, in *bucketIn) error {
	return func(c *op.Call, in *bucketIn) error {
		b, err := d.S3.Bucket(c.Ctx, c.Caller.Account.Partition, in.Bucket)
		if err != nil {
			return err
		}
		// An anonymous request names no region: the bucket's is used.
		if !anyRegion && c.Region != "" && b.Region != c.Region {
			return gatehouse.Errorf("AuthorizationHeaderMalformed", "The authorization header is malformed; the region '%s' is wrong; expecting '%s'", c.Region, b.Region).
				With("Region", b.Region).With("header:X-Amz-Bucket-Region", b.Region)
		}
		in.bucket = b
		return nil
	}
}

// bucketARN is the resource of a bucket operation.
func bucketARN(in *bucketIn) string { return in.bucket.ARN() }

// bucketPolicy fills in the bucket's owner and policy. A public policy
// of a bucket with RestrictPublicBuckets grants nothing to callers
// outside the owner's account (aws-s3.md §9.6): for them the policy is
// left out, which leaves them only what no resource policy can give
// across accounts (nothing).
func bucketPolicy(c *op.Call, in *bucketIn, r *authz.Request) {
	r.ResourceAccount = in.bucket.AccountID
	r.ResourcePolicy = in.bucket.Policy
	if c.Account() != in.bucket.AccountID && s3.RestrictsPolicy(in.bucket) {
		r.ResourcePolicy = ""
	}
	r.ResourcePolicyID = in.bucket.ARN()
	r.ResourceType = policy.ResourcePolicy
}

// bucketSpec returns a spec whose input embeds bucketIn: the bucket is
// read before authorization, and its ARN, owner and policy authorize.
func bucketSpec[In any](d Deps, action string, in func(*In) *bucketIn, handle func(c *op.Call, in *In, b *gatehouse.Bucket) (any, error)) op.Spec[In] {
	return bucketSpecIn(d, false, action, in, handle)
}

// bucketSpecIn is bucketSpec, for requests signed for any region when
// anyRegion is set.
func bucketSpecIn[In any](d Deps, anyRegion bool, action string, in func(*In) *bucketIn, handle func(c *op.Call, in *In, b *gatehouse.Bucket) (any, error)) op.Spec[In] {
	load := loadBucket(d, anyRegion)
	return op.Spec[In]{
		Context:        func(c *op.Call, x *In, ctx *policy.Context) { s3Context(c, ctx) },
		Action:         action,
		Precheck:       func(c *op.Call, x *In) error { return load(c, in(x)) },
		Resource:       func(c *op.Call, x *In) string { return bucketARN(in(x)) },
		ResourcePolicy: func(c *op.Call, x *In, r *authz.Request) { bucketPolicy(c, in(x), r) },
		Handle:         func(c *op.Call, x *In) (any, error) { return handle(c, x, in(x).bucket) },
	}
}

// writer is the account that owns what a request writes: the caller's,
// or the bucket owner's for an anonymous request (with ObjectOwnership
// BucketOwnerEnforced, every new bucket's, the owner owns every object).
func writer(c *op.Call, b *gatehouse.Bucket) string {
	if c.Caller.Anonymous {
		return b.AccountID
	}
	return c.Account()
}

// s3Context sets the condition keys S3 gives every request it
// authenticated (aws-s3.md §9.2): s3:authType (REST-HEADER, or
// REST-QUERY-STRING for a presigned URL) and s3:signatureversion. An
// anonymous request has neither.
func s3Context(c *op.Call, ctx *policy.Context) {
	if c.Caller.Anonymous {
		return
	}
	authType := "REST-HEADER"
	if c.Presigned {
		authType = "REST-QUERY-STRING"
	}
	ctx.Set("s3:authType", authType)
	ctx.Set("s3:signatureversion", "AWS4-HMAC-SHA256")
}

// addContext adds condition keys to a spec's own.
func addContext[In any](spec *op.Spec[In], f func(c *op.Call, in *In, ctx *policy.Context)) {
	prev := spec.Context
	spec.Context = func(c *op.Call, in *In, ctx *policy.Context) {
		if prev != nil {
			prev(c, in, ctx)
		}
		f(c, in, ctx)
	}
}

// aclContext sets s3:x-amz-acl from the canned ACL a request sends.
func aclContext(acl string, ctx *policy.Context) {
	if acl != "" {
		ctx.Set("s3:x-amz-acl", acl)
	}
}

// existingTags reads the tags of the object version a request names, for
// s3:ExistingObjectTag/<key>; an object that is not there has none (the
// operation then answers NoSuchKey, if it is allowed to run).
func existingTags(c *op.Call, d Deps, b *gatehouse.Bucket, key, versionID string) []gatehouse.Tag {
	o, err := d.S3.ObjectTags(c.Ctx, b, key, versionID)
	if err != nil {
		return nil
	}
	return o.Tags
}

// tagContext sets s3:ExistingObjectTag/<key> for each tag.
func tagContext(tags []gatehouse.Tag, ctx *policy.Context) {
	for _, t := range tags {
		ctx.Set("s3:ExistingObjectTag/"+t.Key, t.Value)
	}
}
