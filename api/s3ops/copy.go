package s3ops

import (
	"encoding/xml"
	"strings"
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/op"
	"github.com/gatehouse-dev/gatehouse/authz"
	"github.com/gatehouse-dev/gatehouse/policy"
	"github.com/gatehouse-dev/gatehouse/s3"
)

// copySourceIn is the part of CopyObject's and UploadPartCopy's inputs
// that names the source object (x-amz-copy-source) and the conditions
// it must meet, and the source once the precheck has authorized reading
// it.
type copySourceIn struct {
	CopySource      string     `rest:"header,x-amz-copy-source"`
	IfMatch         string     `rest:"header,x-amz-copy-source-if-match"`
	IfNoneMatch     string     `rest:"header,x-amz-copy-source-if-none-match"`
	IfModifiedSince *time.Time `rest:"header,x-amz-copy-source-if-modified-since"`
	IfUnmodSince    *time.Time `rest:"header,x-amz-copy-source-if-unmodified-since"`

	source       s3.CopySource
	sourceBucket *gatehouse.Bucket
}

// conditions returns the source's conditions.
func (in *copySourceIn) conditions() s3.GetObjectInput {
	return s3.GetObjectInput{IfMatch: in.IfMatch, IfNoneMatch: in.IfNoneMatch, IfModifiedSince: in.IfModifiedSince, IfUnmodSince: in.IfUnmodSince}
}

// authorize is the precheck of a copy: it finds the source and
// authorizes reading it (authorizeSource).
func (in *copySourceIn) authorize(c *op.Call, d Deps) error {
	src, sb, err := authorizeSource(c, d, in.CopySource)
	in.source, in.sourceBucket = src, sb
	return err
}

type copyObjectIn struct {
	objectIn
	objectHeaders
	copySourceIn
	MetadataDirective string `rest:"header,x-amz-metadata-directive"`
	TaggingDirective  string `rest:"header,x-amz-tagging-directive"`
}

func (in *copyObjectIn) object() *objectIn { return &in.objectIn }

type copyObjectResult struct {
	XMLName        xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ CopyObjectResult"`
	LastModified   string
	ETag           string
	ChecksumCRC32  string `xml:",omitempty"`
	ChecksumCRC32C string `xml:",omitempty"`
	ChecksumSHA1   string `xml:",omitempty"`
	ChecksumSHA256 string `xml:",omitempty"`
}

type copyObjectOut struct {
	SourceVersionID string            `rest:"header,x-amz-copy-source-version-id"`
	VersionID       string            `rest:"header,x-amz-version-id"`
	SSE             string            `rest:"header,x-amz-server-side-encryption"`
	Result          *copyObjectResult `rest:"body"`
}

// copyObject copies an object: s3:PutObject on the destination (the
// row's action), and s3:GetObject (s3:GetObjectVersion for a version) on
// the source, with the source bucket's owner and policy.
func copyObject(d Deps) op.Row {
	spec := objectSpec(d, "s3:PutObject", (*copyObjectIn).object, func(c *op.Call, in *copyObjectIn, b *gatehouse.Bucket) (any, error) {
		if !allowedACLs[in.ACL] {
			return nil, aclNotSupported()
		}
		cp := s3.CopyObjectInput{Key: in.Key, Owner: writer(c, b),
			ReplaceMetadata: strings.EqualFold(in.MetadataDirective, "REPLACE"), ReplaceTags: strings.EqualFold(in.TaggingDirective, "REPLACE"),
			Conditions: in.conditions()}
		for _, dir := range []string{in.MetadataDirective, in.TaggingDirective} {
			if dir != "" && !strings.EqualFold(dir, "COPY") && !strings.EqualFold(dir, "REPLACE") {
				return nil, gatehouse.Errorf(s3.CodeInvalidArgument, "Unknown directive: %s", dir)
			}
		}
		if cp.ReplaceMetadata {
			cp.Headers, cp.Metadata = in.stored(), in.Meta
		}
		if cp.ReplaceTags {
			tags, err := parseTagging(in.Tagging)
			if err != nil {
				return nil, err
			}
			cp.Tags = tags
		}
		o, src, err := d.S3.CopyObject(c.Ctx, in.sourceBucket, in.source, b, cp)
		if err != nil {
			return nil, err
		}
		r := &copyObjectResult{LastModified: s3Time(o.Modified), ETag: `"` + o.ETag + `"`}
		for alg, v := range o.Checksums {
			setChecksum(alg, v, &r.ChecksumCRC32, &r.ChecksumCRC32C, &r.ChecksumSHA1, &r.ChecksumSHA256)
		}
		return copyObjectOut{SourceVersionID: versionHeader(in.sourceBucket, src.VersionID), VersionID: versionHeader(b, o.VersionID),
			SSE: "AES256", Result: r}, nil
	})
	spec.Precheck = chain(spec.Precheck, func(c *op.Call, in *copyObjectIn) error { return in.authorize(c, d) })
	addContext(&spec, func(c *op.Call, in *copyObjectIn, ctx *policy.Context) { aclContext(in.ACL, ctx) })
	return op.New("CopyObject", spec)
}

