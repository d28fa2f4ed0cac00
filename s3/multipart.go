package s3

import (
	"context"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"hash"
	"io"
	"strconv"
	"strings"

	"github.com/gatehouse-dev/gatehouse"
)

// Multipart upload limits (aws-s3.md §6.1).
const (
	MaxParts    = 10000
	MinPartSize = 5 << 20 // every part but the last
	MaxPartSize = 5 << 30
)

// CodeNoSuchUpload and the other multipart errors.
const (
	CodeNoSuchUpload     gatehouse.Code = "NoSuchUpload"
	CodeInvalidPart      gatehouse.Code = "InvalidPart"
	CodeInvalidPartOrder gatehouse.Code = "InvalidPartOrder"
	CodeEntityTooSmall   gatehouse.Code = "EntityTooSmall"
)

func noSuchUpload(id string) error {
	return gatehouse.Errorf(CodeNoSuchUpload, "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.").With("UploadId", id)
}

// CreateUploadInput is what CreateMultipartUpload keeps for the object.
type CreateUploadInput struct {
	Key               string
	Headers, Metadata map[string]string
	Tags              []gatehouse.Tag
	ChecksumAlgorithm string
	Owner             string
}

// CreateMultipartUpload starts an upload.
func (s *Service) CreateMultipartUpload(ctx context.Context, b *gatehouse.Bucket, in CreateUploadInput) (*gatehouse.Upload, error) {
	if err := CheckKey(in.Key); err != nil {
		return nil, err
	}
	if n := metadataSize(in.Metadata); n > MaxMetadataBytes {
		return nil, gatehouse.Errorf(CodeMetadataTooLarge, "Your metadata headers exceed the maximum allowed metadata size")
	}
	if err := checkTags(in.Tags, 10); err != nil {
		return nil, err
	}
	if in.ChecksumAlgorithm != "" && checksumAlgorithms[in.ChecksumAlgorithm] == nil {
		return nil, invalidArgument("Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]", "x-amz-checksum-algorithm", in.ChecksumAlgorithm)
	}
	id, err := s.newVersionID()
	if err != nil {
		return nil, err
	}
	u := &gatehouse.Upload{ID: id, BucketID: b.ID, Key: in.Key, Initiated: s.now(), Headers: in.Headers, Metadata: in.Metadata,
		Tags: in.Tags, Owner: in.Owner, ChecksumAlgorithm: in.ChecksumAlgorithm}
	err = s.Store.Update(ctx, func(tx Tx) error { return tx.CreateUpload(u) })
	return u, err
}

// upload returns an upload of the bucket's key (NoSuchUpload).
func (s *Service) upload(ctx context.Context, b *gatehouse.Bucket, key, id string) (*gatehouse.Upload, error) {
	var u *gatehouse.Upload
	err := s.Store.View(ctx, func(tx Tx) error {
		var err error
		u, err = tx.Upload(b.ID, key, id)
		return err
	})
	if gatehouse.ErrorCode(err) == gatehouse.CodeNotFound {
		return nil, noSuchUpload(id)
	}
	return u, err
}

// UploadPartInput is UploadPart's input besides the body.
type UploadPartInput struct {
	Key, UploadID string
	Number        int
	ContentMD5    string
	Checksums     map[string]string
	Algorithms    []string
	Trailer       func() map[string]string
}

