package s3

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gatehouse-dev/gatehouse"
)

// GetObjectInput names a version to read and the conditions of the read.
type GetObjectInput struct {
	Key       string
	VersionID string // "" for the current version
	// Range is the Range header, "" for the whole object.
	Range string
	// The conditional headers (aws-s3.md §5.3).
	IfMatch, IfNoneMatch          string
	IfModifiedSince, IfUnmodSince *time.Time
}

// ObjectRead is an object version opened for reading: Body yields the
// requested bytes (all of them, or the range), and must be closed.
type ObjectRead struct {
	Object *gatehouse.Object
	Body   io.ReadCloser
	// Start and Length are the range read; Partial is true when a Range
	// was served (206).
	Start, Length int64
	Partial       bool
}

// HeadObject returns a version's metadata after the conditions hold.
func (s *Service) HeadObject(ctx context.Context, b *gatehouse.Bucket, in GetObjectInput) (*ObjectRead, error) {
	return s.readObject(ctx, b, in, false)
}

// GetObject opens a version for reading after the conditions hold.
func (s *Service) GetObject(ctx context.Context, b *gatehouse.Bucket, in GetObjectInput) (*ObjectRead, error) {
	return s.readObject(ctx, b, in, true)
}

func (s *Service) readObject(ctx context.Context, b *gatehouse.Bucket, in GetObjectInput, open bool) (*ObjectRead, error) {
	o, err := s.version(ctx, b, in.Key, in.VersionID)
	if err != nil {
		return nil, err
	}
	if o.DeleteMarker {
		if in.VersionID != "" {
			return nil, gatehouse.Errorf(CodeMethodNotAllowed, "The specified method is not allowed against this resource.").
				With("Method", "GET").With("ResourceType", "DeleteMarker").With("header:Allow", "DELETE").
				With("header:x-amz-delete-marker", "true").With("header:x-amz-version-id", o.VersionID).
				With("header:Last-Modified", o.Modified.UTC().Format(http.TimeFormat))
		}
		return nil, noSuchKey(in.Key).With("header:x-amz-delete-marker", "true").With("header:x-amz-version-id", o.VersionID)
	}
	if err := checkReadConditions(o, in); err != nil {
		return nil, err
	}
	r := &ObjectRead{Object: o, Length: o.Size}
	if in.Range != "" {
		start, length, ok, err := parseRange(in.Range, o.Size)
		if err != nil {
			return nil, err
		}
		if ok {
			r.Start, r.Length, r.Partial = start, length, true
		}
	}
	if !open {
		return r, nil
	}
	f, err := s.openBytes(o)
	if err != nil {
		return nil, internal("open blob of %q: %v", o.Key, err)
	}
	r.Body = struct {
		io.Reader
		io.Closer
	}{io.NewSectionReader(f, r.Start, r.Length), f}
	return r, nil
}

// version returns a version of a key (NoSuchKey, NoSuchVersion).
func (s *Service) version(ctx context.Context, b *gatehouse.Bucket, key, versionID string) (*gatehouse.Object, error) {
	if err := checkVersionID(versionID); err != nil {
		return nil, err
	}
	var o *gatehouse.Object
	err := s.Store.View(ctx, func(tx Tx) error {
		var err error
		o, err = tx.Object(b.ID, key, versionID)
		return err
	})
	switch {
	case gatehouse.ErrorCode(err) == gatehouse.CodeNotFound && versionID != "":
		return nil, gatehouse.Errorf(CodeNoSuchVersion, "The specified version does not exist.").With("Key", key).With("VersionId", versionID)
	case gatehouse.ErrorCode(err) == gatehouse.CodeNotFound:
		return nil, noSuchKey(key)
	}
	return o, err
}

// checkVersionID refuses a versionId that no version can have: S3's
// IDs are at most 1024 printable characters, and "null".
func checkVersionID(id string) error {
	if len(id) > 1024 {
		return invalidArgument("Invalid version id specified", "versionId", id)
	}
	for i := 0; i < len(id); i++ {
		if id[i] <= ' ' || id[i] >= 0x7f {
			return invalidArgument("Invalid version id specified", "versionId", id)
		}
	}
	return nil
}

// checkReadConditions applies If-Match, If-None-Match, If-Modified-Since
// and If-Unmodified-Since as S3 does (aws-s3.md §5.3): If-Match true
// overrides a false If-Unmodified-Since, and If-None-Match false (the
// ETag matches) with a true If-Modified-Since is 304.
func checkReadConditions(o *gatehouse.Object, in GetObjectInput) error {
	modified := o.Modified.Truncate(time.Second)
	if in.IfMatch != "" {
		if !etagMatches(in.IfMatch, o.ETag) {
			return preconditionFailed("If-Match")
		}
	} else if in.IfUnmodSince != nil && modified.After(*in.IfUnmodSince) {
		return preconditionFailed("If-Unmodified-Since")
	}
	if in.IfNoneMatch != "" {
		if etagMatches(in.IfNoneMatch, o.ETag) {
			return notModified(o)
		}
	} else if in.IfModifiedSince != nil && !modified.After(*in.IfModifiedSince) {
		return notModified(o)
	}
	return nil
}

func notModified(o *gatehouse.Object) error {
	return gatehouse.Errorf(CodeNotModified, "Not Modified").With("header:ETag", `"`+o.ETag+`"`).With("header:Last-Modified", o.Modified.UTC().Format(http.TimeFormat))
}

// etagMatches reports whether a list of entity tags from a conditional
// header names etag ("*" names any).
func etagMatches(list, etag string) bool {
	for _, t := range strings.Split(list, ",") {
		t = strings.TrimSpace(t)
		t = strings.TrimPrefix(t, "W/")
		if t == "*" || strings.Trim(t, `"`) == etag {
			return true
		}
	}
	return false
}

// parseRange reads a Range header against an object of size bytes: one
// range of bytes ("bytes=a-b", "bytes=a-", "bytes=-n"). A header S3
// does not understand is ignored (ok false: the whole object); a range
// that starts past the end is InvalidRange (416).
func parseRange(h string, size int64) (start, length int64, ok bool, err error) {
	spec, found := strings.CutPrefix(h, "bytes=")
	if !found || strings.Contains(spec, ",") {
		return 0, 0, false, nil
	}
	first, last, found := strings.Cut(strings.TrimSpace(spec), "-")
	if !found {
		return 0, 0, false, nil
	}
	unsatisfiable := gatehouse.Errorf(CodeInvalidRange, "The requested range is not satisfiable").
		With("RangeRequested", h).With("ActualObjectSize", itoa(size))
	if first == "" { // a suffix: the last n bytes
		n, perr := strconv.ParseInt(last, 10, 64)
		if perr != nil || n < 0 {
			return 0, 0, false, nil
		}
		if n == 0 {
			return 0, 0, false, unsatisfiable
		}
		n = min(n, size)
		return size - n, n, true, nil
	}
	a, perr := strconv.ParseInt(first, 10, 64)
	if perr != nil || a < 0 {
		return 0, 0, false, nil
	}
	end := size - 1
	if last != "" {
		z, perr := strconv.ParseInt(last, 10, 64)
		if perr != nil || z < a {
			return 0, 0, false, nil
		}
		end = min(z, size-1)
	}
	if a >= size {
		return 0, 0, false, unsatisfiable
	}
	return a, end - a + 1, true, nil
}
