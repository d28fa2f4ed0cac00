package s3ops

import (
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/op"
	"github.com/gatehouse-dev/gatehouse/policy"
	"github.com/gatehouse-dev/gatehouse/s3"
)

// objectIn names an object: its bucket and key.
type objectIn struct {
	bucketIn
	Key string `rest:"key"`
}

// objectSpec is bucketSpec for an operation on an object: the resource
// is the object's ARN.
func objectSpec[In any](d Deps, action string, in func(*In) *objectIn, handle func(c *op.Call, in *In, b *gatehouse.Bucket) (any, error)) op.Spec[In] {
	spec := bucketSpec(d, action, func(x *In) *bucketIn { return &in(x).bucketIn }, handle)
	spec.Resource = func(c *op.Call, x *In) string {
		o := in(x)
		return o.bucket.ARN() + "/" + o.Key
	}
	return spec
}

// objectHeaders are the headers of a write that describe the object it
// makes (PutObject, CreateMultipartUpload, CopyObject): the system
// headers S3 stores and GetObject returns, the user metadata, the tags
// and the canned ACL.
type objectHeaders struct {
	ContentType  string            `rest:"header,Content-Type"`
	CacheControl string            `rest:"header,Cache-Control"`
	Disposition  string            `rest:"header,Content-Disposition"`
	Encoding     string            `rest:"header,Content-Encoding"`
	Language     string            `rest:"header,Content-Language"`
	Expires      string            `rest:"header,Expires"`
	Meta         map[string]string `rest:"headers,x-amz-meta-"`
	Tagging      string            `rest:"header,x-amz-tagging"`
	ACL          string            `rest:"header,x-amz-acl"`
}

// stored returns the system headers sent, by canonical name.
func (h *objectHeaders) stored() map[string]string {
	headers := map[string]string{}
	for name, v := range map[string]string{"Content-Type": h.ContentType, "Cache-Control": h.CacheControl,
		"Content-Disposition": h.Disposition, "Content-Encoding": h.Encoding, "Content-Language": h.Language, "Expires": h.Expires} {
		if v != "" {
			headers[name] = v
		}
	}
	return headers
}

type checksumHeaders struct {
	CRC32     string `rest:"header,x-amz-checksum-crc32"`
	CRC32C    string `rest:"header,x-amz-checksum-crc32c"`
	CRC64NVME string `rest:"header,x-amz-checksum-crc64nvme"`
	SHA1      string `rest:"header,x-amz-checksum-sha1"`
	SHA256    string `rest:"header,x-amz-checksum-sha256"`
}

func (h *checksumHeaders) declared() map[string]string {
	m := map[string]string{}
	for alg, v := range map[string]string{"CRC32": h.CRC32, "CRC32C": h.CRC32C, "CRC64NVME": h.CRC64NVME, "SHA1": h.SHA1, "SHA256": h.SHA256} {
		if v != "" {
			m[alg] = v
		}
	}
	return m
}

type putObjectIn struct {
	objectIn
	objectHeaders
	Body         io.Reader `rest:"body"`
	ContentMD5   string    `rest:"header,Content-MD5"`
	SDKAlgorithm string    `rest:"header,x-amz-sdk-checksum-algorithm"`
	Trailer      string    `rest:"header,x-amz-trailer"`
	IfNoneMatch  string    `rest:"header,If-None-Match"`
	IfMatch      string    `rest:"header,If-Match"`
	checksumHeaders
}

func (in *putObjectIn) object() *objectIn { return &in.objectIn }

type putObjectOut struct {
	ETag      string `rest:"header,ETag"`
	VersionID string `rest:"header,x-amz-version-id"`
	SSE       string `rest:"header,x-amz-server-side-encryption"`
	CRC32     string `rest:"header,x-amz-checksum-crc32"`
	CRC32C    string `rest:"header,x-amz-checksum-crc32c"`
	CRC64NVME string `rest:"header,x-amz-checksum-crc64nvme"`
	SHA1      string `rest:"header,x-amz-checksum-sha1"`
	SHA256    string `rest:"header,x-amz-checksum-sha256"`
}

// trailers is what an aws-chunked body the edge decodes offers: its
// trailer headers, once it has been read to the end.
type trailers interface{ Trailers() map[string]string }

// parseTagging reads x-amz-tagging (a URL query string).
func parseTagging(s string) ([]gatehouse.Tag, error) {
	if s == "" {
		return nil, nil
	}
	q, err := url.ParseQuery(s)
	if err != nil {
		return nil, gatehouse.Errorf(s3.CodeInvalidArgument, "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.")
	}
	var tags []gatehouse.Tag
	for k, vs := range q {
		if len(vs) != 1 {
			return nil, gatehouse.Errorf(s3.CodeInvalidArgument, "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.")
		}
		tags = append(tags, gatehouse.Tag{Key: k, Value: vs[0]})
	}
	return tags, nil
}