// chain runs two prechecks in order.
func chain[In any](a, b func(c *op.Call, in *In) error) func(c *op.Call, in *In) error {
	return func(c *op.Call, in *In) error {
		if err := a(c, in); err != nil {
			return err
		}
		return b(c, in)
	}
}

type objectTaggingIn struct {
	objectIn
	VersionID string  `rest:"query,versionId"`
	Tagging   tagging `rest:"body"`
}

func (in *objectTaggingIn) object() *objectIn { return &in.objectIn }

type objectVersionIn struct {
	objectIn
	VersionID string `rest:"query,versionId"`
}

func (in *objectVersionIn) object() *objectIn { return &in.objectIn }

type taggingOut struct {
	VersionID string   `rest:"header,x-amz-version-id"`
	Tagging   *tagging `rest:"body"`
}

type versionOut struct {
	Status    int    `rest:"status"`
	VersionID string `rest:"header,x-amz-version-id"`
}

// versionAction is an object tagging action, or its ...VersionTagging
// form when the request names a version.
func versionAction(action, versionAction string, version func() string) string {
	if version() != "" {
		return versionAction
	}
	return action
}

func objectTaggingRows(d Deps) []op.Row {
	get := objectSpec(d, "s3:GetObjectTagging", (*objectVersionIn).object, func(c *op.Call, in *objectVersionIn, b *gatehouse.Bucket) (any, error) {
		o, err := d.S3.ObjectTags(c.Ctx, b, in.Key, in.VersionID)
		if err != nil {
			return nil, err
		}
		return taggingOut{VersionID: versionHeader(b, o.VersionID), Tagging: &tagging{TagSet: fromTags(o.Tags)}}, nil
	})
	get.ActionFor = func(c *op.Call, in *objectVersionIn) string {
		return versionAction("s3:GetObjectTagging", "s3:GetObjectVersionTagging", func() string { return in.VersionID })
	}
	addContext(&get, versionContext(func(in *objectVersionIn) string { return in.VersionID }))
	addContext(&get, func(c *op.Call, in *objectVersionIn, ctx *policy.Context) {
		tagContext(existingTags(c, d, in.bucket, in.Key, in.VersionID), ctx)
	})
	put := objectSpec(d, "s3:PutObjectTagging", (*objectTaggingIn).object, func(c *op.Call, in *objectTaggingIn, b *gatehouse.Bucket) (any, error) {
		o, err := d.S3.PutObjectTags(c.Ctx, b, in.Key, in.VersionID, toTags(in.Tagging.TagSet))
		if err != nil {
			return nil, err
		}
		return versionOut{VersionID: versionHeader(b, o.VersionID)}, nil
	})
	put.ActionFor = func(c *op.Call, in *objectTaggingIn) string {
		return versionAction("s3:PutObjectTagging", "s3:PutObjectVersionTagging", func() string { return in.VersionID })
	}
	addContext(&put, versionContext(func(in *objectTaggingIn) string { return in.VersionID }))
	addContext(&put, func(c *op.Call, in *objectTaggingIn, ctx *policy.Context) {
		tagContext(existingTags(c, d, in.bucket, in.Key, in.VersionID), ctx)
	})
	del := objectSpec(d, "s3:DeleteObjectTagging", (*objectVersionIn).object, func(c *op.Call, in *objectVersionIn, b *gatehouse.Bucket) (any, error) {
		o, err := d.S3.PutObjectTags(c.Ctx, b, in.Key, in.VersionID, nil)
		if err != nil {
			return nil, err
		}
		return versionOut{Status: 204, VersionID: versionHeader(b, o.VersionID)}, nil
	})
	del.ActionFor = func(c *op.Call, in *objectVersionIn) string {
		return versionAction("s3:DeleteObjectTagging", "s3:DeleteObjectVersionTagging", func() string { return in.VersionID })
	}
	addContext(&del, versionContext(func(in *objectVersionIn) string { return in.VersionID }))
	addContext(&del, func(c *op.Call, in *objectVersionIn, ctx *policy.Context) {
		tagContext(existingTags(c, d, in.bucket, in.Key, in.VersionID), ctx)
	})
	return []op.Row{
		copyObject(d),
		uploadPartCopy(d),
		op.New("GetObjectTagging", get),
		op.New("PutObjectTagging", put),
		op.New("DeleteObjectTagging", del),
	}
}

