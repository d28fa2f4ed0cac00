package s3

import (
	"context"
	"errors"
	"io"
	"strconv"
	"unicode/utf8"

	"github.com/gatehouse-dev/gatehouse"
)

// Object limits (aws-s3.md §5.1).
const (
	MaxKeyBytes      = 1024
	MaxMetadataBytes = 2048
	// MaxPutObjectBytes is the largest single PutObject (5 GiB); larger
	// objects need a multipart upload.
	MaxPutObjectBytes = 5 << 30
)

// PutObjectInput is what PutObject needs besides the body.
type PutObjectInput struct {
	Key string
	// Headers are the system headers stored with the object
	// (Content-Type, Cache-Control, ...); Metadata the x-amz-meta-*
	// values by lower-case name.
	Headers  map[string]string
	Metadata map[string]string
	Tags     []gatehouse.Tag
	// ContentMD5 is the Content-MD5 header, "" for none. Checksums are
	// the x-amz-checksum-* headers sent (algorithm → base64);
	// Algorithms the algorithms to compute (the declared ones, and the
	// one an aws-chunked trailer will carry); Trailer returns the
	// trailer's checksums once the body has been read.
	ContentMD5 string
	Checksums  map[string]string
	Algorithms []string
	Trailer    func() map[string]string
	// IfNoneMatch "*" writes only when the key has no current object;
	// IfMatch writes only over the current object with that ETag.
	IfNoneMatch, IfMatch string
	Owner                string // the writer's account
}

// CheckKey applies S3's key rules: 1 to 1024 bytes of UTF-8.
func CheckKey(key string) error {
	switch {
	case key == "":
		return invalidArgument("Key cannot be empty", "key", "")
	case len(key) > MaxKeyBytes:
		return gatehouse.Errorf(CodeKeyTooLong, "Your key is too long").With("Size", itoa(int64(len(key)))).With("MaxSizeAllowed", itoa(MaxKeyBytes))
	case !utf8.ValidString(key):
		return invalidArgument("Object key is not valid UTF-8", "key", "")
	}
	return nil
}

func metadataSize(m map[string]string) int {
	n := 0
	for k, v := range m {
		n += len(k) + len(v)
	}
	return n
}

// PutObject streams body into a new blob, verifies its digests, and
// stores the new version: with a new version ID when the bucket's
// versioning is enabled, else as the "null" version, replacing the
// previous one. The blob is durable before the version is stored, and
// removed again when anything fails.
func (s *Service) PutObject(ctx context.Context, b *gatehouse.Bucket, in PutObjectInput, body io.Reader) (*gatehouse.Object, error) {
	if err := CheckKey(in.Key); err != nil {
		return nil, err
	}
	if n := metadataSize(in.Metadata); n > MaxMetadataBytes {
		return nil, gatehouse.Errorf(CodeMetadataTooLarge, "Your metadata headers exceed the maximum allowed metadata size").
			With("Size", itoa(int64(n))).With("MaxSizeAllowed", itoa(MaxMetadataBytes))
	}
	if err := checkTags(in.Tags, 10); err != nil {
		return nil, err
	}
	d := newDigester(in.Algorithms)
	rcv, err := s.receive(io.TeeReader(io.LimitReader(body, MaxPutObjectBytes+1), d))
	if err != nil {
		return nil, bodyError(err)
	}
	defer rcv.discard()
	if rcv.size > MaxPutObjectBytes {
		return nil, gatehouse.Errorf(CodeEntityTooLarge, "Your proposed upload exceeds the maximum allowed size").
			With("ProposedSize", itoa(rcv.size)).With("MaxSizeAllowed", itoa(MaxPutObjectBytes))
	}
	declared := in.Checksums
	if in.Trailer != nil {
		declared = map[string]string{}
		for k, v := range in.Checksums {
			declared[k] = v
		}
		for h, v := range in.Trailer() {
			if alg := ChecksumAlgorithm(h); alg != "" {
				declared[alg] = v
			}
		}
	}
	checksums, err := d.verify(in.ContentMD5, declared)
	if err != nil {
		return nil, err
	}
	if err := rcv.commit(); err != nil {
		return nil, err
	}
	o := &gatehouse.Object{BucketID: b.ID, Key: in.Key, Size: rcv.size, ETag: d.etag(), Headers: in.Headers,
		Metadata: in.Metadata, Checksums: checksums, Tags: in.Tags, Owner: in.Owner, Modified: s.now()}
	rcv.store(o)
	replaced, err := s.storeVersion(ctx, b, o, func(tx Tx) error { return checkWriteConditions(tx, b, in) })
	if err != nil {
		if o.BlobID != "" {
			s.Blobs.Remove(o.BlobID)
		}
		return nil, err
	}
	if replaced != nil && replaced.BlobID != "" {
		s.Blobs.Remove(replaced.BlobID)
	}
	return o, nil
}

// checkWriteConditions applies PutObject's If-None-Match and If-Match to
// the key's current object.
func checkWriteConditions(tx Tx, b *gatehouse.Bucket, in PutObjectInput) error {
	if in.IfNoneMatch == "" && in.IfMatch == "" {
		return nil
	}
	cur, err := tx.Object(b.ID, in.Key, "")
	exists := err == nil && !cur.DeleteMarker
	if err != nil && gatehouse.ErrorCode(err) != gatehouse.CodeNotFound {
		return err
	}
	if in.IfNoneMatch == "*" && exists {
		return preconditionFailed("If-None-Match")
	}
	if in.IfMatch != "" {
		if !exists {
			return noSuchKey(in.Key)
		}
		if !etagMatches(in.IfMatch, cur.ETag) {
			return preconditionFailed("If-Match")
		}
	}
	return nil
}

// storeVersion stores o as the key's new version in the bucket's
// versioning state, after check, and returns the version it replaced.
func (s *Service) storeVersion(ctx context.Context, b *gatehouse.Bucket, o *gatehouse.Object, check func(tx Tx) error) (*gatehouse.Object, error) {
	var replaced *gatehouse.Object
	err := s.Store.Update(ctx, func(tx Tx) error {
		cur, err := tx.Bucket(b.Partition, b.Name)
		if gatehouse.ErrorCode(err) == gatehouse.CodeNotFound || err == nil && cur.ID != b.ID {
			return noSuchBucket(b.Name)
		}
		if err != nil {
			return err
		}
		if check != nil {
			if err := check(tx); err != nil {
				return err
			}
		}
		o.VersionID = "null"
		if cur.Versioning == VersioningEnabled {
			if o.VersionID, err = s.newVersionID(); err != nil {
				return err
			}
		}
		replaced, err = tx.PutObject(o)
		return err
	})
	return replaced, err
}

// bodyError is the error of a body that could not be read in full: the
// reader's own *gatehouse.Error (a payload hash or chunk signature that
// does not match), else IncompleteBody.
func bodyError(err error) error {
	var ge *gatehouse.Error
	if errors.As(err, &ge) {
		return err
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return gatehouse.Errorf(CodeIncompleteBody, "You did not provide the number of bytes specified by the Content-Length HTTP header")
	}
	return err
}

func preconditionFailed(condition string) error {
	return gatehouse.Errorf(CodePreconditionFailed, "At least one of the pre-conditions you specified did not hold").With("Condition", condition)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