// versionHeader is the x-amz-version-id S3 sends: none for a bucket
// where versioning was never enabled.
func versionHeader(b *gatehouse.Bucket, id string) string {
	if b.Versioning == "" {
		return ""
	}
	return id
}

// withoutChunked removes aws-chunked from a Content-Encoding: it frames
// the upload and is not stored (aws-s3.md §2.2).
func withoutChunked(enc string) string {
	var keep []string
	for _, e := range strings.Split(enc, ",") {
		if e = strings.TrimSpace(e); e != "" && !strings.EqualFold(e, "aws-chunked") {
			keep = append(keep, e)
		}
	}
	return strings.Join(keep, ",")
}

func putObject(d Deps) op.Row {
	spec := objectSpec(d, "s3:PutObject", (*putObjectIn).object, func(c *op.Call, in *putObjectIn, b *gatehouse.Bucket) (any, error) {
		if !allowedACLs[in.ACL] {
			return nil, aclNotSupported()
		}
		tags, err := parseTagging(in.Tagging)
		if err != nil {
			return nil, err
		}
		in.Encoding = withoutChunked(in.Encoding)
		headers := in.stored()
		declared := in.declared()
		var algorithms []string
		for alg := range declared {
			algorithms = append(algorithms, alg)
		}
		if alg := s3.ChecksumAlgorithm(in.Trailer); alg != "" {
			algorithms = append(algorithms, alg)
		} else if alg := strings.ToUpper(in.SDKAlgorithm); alg != "" && len(declared) == 0 {
			algorithms = append(algorithms, alg)
		}
		put := s3.PutObjectInput{Key: in.Key, Headers: headers, Metadata: in.Meta, Tags: tags, ContentMD5: in.ContentMD5,
			Checksums: declared, Algorithms: algorithms, IfNoneMatch: in.IfNoneMatch, IfMatch: in.IfMatch, Owner: writer(c, b)}
		if t, ok := in.Body.(trailers); ok && in.Trailer != "" {
			put.Trailer = t.Trailers
		}
		o, err := d.S3.PutObject(c.Ctx, b, put, in.Body)
		if err != nil {
			return nil, err
		}
		out := putObjectOut{ETag: `"` + o.ETag + `"`, VersionID: versionHeader(b, o.VersionID), SSE: "AES256"}
		for alg, v := range o.Checksums {
			switch alg {
			case "CRC32":
				out.CRC32 = v
			case "CRC32C":
				out.CRC32C = v
			case "CRC64NVME":
				out.CRC64NVME = v
			case "SHA1":
				out.SHA1 = v
			case "SHA256":
				out.SHA256 = v
			}
		}
		return out, nil
	})
	addContext(&spec, func(c *op.Call, in *putObjectIn, ctx *policy.Context) { aclContext(in.ACL, ctx) })
	return op.New("PutObject", spec)
}

type getObjectIn struct {
	objectIn
	VersionID       string     `rest:"query,versionId"`
	Range           string     `rest:"header,Range"`
	IfMatch         string     `rest:"header,If-Match"`
	IfNoneMatch     string     `rest:"header,If-None-Match"`
	IfModifiedSince *time.Time `rest:"header,If-Modified-Since"`
	IfUnmodSince    *time.Time `rest:"header,If-Unmodified-Since"`
	ChecksumMode    string     `rest:"header,x-amz-checksum-mode"`
	// Response header overrides (signed requests only).
	RespContentType        string `rest:"query,response-content-type"`
	RespContentDisposition string `rest:"query,response-content-disposition"`
	RespCacheControl       string `rest:"query,response-cache-control"`
	RespContentEncoding    string `rest:"query,response-content-encoding"`
	RespContentLanguage    string `rest:"query,response-content-language"`
	RespExpires            string `rest:"query,response-expires"`
}

func (in *getObjectIn) object() *objectIn { return &in.objectIn }

type getObjectOut struct {
	Status        int               `rest:"status"`
	ContentLength int64             `rest:"header,Content-Length"`
	ContentRange  string            `rest:"header,Content-Range"`
	AcceptRanges  string            `rest:"header,Accept-Ranges"`
	ETag          string            `rest:"header,ETag"`
	LastModified  time.Time         `rest:"header,Last-Modified"`
	VersionID     string            `rest:"header,x-amz-version-id"`
	SSE           string            `rest:"header,x-amz-server-side-encryption"`
	TagCount      string            `rest:"header,x-amz-tagging-count"`
	Headers       map[string]string `rest:"headers,"`
	Body          io.ReadCloser     `rest:"body"`
}

func getAction(in *getObjectIn) string {
	if in.VersionID != "" {
		return "s3:GetObjectVersion"
	}
	return "s3:GetObject"
}

