package s3

import (
	"context"
	"errors"
	"net/url"
	"strings"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/blob"
)

// CopySource is the object an x-amz-copy-source header names.
type CopySource struct {
	Bucket, Key, VersionID string
}

// ParseCopySource reads x-amz-copy-source: "<bucket>/<url-encoded
// key>", with an optional leading '/' and "?versionId=<id>"
// (aws-s3.md §5.7).
func ParseCopySource(v string) (CopySource, error) {
	invalid := gatehouse.Errorf(CodeInvalidArgument, "Invalid copy source object key").With("ArgumentName", "x-amz-copy-source").With("ArgumentValue", v)
	path, query, _ := strings.Cut(strings.TrimPrefix(v, "/"), "?")
	bucket, rawKey, ok := strings.Cut(path, "/")
	if !ok || bucket == "" || rawKey == "" {
		return CopySource{}, invalid
	}
	key, err := url.PathUnescape(rawKey)
	if err != nil {
		return CopySource{}, invalid
	}
	src := CopySource{Bucket: bucket, Key: key}
	if query != "" {
		q, err := url.ParseQuery(query)
		if err != nil || !q.Has("versionId") || q.Get("versionId") == "" {
			return CopySource{}, invalid
		}
		src.VersionID = q.Get("versionId")
	}
	return src, nil
}

// CopyObjectInput is a copy's destination and directives.
type CopyObjectInput struct {
	Key string
	// ReplaceMetadata takes Headers and Metadata from the request
	// (x-amz-metadata-directive REPLACE) instead of the source;
	// ReplaceTags takes Tags (x-amz-tagging-directive REPLACE).
	ReplaceMetadata, ReplaceTags bool
	Headers, Metadata            map[string]string
	Tags                         []gatehouse.Tag
	// Conditions on the source (x-amz-copy-source-if-*).
	Conditions GetObjectInput
	Owner      string
}

// CopyObject copies a version of src's object into dst as a new
// version, its bytes streamed into a new blob (or, for a small object,
// kept in the new record as in the source's). It returns the new
// version and the source version copied.
func (s *Service) CopyObject(ctx context.Context, src *gatehouse.Bucket, from CopySource, dst *gatehouse.Bucket, in CopyObjectInput) (*gatehouse.Object, *gatehouse.Object, error) {
	if err := CheckKey(in.Key); err != nil {
		return nil, nil, err
	}
	source, err := s.version(ctx, src, from.Key, from.VersionID)
	if err != nil {
		return nil, nil, err
	}
	if err := checkCopySource(source, from, in.Conditions); err != nil {
		return nil, nil, err
	}
	if src.ID == dst.ID && from.Key == in.Key && !in.ReplaceMetadata && !in.ReplaceTags {
		return nil, nil, gatehouse.Errorf(CodeInvalidRequest, "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.")
	}
	o := &gatehouse.Object{BucketID: dst.ID, Key: in.Key, Size: source.Size, ETag: source.ETag, Headers: source.Headers,
		Metadata: source.Metadata, Checksums: source.Checksums, Tags: source.Tags, Owner: in.Owner, Modified: s.now()}
	if strings.Contains(source.ETag, "-") {
		// A copy is one object, not parts: its ETag is its bytes' MD5.
		o.ETag = ""
	}
	if in.ReplaceMetadata {
		if n := metadataSize(in.Metadata); n > MaxMetadataBytes {
			return nil, nil, gatehouse.Errorf(CodeMetadataTooLarge, "Your metadata headers exceed the maximum allowed metadata size")
		}
		o.Headers, o.Metadata = in.Headers, in.Metadata
	}
	if in.ReplaceTags {
		if err := checkTags(in.Tags, 10); err != nil {
			return nil, nil, err
		}
		o.Tags = in.Tags
	}
	var pending *blob.Pending
	if source.BlobID != "" {
		if pending, err = s.Blobs.Concat([]string{source.BlobID}); err != nil {
			return nil, nil, err
		}
		defer pending.Discard()
	}
	if o.ETag == "" || hasComposite(o.Checksums) {
		// Recompute what the source's parts made composite.
		f, err := s.openBytes(source)
		if err != nil {
			return nil, nil, err
		}
		d := newDigester(algorithmsOf(o.Checksums))
		_, err = copyAll(d, f)
		f.Close()
		if err != nil {
			return nil, nil, err
		}
		o.ETag = d.etag()
		if len(o.Checksums) > 0 {
			o.Checksums, _ = d.verify("", nil)
		}
	}
	if pending == nil {
		o.Data = source.Data // a small object's bytes are in its record
	} else {
		if err := pending.Commit(); err != nil {
			return nil, nil, err
		}
		o.BlobID = pending.ID()
	}
	replaced, err := s.storeVersion(ctx, dst, o, nil)
	if err != nil {
		if o.BlobID != "" {
			s.Blobs.Remove(o.BlobID)
		}
		return nil, nil, err
	}
	if replaced != nil && replaced.BlobID != "" {
		s.Blobs.Remove(replaced.BlobID)
	}
	return o, source, nil
}

func hasComposite(checksums map[string]string) bool {
	for _, v := range checksums {
		if strings.Contains(v, "-") {
			return true
		}
	}
	return false
}

func algorithmsOf(checksums map[string]string) []string {
	var out []string
	for a := range checksums {
		out = append(out, a)
	}
	return out
}

// ObjectTags returns a version's tags.
func (s *Service) ObjectTags(ctx context.Context, b *gatehouse.Bucket, key, versionID string) (*gatehouse.Object, error) {
	o, err := s.version(ctx, b, key, versionID)
	if err != nil {
		return nil, err
	}
	if o.DeleteMarker {
		return nil, gatehouse.Errorf(CodeMethodNotAllowed, "The specified method is not allowed against this resource.").
			With("Method", "GET").With("ResourceType", "DeleteMarker")
	}
	return o, nil
}

// PutObjectTags replaces a version's tags (at most 10).
func (s *Service) PutObjectTags(ctx context.Context, b *gatehouse.Bucket, key, versionID string, tags []gatehouse.Tag) (*gatehouse.Object, error) {
	if err := checkTags(tags, 10); err != nil {
		return nil, err
	}
	o, err := s.ObjectTags(ctx, b, key, versionID)
	if err != nil {
		return nil, err
	}
	err = s.Store.Update(ctx, func(tx Tx) error { return tx.SetObjectTags(b.ID, key, o.VersionID, tags) })
	if gatehouse.ErrorCode(err) == gatehouse.CodeNotFound {
		return nil, noSuchKey(key)
	}
	return o, err
}

// checkCopySource refuses a copy source that is a delete marker and
// applies the x-amz-copy-source-if-* conditions, naming them as S3 does.
func checkCopySource(source *gatehouse.Object, from CopySource, cond GetObjectInput) error {
	if source.DeleteMarker {
		if from.VersionID != "" {
			return gatehouse.Errorf(CodeInvalidRequest, "The source of a copy request may not specifically refer to a delete marker by version id.")
		}
		return noSuchKey(from.Key).With("header:x-amz-delete-marker", "true").With("header:x-amz-version-id", source.VersionID)
	}
	err := checkReadConditions(source, cond)
	if gatehouse.ErrorCode(err) == CodeNotModified {
		return preconditionFailed("x-amz-copy-source-If-None-Match")
	}
	var ge *gatehouse.Error
	if errors.As(err, &ge) && ge.Code == CodePreconditionFailed {
		return preconditionFailed("x-amz-copy-source-" + ge.Details[0].Value)
	}
	return err
}
