package s3

import (
	"context"
	"fmt"
	"strings"

	"github.com/gatehouse-dev/gatehouse"
)

// MaxBuckets is how many general purpose buckets an account may own
// (S3's default quota since 2024).
const MaxBuckets = 10000

// CreateBucketInput is what CreateBucket needs.
type CreateBucketInput struct {
	AccountID string
	Partition string // the caller's partition ("" is gatehouse.Partition)
	Name      string
	// Region is the region the request was signed for: S3 creates the
	// bucket there. Constraint is the LocationConstraint sent, "" for
	// none.
	Region, Constraint string
}

// CreateBucket makes a bucket in the request's region. The
// LocationConstraint must name that region (the legacy "EU" is
// eu-west-1), and must be absent for us-east-1, as at S3.
func (s *Service) CreateBucket(ctx context.Context, in CreateBucketInput) (*gatehouse.Bucket, error) {
	if !ValidBucketName(in.Name) {
		return nil, gatehouse.Errorf(CodeInvalidBucketName, "The specified bucket is not valid.").With("BucketName", in.Name)
	}
	if err := checkConstraint(in.Region, in.Constraint); err != nil {
		return nil, err
	}
	id, err := s.newVersionID()
	if err != nil {
		return nil, err
	}
	b := &gatehouse.Bucket{ID: id, Name: in.Name, AccountID: in.AccountID, Region: in.Region, Created: s.now(),
		PublicAccessBlock: DefaultPublicAccessBlock()}
	err = s.Store.Update(ctx, func(tx Tx) error {
		switch old, err := tx.Bucket(in.Partition, in.Name); {
		case err == nil && old.AccountID == in.AccountID:
			b = old
			if old.Region == "us-east-1" && in.Region == "us-east-1" {
				return nil // S3's legacy answer in us-east-1: success
			}
			return gatehouse.Errorf(CodeBucketAlreadyOwnedByYou, "Your previous request to create the named bucket succeeded and you already own it.").With("BucketName", in.Name)
		case err == nil:
			return gatehouse.Errorf(CodeBucketAlreadyExists, "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.").With("BucketName", in.Name)
		case gatehouse.ErrorCode(err) != gatehouse.CodeNotFound:
			return err
		}
		owned, err := tx.Buckets(in.AccountID)
		if err != nil {
			return err
		}
		if len(owned) >= MaxBuckets {
			return gatehouse.Errorf(CodeTooManyBuckets, "You have attempted to create more buckets than allowed")
		}
		return tx.CreateBucket(b)
	})
	if err != nil {
		return nil, err
	}
	return b, nil
}

// checkConstraint checks a CreateBucket LocationConstraint against the
// region the request was sent to (aws-s3.md §1.4).
func checkConstraint(region, constraint string) error {
	const incompatible = "location constraint is incompatible for the region specific endpoint this request was sent to."
	if constraint == "EU" {
		constraint = "eu-west-1"
	}
	switch {
	case constraint == "" && region == "us-east-1":
		return nil
	case constraint == "":
		return gatehouse.Errorf(CodeIllegalLocationConstraint, "The unspecified %s", incompatible)
	case constraint == "us-east-1":
		return gatehouse.Errorf(CodeInvalidLocationConstraint, "The specified location-constraint is not valid").With("LocationConstraint", constraint)
	case constraint != region:
		return gatehouse.Errorf(CodeIllegalLocationConstraint, "The %s %s", constraint, incompatible)
	}
	return nil
}

// ListBucketsInput selects a page of an account's buckets.
type ListBucketsInput struct {
	AccountID string
	// Prefix keeps the names that begin with it; Region, when set, the
	// buckets in that region.
	Prefix, Region string
	// After starts the page after that name ("" at the first).
	After string
	// Max is the page's size, 0 for every bucket.
	Max int
}

// ListBuckets returns a page of an account's buckets, by name, and
// whether more follow it.
func (s *Service) ListBuckets(ctx context.Context, in ListBucketsInput) ([]*gatehouse.Bucket, bool, error) {
	var out []*gatehouse.Bucket
	truncated := false
	err := s.Store.View(ctx, func(tx Tx) error {
		all, err := tx.Buckets(in.AccountID)
		for _, b := range all {
			if !strings.HasPrefix(b.Name, in.Prefix) || in.Region != "" && b.Region != in.Region || b.Name <= in.After {
				continue
			}
			if in.Max > 0 && len(out) == in.Max {
				truncated = true
				break
			}
			out = append(out, b)
		}
		return err
	})
	return out, truncated, err
}