// UploadPart streams one part into a blob and stores it, replacing a
// part of the same number.
func (s *Service) UploadPart(ctx context.Context, b *gatehouse.Bucket, in UploadPartInput, body io.Reader) (*gatehouse.Part, error) {
	if in.Number < 1 || in.Number > MaxParts {
		return nil, invalidArgument("Part number must be an integer between 1 and 10000, inclusive", "partNumber", strconv.Itoa(in.Number))
	}
	u, err := s.upload(ctx, b, in.Key, in.UploadID)
	if err != nil {
		return nil, err
	}
	algs := in.Algorithms
	if u.ChecksumAlgorithm != "" {
		algs = append(algs, u.ChecksumAlgorithm)
	}
	d := newDigester(algs)
	pending, err := s.Blobs.Create(io.TeeReader(io.LimitReader(body, MaxPartSize+1), d))
	if err != nil {
		return nil, bodyError(err)
	}
	defer pending.Discard()
	if pending.Size() > MaxPartSize {
		return nil, gatehouse.Errorf(CodeEntityTooLarge, "Your proposed upload exceeds the maximum allowed size").
			With("ProposedSize", itoa(pending.Size())).With("MaxSizeAllowed", itoa(MaxPartSize))
	}
	checksums, err := d.verify(in.ContentMD5, mergeTrailer(in.Checksums, in.Trailer))
	if err != nil {
		return nil, err
	}
	if err := pending.Commit(); err != nil {
		return nil, err
	}
	p := &gatehouse.Part{UploadID: u.ID, Number: in.Number, Size: pending.Size(), ETag: d.etag(), Modified: s.now(),
		Checksum: checksums[u.ChecksumAlgorithm], BlobID: pending.ID()}
	var replaced *gatehouse.Part
	err = s.Store.Update(ctx, func(tx Tx) error {
		var err error
		replaced, err = tx.PutPart(p)
		return err
	})
	if err != nil {
		s.Blobs.Remove(p.BlobID)
		if gatehouse.ErrorCode(err) == gatehouse.CodeNotFound {
			return nil, noSuchUpload(in.UploadID)
		}
		return nil, err
	}
	if replaced != nil {
		s.Blobs.Remove(replaced.BlobID)
	}
	p.Checksum = checksums[u.ChecksumAlgorithm]
	return p, nil
}

// mergeTrailer adds an aws-chunked trailer's checksums to the declared
// ones.
func mergeTrailer(declared map[string]string, trailer func() map[string]string) map[string]string {
	if trailer == nil {
		return declared
	}
	out := map[string]string{}
	for k, v := range declared {
		out[k] = v
	}
	for h, v := range trailer() {
		if alg := ChecksumAlgorithm(h); alg != "" {
			out[alg] = v
		}
	}
	return out
}

// CompletedPart is one part named in CompleteMultipartUpload.
type CompletedPart struct {
	Number int
	ETag   string
	// Checksum is the part's checksum in the upload's algorithm, when
	// sent.
	Checksum string
}