// getObjectRow is GetObject (open true) or HeadObject.
func getObjectRow(d Deps, name string, open bool) op.Row {
	spec := objectSpec(d, "s3:GetObject", (*getObjectIn).object, func(c *op.Call, in *getObjectIn, b *gatehouse.Bucket) (any, error) {
		get := s3.GetObjectInput{Key: in.Key, VersionID: in.VersionID, Range: in.Range, IfMatch: in.IfMatch,
			IfNoneMatch: in.IfNoneMatch, IfModifiedSince: in.IfModifiedSince, IfUnmodSince: in.IfUnmodSince}
		var r *s3.ObjectRead
		var err error
		if open {
			r, err = d.S3.GetObject(c.Ctx, b, get)
		} else {
			r, err = d.S3.HeadObject(c.Ctx, b, get)
		}
		if err != nil {
			return nil, err
		}
		o := r.Object
		out := getObjectOut{ContentLength: r.Length, AcceptRanges: "bytes", ETag: `"` + o.ETag + `"`, LastModified: o.Modified,
			VersionID: versionHeader(b, o.VersionID), SSE: "AES256", Headers: map[string]string{}}
		if r.Body != nil {
			out.Body = r.Body
		}
		if r.Partial {
			out.Status = http.StatusPartialContent
			out.ContentRange = "bytes " + strconv.FormatInt(r.Start, 10) + "-" + strconv.FormatInt(r.Start+r.Length-1, 10) + "/" + strconv.FormatInt(o.Size, 10)
		}
		if len(o.Tags) > 0 {
			out.TagCount = strconv.Itoa(len(o.Tags))
		}
		for k, v := range o.Headers {
			out.Headers[k] = v
		}
		if _, ok := o.Headers["Content-Type"]; !ok {
			out.Headers["Content-Type"] = "binary/octet-stream"
		}
		for k, v := range o.Metadata {
			out.Headers["x-amz-meta-"+k] = v
		}
		if strings.EqualFold(in.ChecksumMode, "ENABLED") && !r.Partial {
			for alg, v := range o.Checksums {
				out.Headers[s3.ChecksumHeader(alg)] = v
			}
		}
		for name, v := range map[string]string{"Content-Type": in.RespContentType, "Content-Disposition": in.RespContentDisposition,
			"Cache-Control": in.RespCacheControl, "Content-Encoding": in.RespContentEncoding, "Content-Language": in.RespContentLanguage,
			"Expires": in.RespExpires} {
			if v != "" {
				out.Headers[name] = v
			}
		}
		return out, nil
	})
	spec.ActionFor = func(c *op.Call, in *getObjectIn) string { return getAction(in) }
	addContext(&spec, versionContext(func(in *getObjectIn) string { return in.VersionID }))
	addContext(&spec, func(c *op.Call, in *getObjectIn, ctx *policy.Context) {
		tagContext(existingTags(c, d, in.bucket, in.Key, in.VersionID), ctx)
	})
	return op.New(name, spec)
}

// versionContext sets s3:VersionId when the request names a version.
func versionContext[In any](version func(*In) string) func(c *op.Call, in *In, ctx *policy.Context) {
	return func(c *op.Call, in *In, ctx *policy.Context) {
		if v := version(in); v != "" {
			ctx.Set("s3:VersionId", v)
		}
	}
}

type deleteObjectIn struct {
	objectIn
	VersionID string `rest:"query,versionId"`
	MFA       string `rest:"header,x-amz-mfa"`
}

func (in *deleteObjectIn) object() *objectIn { return &in.objectIn }

type deleteObjectOut struct {
	Status       int    `rest:"status"`
	DeleteMarker bool   `rest:"header,x-amz-delete-marker"`
	VersionID    string `rest:"header,x-amz-version-id"`
}

func deleteObject(d Deps) op.Row {
	spec := objectSpec(d, "s3:DeleteObject", (*deleteObjectIn).object, func(c *op.Call, in *deleteObjectIn, b *gatehouse.Bucket) (any, error) {
		mfa, err := checkMFA(c, d, b, in.MFA, b.MFADelete && in.VersionID != "")
		if err != nil {
			return nil, err
		}
		del, err := d.S3.DeleteObject(c.Ctx, b, in.Key, in.VersionID, mfa, writer(c, b))
		if err != nil {
			return nil, err
		}
		return deleteObjectOut{Status: http.StatusNoContent, DeleteMarker: del.DeleteMarker, VersionID: versionHeader(b, del.VersionID)}, nil
	})
	spec.ActionFor = func(c *op.Call, in *deleteObjectIn) string {
		if in.VersionID != "" {
			return "s3:DeleteObjectVersion"
		}
		return "s3:DeleteObject"
	}
	addContext(&spec, versionContext(func(in *deleteObjectIn) string { return in.VersionID }))
	return op.New("DeleteObject", spec)
}

func objectRows(d Deps) []op.Row {
	return []op.Row{
		putObject(d),
		getObjectRow(d, "GetObject", true),
		getObjectRow(d, "HeadObject", false),
		deleteObject(d),
		deleteObjects(d),
	}
}