// DeleteBucket deletes an empty bucket: no object, version or delete
// marker may be left (BucketNotEmpty). Multipart uploads in progress do
// not keep a bucket (S3 deletes it all the same): they are discarded
// with it, and their parts' blobs removed once the deletion commits.
func (s *Service) DeleteBucket(ctx context.Context, b *gatehouse.Bucket) error {
	var removed []*gatehouse.Part
	err := s.Store.Update(ctx, func(tx Tx) error {
		removed = nil // a retried transaction starts over
		has, err := tx.BucketHasObjects(b.ID)
		if err != nil {
			return err
		}
		if has {
			return gatehouse.Errorf(CodeBucketNotEmpty, "The bucket you tried to delete is not empty").With("BucketName", b.Name)
		}
		// Each batch is read from the start: the uploads of the batch
		// before are gone.
		for {
			ups, err := tx.Uploads(b.ID, "", "", "", 1000)
			if err != nil {
				return err
			}
			if len(ups) == 0 {
				break
			}
			for _, u := range ups {
				parts, err := tx.DeleteUpload(u.ID)
				if err != nil {
					return err
				}
				removed = append(removed, parts...)
			}
		}
		err = tx.DeleteBucket(b.ID)
		if gatehouse.ErrorCode(err) == gatehouse.CodeNotFound {
			return noSuchBucket(b.Name)
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

// updateBucket applies change to the stored bucket b names, in one
// transaction, and returns the bucket as stored.
func (s *Service) updateBucket(ctx context.Context, b *gatehouse.Bucket, change func(b *gatehouse.Bucket) error) (*gatehouse.Bucket, error) {
	var out *gatehouse.Bucket
	err := s.Store.Update(ctx, func(tx Tx) error {
		cur, err := tx.Bucket(b.Partition, b.Name)
		if gatehouse.ErrorCode(err) == gatehouse.CodeNotFound || err == nil && cur.ID != b.ID {
			return noSuchBucket(b.Name)
		}
		if err != nil {
			return err
		}
		if err := change(cur); err != nil {
			return err
		}
		out = cur
		return tx.UpdateBucket(cur)
	})
	return out, err
}

// Versioning states.
const (
	VersioningEnabled   = "Enabled"
	VersioningSuspended = "Suspended"
)

// PutBucketVersioning sets the bucket's versioning state. Changing
// MfaDelete is for the owner's root user with an MFA code, which the
// caller checks (mfaChecked); without it, a request that names MfaDelete
// is refused.
func (s *Service) PutBucketVersioning(ctx context.Context, b *gatehouse.Bucket, status, mfaDelete string, mfaChecked bool) error {
	if status != VersioningEnabled && status != VersioningSuspended {
		return gatehouse.Errorf(CodeMalformedXML, "The XML you provided was not well-formed or did not validate against our published schema")
	}
	if mfaDelete != "" && mfaDelete != "Enabled" && mfaDelete != "Disabled" {
		return gatehouse.Errorf(CodeMalformedXML, "The XML you provided was not well-formed or did not validate against our published schema")
	}
	_, err := s.updateBucket(ctx, b, func(b *gatehouse.Bucket) error {
		if (mfaDelete != "" || b.MFADelete) && !mfaChecked {
			return gatehouse.Errorf(gatehouse.CodeDenied, "Access Denied")
		}
		b.Versioning = status
		if mfaDelete != "" {
			b.MFADelete = mfaDelete == "Enabled"
			b.MFADeleteConfigured = true
		}
		return nil
	})
	return err
}

// PutBucketTagging replaces the bucket's tags (at most 50, keys unique,
// 128 and 256 characters, no aws: prefix).
func (s *Service) PutBucketTagging(ctx context.Context, b *gatehouse.Bucket, tags []gatehouse.Tag) error {
	if err := checkTags(tags, 50); err != nil {
		return err
	}
	_, err := s.updateBucket(ctx, b, func(b *gatehouse.Bucket) error {
		b.Tags = tags
		return nil
	})
	return err
}

// DeleteBucketTagging removes the bucket's tags.
func (s *Service) DeleteBucketTagging(ctx context.Context, b *gatehouse.Bucket) error {
	_, err := s.updateBucket(ctx, b, func(b *gatehouse.Bucket) error {
		b.Tags = nil
		return nil
	})
	return err
}

// checkTags applies S3's tag rules.
func checkTags(tags []gatehouse.Tag, max int) error {
	if len(tags) > max {
		return gatehouse.Errorf(CodeInvalidTag, "Object tags cannot be greater than %d", max)
	}
	seen := map[string]bool{}
	for _, t := range tags {
		switch {
		case t.Key == "" || len([]rune(t.Key)) > 128:
			return gatehouse.Errorf(CodeInvalidTag, "The TagKey you have provided is invalid")
		case len([]rune(t.Value)) > 256:
			return gatehouse.Errorf(CodeInvalidTag, "The TagValue you have provided is invalid")
		case strings.HasPrefix(strings.ToLower(t.Key), "aws:"):
			return gatehouse.Errorf(CodeInvalidTag, "System tags cannot be added/updated by requester")
		case seen[t.Key]:
			return gatehouse.Errorf(CodeInvalidTag, "Cannot provide multiple Tags with the same key")
		}
		seen[t.Key] = true
	}
	return nil
}

// errNoSuchTagSet is GetBucketTagging's answer for a bucket without tags.
func errNoSuchTagSet(bucket string) error {
	return gatehouse.Errorf(CodeNoSuchTagSet, "The TagSet does not exist").With("BucketName", bucket)
}

// BucketTags returns the bucket's tags (NoSuchTagSet when it has none).
func BucketTags(b *gatehouse.Bucket) ([]gatehouse.Tag, error) {
	if len(b.Tags) == 0 {
		return nil, errNoSuchTagSet(b.Name)
	}
	return b.Tags, nil
}

func internal(format string, args ...any) error { return fmt.Errorf("s3: "+format, args...) }