type uploadPartCopyIn struct {
	objectIn
	copySourceIn
	UploadID        string `rest:"query,uploadId"`
	PartNumber      int    `rest:"query,partNumber"`
	CopySourceRange string `rest:"header,x-amz-copy-source-range"`
}

func (in *uploadPartCopyIn) object() *objectIn { return &in.objectIn }

type copyPartResult struct {
	XMLName      xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ CopyPartResult"`
	LastModified string
	ETag         string
}

type copyPartOut struct {
	SourceVersionID string          `rest:"header,x-amz-copy-source-version-id"`
	SSE             string          `rest:"header,x-amz-server-side-encryption"`
	Result          *copyPartResult `rest:"body"`
}

// uploadPartCopy makes a part from another object: s3:PutObject on the
// destination, s3:GetObject (or s3:GetObjectVersion) on the source.
func uploadPartCopy(d Deps) op.Row {
	spec := objectSpec(d, "s3:PutObject", (*uploadPartCopyIn).object, func(c *op.Call, in *uploadPartCopyIn, b *gatehouse.Bucket) (any, error) {
		p, src, err := d.S3.UploadPartCopy(c.Ctx, in.sourceBucket, in.source, b, in.Key, in.UploadID, in.PartNumber, in.CopySourceRange,
			in.conditions())
		if err != nil {
			return nil, err
		}
		return copyPartOut{SourceVersionID: versionHeader(in.sourceBucket, src.VersionID), SSE: "AES256",
			Result: &copyPartResult{LastModified: s3Time(p.Modified), ETag: `"` + p.ETag + `"`}}, nil
	})
	spec.Precheck = chain(spec.Precheck, func(c *op.Call, in *uploadPartCopyIn) error { return in.authorize(c, d) })
	return op.New("UploadPartCopy", spec)
}

// authorizeSource reads x-amz-copy-source, finds its bucket and
// authorizes reading it: s3:GetObject, or s3:GetObjectVersion for a
// version, with the source bucket's owner and policy.
func authorizeSource(c *op.Call, d Deps, header string) (s3.CopySource, *gatehouse.Bucket, error) {
	src, err := s3.ParseCopySource(header)
	if err != nil {
		return src, nil, err
	}
	sb, err := d.S3.Bucket(c.Ctx, c.Caller.Account.Partition, src.Bucket)
	if err != nil {
		return src, nil, err
	}
	action := "s3:GetObject"
	if src.VersionID != "" {
		action = "s3:GetObjectVersion"
	}
	return src, sb, op.Authorize(c, action, sb.ARN()+"/"+src.Key, func(r *authz.Request) {
		bucketPolicy(c, &bucketIn{Bucket: sb.Name, bucket: sb}, r)
		if src.VersionID != "" {
			r.Context.Set("s3:VersionId", src.VersionID)
		}
	})
}
