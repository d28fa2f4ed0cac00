package s3ops

import (
	"encoding/xml"
	"io"
	"strings"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/op"
	"github.com/gatehouse-dev/gatehouse/policy"
	"github.com/gatehouse-dev/gatehouse/s3"
)

type createUploadIn struct {
	objectIn
	objectHeaders
	ChecksumAlgorithm string `rest:"header,x-amz-checksum-algorithm"`
}

func (in *createUploadIn) object() *objectIn { return &in.objectIn }

type initiateResult struct {
	XMLName  xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ InitiateMultipartUploadResult"`
	Bucket   string
	Key      string
	UploadId string
}

type initiateOut struct {
	Algorithm string          `rest:"header,x-amz-checksum-algorithm"`
	Result    *initiateResult `rest:"body"`
}

type uploadPartIn struct {
	objectIn
	UploadID     string    `rest:"query,uploadId"`
	PartNumber   int       `rest:"query,partNumber"`
	Body         io.Reader `rest:"body"`
	ContentMD5   string    `rest:"header,Content-MD5"`
	SDKAlgorithm string    `rest:"header,x-amz-sdk-checksum-algorithm"`
	Trailer      string    `rest:"header,x-amz-trailer"`
	checksumHeaders
}

func (in *uploadPartIn) object() *objectIn { return &in.objectIn }

type completeRequest struct {
	Parts []struct {
		PartNumber     int
		ETag           string
		ChecksumCRC32  string
		ChecksumCRC32C string
		ChecksumSHA1   string
		ChecksumSHA256 string
	} `xml:"Part"`
}

type completeIn struct {
	objectIn
	UploadID string          `rest:"query,uploadId"`
	Request  completeRequest `rest:"body"`
}

func (in *completeIn) object() *objectIn { return &in.objectIn }

type completeResult struct {
	XMLName        xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ CompleteMultipartUploadResult"`
	Location       string
	Bucket         string
	Key            string
	ETag           string
	ChecksumCRC32  string `xml:",omitempty"`
	ChecksumCRC32C string `xml:",omitempty"`
	ChecksumSHA1   string `xml:",omitempty"`
	ChecksumSHA256 string `xml:",omitempty"`
}

type completeOut struct {
	VersionID string          `rest:"header,x-amz-version-id"`
	SSE       string          `rest:"header,x-amz-server-side-encryption"`
	Result    *completeResult `rest:"body"`
}

type uploadIDIn struct {
	objectIn
	UploadID         string `rest:"query,uploadId"`
	MaxParts         *int   `rest:"query,max-parts"`
	PartNumberMarker int    `rest:"query,part-number-marker"`
}

func (in *uploadIDIn) object() *objectIn { return &in.objectIn }

type partEntry struct {
	PartNumber     int
	LastModified   string
	ETag           string
	Size           int64
	ChecksumCRC32  string `xml:",omitempty"`
	ChecksumCRC32C string `xml:",omitempty"`
	ChecksumSHA1   string `xml:",omitempty"`
	ChecksumSHA256 string `xml:",omitempty"`
}

type listPartsOut struct {
	XMLName              xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ListPartsResult"`
	Bucket               string
	Key                  string
	UploadId             string
	PartNumberMarker     int
	NextPartNumberMarker int
	MaxParts             int
	IsTruncated          bool
	Parts                []partEntry `xml:"Part"`
	Initiator            owner
	Owner                owner
	StorageClass         string
	ChecksumAlgorithm    string `xml:",omitempty"`
}

type listUploadsIn struct {
	bucketIn
	Prefix         string `rest:"query,prefix"`
	KeyMarker      string `rest:"query,key-marker"`
	UploadIDMarker string `rest:"query,upload-id-marker"`
	MaxUploads     *int   `rest:"query,max-uploads"`
}

func (in *listUploadsIn) target() *bucketIn { return &in.bucketIn }

type uploadEntry struct {
	Key          string
	UploadId     string
	Initiated    string
	StorageClass string
	Owner        owner
	Initiator    owner
}

type listUploadsOut struct {
	XMLName            xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ListMultipartUploadsResult"`
	Bucket             string
	KeyMarker          string
	UploadIdMarker     string
	NextKeyMarker      string `xml:",omitempty"`
	NextUploadIdMarker string `xml:",omitempty"`
	Prefix             string
	MaxUploads         int
	IsTruncated        bool
	Uploads            []uploadEntry `xml:"Upload"`
}

// setChecksum puts a checksum in the field of its algorithm.
func setChecksum(alg, v string, crc32, crc32c, sha1, sha256 *string) {
	switch alg {
	case "CRC32":
		*crc32 = v
	case "CRC32C":
		*crc32c = v
	case "SHA1":
		*sha1 = v
	case "SHA256":
		*sha256 = v
	}
}

// createMultipartUpload starts an upload: s3:PutObject, with
// s3:x-amz-acl when the request sends a canned ACL, as PutObject.
func createMultipartUpload(d Deps) op.Row {
	spec := objectSpec(d, "s3:PutObject", (*createUploadIn).object, func(c *op.Call, in *createUploadIn, b *gatehouse.Bucket) (any, error) {
		if !allowedACLs[in.ACL] {
			return nil, aclNotSupported()
		}
		tags, err := parseTagging(in.Tagging)
		if err != nil {
			return nil, err
		}
		alg := strings.ToUpper(in.ChecksumAlgorithm)
		u, err := d.S3.CreateMultipartUpload(c.Ctx, b, s3.CreateUploadInput{Key: in.Key, Headers: in.stored(), Metadata: in.Meta,
			Tags: tags, ChecksumAlgorithm: alg, Owner: writer(c, b)})
		if err != nil {
			return nil, err
		}
		return initiateOut{Algorithm: alg, Result: &initiateResult{Bucket: b.Name, Key: in.Key, UploadId: u.ID}}, nil
	})
	addContext(&spec, func(c *op.Call, in *createUploadIn, ctx *policy.Context) { aclContext(in.ACL, ctx) })
	return op.New("CreateMultipartUpload", spec)
}

