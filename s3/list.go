package s3

import (
	"context"
	"strings"

	"github.com/gatehouse-dev/gatehouse"
)

// ListInput selects a page of a bucket's keys: those beginning with
// Prefix and after After, rolled up into common prefixes at the first
// Delimiter after the prefix, at most MaxKeys entries (keys and common
// prefixes together).
type ListInput struct {
	Prefix, Delimiter, After string
	MaxKeys                  int
}

// ListPage is one page of a listing.
type ListPage struct {
	Objects        []*gatehouse.Object
	CommonPrefixes []string
	// Truncated is true when more entries follow; Last is the last key or
	// common prefix of the page, where the next page starts after.
	Truncated bool
	Last      string
}

// DefaultMaxKeys is the page size of a listing that names none, and the
// largest S3 returns.
const DefaultMaxKeys = 1000

// ListObjects returns a page of a bucket's current objects (delete
// markers hide their keys).
func (s *Service) ListObjects(ctx context.Context, b *gatehouse.Bucket, in ListInput) (*ListPage, error) {
	if in.MaxKeys < 0 {
		return nil, invalidArgument("Argument maxKeys must be an integer between 0 and 2147483647", "maxKeys", itoa(int64(in.MaxKeys)))
	}
	limit := min(in.MaxKeys, DefaultMaxKeys)
	page := &ListPage{}
	if limit == 0 {
		return page, nil
	}
	after := in.After
	err := s.Store.View(ctx, func(tx Tx) error {
		for {
			batch, err := tx.ListObjects(b.ID, in.Prefix, after, limit+1)
			if err != nil {
				return err
			}
			rolled := false
			for _, o := range batch {
				if len(page.Objects)+len(page.CommonPrefixes) == limit {
					page.Truncated = true
					return nil
				}
				if cp, ok := commonPrefix(o.Key, in.Prefix, in.Delimiter); ok {
					page.CommonPrefixes = append(page.CommonPrefixes, cp)
					page.Last = cp
					// Go on after every key of the prefix: no UTF-8 key
					// has a 0xff byte.
					after, rolled = cp+"\xff", true
					break
				}
				page.Objects = append(page.Objects, o)
				page.Last, after = o.Key, o.Key
			}
			if !rolled && len(batch) <= limit { // a short batch: the keys are done
				return nil
			}
		}
	})
	return page, err
}

// commonPrefix returns the common prefix key rolls up into: the key up
// to and including the first delimiter after prefix.
func commonPrefix(key, prefix, delimiter string) (string, bool) {
	if delimiter == "" {
		return "", false
	}
	rest := key[len(prefix):]
	i := strings.Index(rest, delimiter)
	if i < 0 {
		return "", false
	}
	return prefix + rest[:i+len(delimiter)], true
}

// VersionListInput selects a page of a bucket's versions and delete
// markers: keys beginning with Prefix, after the version named by
// KeyMarker and VersionIDMarker (or after KeyMarker's every version when
// VersionIDMarker is ""), rolled up at Delimiter as ListObjects does.
type VersionListInput struct {
	Prefix, Delimiter, KeyMarker, VersionIDMarker string
	MaxKeys                                       int
}

// Version is one entry of a version listing.
type Version struct {
	*gatehouse.Object
	IsLatest bool
}

// VersionPage is one page of a version listing.
type VersionPage struct {
	Versions       []Version
	CommonPrefixes []string
	Truncated      bool
	// NextKeyMarker and NextVersionIDMarker are where the next page
	// starts, when Truncated.
	NextKeyMarker, NextVersionIDMarker string
}

// ListObjectVersions returns a page of a bucket's versions, by key and
// newest first.
func (s *Service) ListObjectVersions(ctx context.Context, b *gatehouse.Bucket, in VersionListInput) (*VersionPage, error) {
	if in.MaxKeys < 0 {
		return nil, invalidArgument("Argument maxKeys must be an integer between 0 and 2147483647", "maxKeys", itoa(int64(in.MaxKeys)))
	}
	if in.VersionIDMarker != "" && in.KeyMarker == "" {
		return nil, invalidArgument("A version-id marker cannot be specified without a key marker.", "version-id-marker", in.VersionIDMarker)
	}
	limit := min(in.MaxKeys, DefaultMaxKeys)
	page := &VersionPage{}
	if limit == 0 {
		return page, nil
	}
	err := s.Store.View(ctx, func(tx Tx) error {
		key, seq, prev := in.KeyMarker, int64(0), ""
		if in.VersionIDMarker != "" {
			m, err := tx.Object(b.ID, in.KeyMarker, in.VersionIDMarker)
			if gatehouse.ErrorCode(err) == gatehouse.CodeNotFound {
				return invalidArgument("Invalid version id specified", "version-id-marker", in.VersionIDMarker)
			}
			if err != nil {
				return err
			}
			seq, prev = m.Seq, in.KeyMarker // the rest of the marker's key: none is the latest
		}
		for {
			batch, err := tx.ListObjectVersions(b.ID, in.Prefix, key, seq, limit+1)
			if err != nil {
				return err
			}
			rolled := false
			for _, o := range batch {
				if len(page.Versions)+len(page.CommonPrefixes) == limit {
					page.Truncated = true
					return nil
				}
				if cp, ok := commonPrefix(o.Key, in.Prefix, in.Delimiter); ok {
					page.CommonPrefixes = append(page.CommonPrefixes, cp)
					page.NextKeyMarker, page.NextVersionIDMarker = cp, ""
					key, seq, rolled = cp+"\xff", 0, true
					break
				}
				page.Versions = append(page.Versions, Version{Object: o, IsLatest: o.Key != prev})
				prev = o.Key
				page.NextKeyMarker, page.NextVersionIDMarker = o.Key, o.VersionID
				key, seq = o.Key, o.Seq
			}
			if !rolled && len(batch) <= limit {
				return nil
			}
		}
	})
	return page, err
}