// CompleteMultipartUpload joins the named parts, in ascending order,
// into the object: each must have been uploaded with that ETag, and
// every part but the last must be at least 5 MiB. The object's ETag is
// the MD5 of the parts' MD5s and "-N", as S3 computes it.
func (s *Service) CompleteMultipartUpload(ctx context.Context, b *gatehouse.Bucket, key, uploadID string, parts []CompletedPart) (*gatehouse.Object, error) {
	u, err := s.upload(ctx, b, key, uploadID)
	if err != nil {
		return nil, err
	}
	if len(parts) == 0 {
		return nil, gatehouse.Errorf(CodeMalformedXML, "The XML you provided was not well-formed or did not validate against our published schema")
	}
	var stored []*gatehouse.Part
	err = s.Store.View(ctx, func(tx Tx) error {
		var err error
		stored, err = tx.Parts(u.ID, 0, MaxParts+1)
		return err
	})
	if err != nil {
		return nil, err
	}
	byNumber := map[int]*gatehouse.Part{}
	for _, p := range stored {
		byNumber[p.Number] = p
	}
	var blobs []string
	sum := md5.New()
	// The object's checksum in the upload's algorithm is S3's composite:
	// the checksum of the parts' checksums, and "-N".
	var composite hash.Hash
	if f := checksumAlgorithms[u.ChecksumAlgorithm]; f != nil {
		composite = f()
	}
	for i := 1; i < len(parts); i++ {
		if parts[i].Number <= parts[i-1].Number {
			return nil, gatehouse.Errorf(CodeInvalidPartOrder, "The list of parts was not in ascending order. Parts must be ordered by part number.").With("UploadId", uploadID)
		}
	}
	var size int64
	for i, cp := range parts {
		p, ok := byNumber[cp.Number]
		if !ok || !etagMatches(cp.ETag, p.ETag) {
			return nil, gatehouse.Errorf(CodeInvalidPart, "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.").
				With("UploadId", uploadID).With("PartNumber", strconv.Itoa(cp.Number)).With("ETag", cp.ETag)
		}
		if cp.Checksum != "" && cp.Checksum != p.Checksum {
			return nil, gatehouse.Errorf(CodeInvalidPart, "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.").
				With("UploadId", uploadID).With("PartNumber", strconv.Itoa(cp.Number))
		}
		if i < len(parts)-1 && p.Size < MinPartSize {
			return nil, gatehouse.Errorf(CodeEntityTooSmall, "Your proposed upload is smaller than the minimum allowed size").
				With("ProposedSize", itoa(p.Size)).With("MinSizeAllowed", itoa(MinPartSize)).With("PartNumber", strconv.Itoa(p.Number)).With("ETag", p.ETag)
		}
		raw, _ := hex.DecodeString(p.ETag)
		sum.Write(raw)
		if c, err := base64.StdEncoding.DecodeString(p.Checksum); composite != nil && err == nil && p.Checksum != "" {
			composite.Write(c)
		} else {
			composite = nil // a part without one: no composite
		}
		size += p.Size
		blobs = append(blobs, p.BlobID)
	}
	pending, err := s.Blobs.Concat(blobs)
	if err != nil {
		return nil, err
	}
	defer pending.Discard()
	if err := pending.Commit(); err != nil {
		return nil, err
	}
	o := &gatehouse.Object{BucketID: b.ID, Key: key, Size: size, ETag: hex.EncodeToString(sum.Sum(nil)) + "-" + strconv.Itoa(len(parts)),
		Headers: u.Headers, Metadata: u.Metadata, Tags: u.Tags, Owner: u.Owner, BlobID: pending.ID(), Modified: s.now()}
	if composite != nil {
		o.Checksums = map[string]string{u.ChecksumAlgorithm: base64.StdEncoding.EncodeToString(composite.Sum(nil)) + "-" + strconv.Itoa(len(parts))}
	}
	var removed []*gatehouse.Part
	replaced, err := s.storeVersion(ctx, b, o, func(tx Tx) error {
		var err error
		removed, err = tx.DeleteUpload(u.ID)
		if gatehouse.ErrorCode(err) == gatehouse.CodeNotFound {
			return noSuchUpload(uploadID)
		}
		return err
	})
	if err != nil {
		s.Blobs.Remove(o.BlobID)
		return nil, err
	}
	for _, p := range removed {
		s.Blobs.Remove(p.BlobID)
	}
	if replaced != nil && replaced.BlobID != "" {
		s.Blobs.Remove(replaced.BlobID)
	}
	return o, nil
}

// AbortMultipartUpload deletes an upload and its parts.
func (s *Service) AbortMultipartUpload(ctx context.Context, b *gatehouse.Bucket, key, uploadID string) error {
	if _, err := s.upload(ctx, b, key, uploadID); err != nil {
		return err
	}
	var removed []*gatehouse.Part
	err := s.Store.Update(ctx, func(tx Tx) error {
		var err error
		removed, err = tx.DeleteUpload(uploadID)
		if gatehouse.ErrorCode(err) == gatehouse.CodeNotFound {
			return noSuchUpload(uploadID)
		}
		return err
	})
	if err != nil {
		return err
	}
	for _, p := range removed {
		s.Blobs.Remove(p.BlobID)
	}
	return nil
}

// ListParts returns an upload and up to limit of its parts numbered
// above after, and whether more follow.
func (s *Service) ListParts(ctx context.Context, b *gatehouse.Bucket, key, uploadID string, after, limit int) (*gatehouse.Upload, []*gatehouse.Part, bool, error) {
	u, err := s.upload(ctx, b, key, uploadID)
	if err != nil {
		return nil, nil, false, err
	}
	limit = min(max(limit, 0), 1000)
	var parts []*gatehouse.Part
	err = s.Store.View(ctx, func(tx Tx) error {
		var err error
		parts, err = tx.Parts(u.ID, after, limit+1)
		return err
	})
	truncated := len(parts) > limit
	if truncated {
		parts = parts[:limit]
	}
	return u, parts, truncated, err
}