func multipartRows(d Deps) []op.Row {
	return []op.Row{
		createMultipartUpload(d),
		op.New("UploadPart", objectSpec(d, "s3:PutObject", (*uploadPartIn).object, func(c *op.Call, in *uploadPartIn, b *gatehouse.Bucket) (any, error) {
			declared := in.declared()
			var algs []string
			for a := range declared {
				algs = append(algs, a)
			}
			if a := s3.ChecksumAlgorithm(in.Trailer); a != "" {
				algs = append(algs, a)
			}
			up := s3.UploadPartInput{Key: in.Key, UploadID: in.UploadID, Number: in.PartNumber, ContentMD5: in.ContentMD5,
				Checksums: declared, Algorithms: algs}
			if t, ok := in.Body.(trailers); ok && in.Trailer != "" {
				up.Trailer = t.Trailers
			}
			p, err := d.S3.UploadPart(c.Ctx, b, up, in.Body)
			if err != nil {
				return nil, err
			}
			out := putObjectOut{ETag: `"` + p.ETag + `"`, SSE: "AES256"}
			return out, nil
		})),
		op.New("CompleteMultipartUpload", objectSpec(d, "s3:PutObject", (*completeIn).object, func(c *op.Call, in *completeIn, b *gatehouse.Bucket) (any, error) {
			var parts []s3.CompletedPart
			for _, p := range in.Request.Parts {
				cp := s3.CompletedPart{Number: p.PartNumber, ETag: p.ETag}
				for _, v := range []string{p.ChecksumCRC32, p.ChecksumCRC32C, p.ChecksumSHA1, p.ChecksumSHA256} {
					if v != "" {
						cp.Checksum = v
					}
				}
				parts = append(parts, cp)
			}
			o, err := d.S3.CompleteMultipartUpload(c.Ctx, b, in.Key, in.UploadID, parts)
			if err != nil {
				return nil, err
			}
			r := &completeResult{Location: c.BaseURL + "/" + b.Name + "/" + in.Key, Bucket: b.Name, Key: in.Key, ETag: `"` + o.ETag + `"`}
			for alg, v := range o.Checksums {
				setChecksum(alg, v, &r.ChecksumCRC32, &r.ChecksumCRC32C, &r.ChecksumSHA1, &r.ChecksumSHA256)
			}
			return completeOut{VersionID: versionHeader(b, o.VersionID), SSE: "AES256", Result: r}, nil
		})),
		op.New("AbortMultipartUpload", objectSpec(d, "s3:AbortMultipartUpload", (*uploadIDIn).object, func(c *op.Call, in *uploadIDIn, b *gatehouse.Bucket) (any, error) {
			return done204, d.S3.AbortMultipartUpload(c.Ctx, b, in.Key, in.UploadID)
		})),
		op.New("ListParts", objectSpec(d, "s3:ListMultipartUploadParts", (*uploadIDIn).object, func(c *op.Call, in *uploadIDIn, b *gatehouse.Bucket) (any, error) {
			limit := 1000
			if in.MaxParts != nil {
				limit = *in.MaxParts
			}
			u, parts, truncated, err := d.S3.ListParts(c.Ctx, b, in.Key, in.UploadID, in.PartNumberMarker, limit)
			if err != nil {
				return nil, err
			}
			who := owner{ID: s3.CanonicalUserID(u.Owner)}
			out := listPartsOut{Bucket: b.Name, Key: in.Key, UploadId: u.ID, PartNumberMarker: in.PartNumberMarker, MaxParts: limit,
				IsTruncated: truncated, Initiator: who, Owner: who, StorageClass: "STANDARD", ChecksumAlgorithm: u.ChecksumAlgorithm}
			for _, p := range parts {
				e := partEntry{PartNumber: p.Number, LastModified: s3Time(p.Modified), ETag: `"` + p.ETag + `"`, Size: p.Size}
				setChecksum(u.ChecksumAlgorithm, p.Checksum, &e.ChecksumCRC32, &e.ChecksumCRC32C, &e.ChecksumSHA1, &e.ChecksumSHA256)
				out.Parts = append(out.Parts, e)
				out.NextPartNumberMarker = p.Number
			}
			return out, nil
		})),
		op.New("ListMultipartUploads", bucketSpec(d, "s3:ListBucketMultipartUploads", (*listUploadsIn).target, func(c *op.Call, in *listUploadsIn, b *gatehouse.Bucket) (any, error) {
			limit := 1000
			if in.MaxUploads != nil {
				limit = *in.MaxUploads
			}
			ups, truncated, err := d.S3.ListUploads(c.Ctx, b, in.Prefix, in.KeyMarker, in.UploadIDMarker, limit)
			if err != nil {
				return nil, err
			}
			out := listUploadsOut{Bucket: b.Name, KeyMarker: in.KeyMarker, UploadIdMarker: in.UploadIDMarker, Prefix: in.Prefix,
				MaxUploads: limit, IsTruncated: truncated}
			for _, u := range ups {
				who := owner{ID: s3.CanonicalUserID(u.Owner)}
				out.Uploads = append(out.Uploads, uploadEntry{Key: u.Key, UploadId: u.ID, Initiated: s3Time(u.Initiated), StorageClass: "STANDARD", Owner: who, Initiator: who})
			}
			if truncated && len(ups) > 0 {
				out.NextKeyMarker, out.NextUploadIdMarker = ups[len(ups)-1].Key, ups[len(ups)-1].ID
			}
			return out, nil
		})),
	}
}