// ListUploads returns up to limit uploads of the bucket after the
// markers, and whether more follow.
func (s *Service) ListUploads(ctx context.Context, b *gatehouse.Bucket, prefix, keyMarker, idMarker string, limit int) ([]*gatehouse.Upload, bool, error) {
	limit = min(max(limit, 0), 1000)
	var ups []*gatehouse.Upload
	err := s.Store.View(ctx, func(tx Tx) error {
		var err error
		ups, err = tx.Uploads(b.ID, prefix, keyMarker, idMarker, limit+1)
		return err
	})
	truncated := len(ups) > limit
	if truncated {
		ups = ups[:limit]
	}
	return ups, truncated, err
}

// UploadPartCopy makes a part of an upload from a version of another
// object, whole or the byte range of x-amz-copy-source-range
// ("bytes=first-last", both inclusive and within the object).
func (s *Service) UploadPartCopy(ctx context.Context, src *gatehouse.Bucket, from CopySource, dst *gatehouse.Bucket, key, uploadID string, number int, byteRange string, cond GetObjectInput) (*gatehouse.Part, *gatehouse.Object, error) {
	if number < 1 || number > MaxParts {
		return nil, nil, invalidArgument("Part number must be an integer between 1 and 10000, inclusive", "partNumber", strconv.Itoa(number))
	}
	u, err := s.upload(ctx, dst, key, uploadID)
	if err != nil {
		return nil, nil, err
	}
	source, err := s.version(ctx, src, from.Key, from.VersionID)
	if err != nil {
		return nil, nil, err
	}
	if err := checkCopySource(source, from, cond); err != nil {
		return nil, nil, err
	}
	start, length := int64(0), source.Size
	if byteRange != "" {
		first, last, ok := parseCopyRange(byteRange)
		if !ok || last >= source.Size {
			return nil, nil, invalidArgument("Range specified is not valid for source object of size: "+itoa(source.Size), "x-amz-copy-source-range", byteRange)
		}
		start, length = first, last-first+1
	}
	if length > MaxPartSize {
		return nil, nil, gatehouse.Errorf(CodeEntityTooLarge, "Your proposed upload exceeds the maximum allowed size")
	}
	f, err := s.openBytes(source)
	if err != nil {
		return nil, nil, internal("open blob of %q: %v", source.Key, err)
	}
	defer f.Close()
	var algs []string
	if u.ChecksumAlgorithm != "" {
		algs = []string{u.ChecksumAlgorithm}
	}
	d := newDigester(algs)
	pending, err := s.Blobs.Create(io.TeeReader(io.NewSectionReader(f, start, length), d))
	if err != nil {
		return nil, nil, err
	}
	defer pending.Discard()
	checksums, _ := d.verify("", nil)
	if err := pending.Commit(); err != nil {
		return nil, nil, err
	}
	p := &gatehouse.Part{UploadID: u.ID, Number: number, Size: pending.Size(), ETag: d.etag(), Modified: s.now(),
		Checksum: checksums[u.ChecksumAlgorithm], BlobID: pending.ID()}
	var replaced *gatehouse.Part
	err = s.Store.Update(ctx, func(tx Tx) error {
		var err error
		replaced, err = tx.PutPart(p)
		return err
	})
	if err != nil {
		s.Blobs.Remove(p.BlobID)
		if gatehouse.ErrorCode(err) == gatehouse.CodeNotFound {
			return nil, nil, noSuchUpload(uploadID)
		}
		return nil, nil, err
	}
	if replaced != nil {
		s.Blobs.Remove(replaced.BlobID)
	}
	return p, source, nil
}

// parseCopyRange reads "bytes=first-last".
func parseCopyRange(h string) (first, last int64, ok bool) {
	spec, found := strings.CutPrefix(h, "bytes=")
	if !found {
		return 0, 0, false
	}
	a, b, found := strings.Cut(spec, "-")
	if !found {
		return 0, 0, false
	}
	first, err1 := strconv.ParseInt(a, 10, 64)
	last, err2 := strconv.ParseInt(b, 10, 64)
	return first, last, err1 == nil && err2 == nil && first >= 0 && last >= first
}
