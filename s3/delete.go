package s3

import (
	"context"

	"github.com/gatehouse-dev/gatehouse"
)

// Deleted is what a delete did: the version it removed or the delete
// marker it made.
type Deleted struct {
	Key       string
	VersionID string // the version deleted, or the new delete marker's ("" when unversioned)
	// DeleteMarker is true when the delete made a delete marker, or
	// removed one.
	DeleteMarker bool
}

// DeleteObject deletes a key as S3 does in the bucket's versioning state
// (aws-s3.md §7.3). With a versionID it removes that version for good;
// without one it removes the "null" version when versioning was never
// enabled, and otherwise adds a delete marker (with a new version ID when
// enabled, as the "null" version when suspended). Deleting what does not
// exist succeeds. mfaChecked says whether the request carried a valid
// root MFA code; a permanent delete in a bucket with MFA delete needs it.
func (s *Service) DeleteObject(ctx context.Context, b *gatehouse.Bucket, key, versionID string, mfaChecked bool, owner string) (*Deleted, error) {
	if err := CheckKey(key); err != nil {
		return nil, err
	}
	if err := checkVersionID(versionID); err != nil {
		return nil, err
	}
	var removed *gatehouse.Object
	out := &Deleted{Key: key}
	err := s.Store.Update(ctx, func(tx Tx) error {
		cur, err := tx.Bucket(b.Partition, b.Name)
		if gatehouse.ErrorCode(err) == gatehouse.CodeNotFound || err == nil && cur.ID != b.ID {
			return noSuchBucket(b.Name)
		}
		if err != nil {
			return err
		}
		if versionID != "" {
			if cur.MFADelete && !mfaChecked {
				return gatehouse.Errorf(gatehouse.CodeDenied, "Mfa Authentication must be used for this request")
			}
			removed, err = tx.DeleteObjectVersion(b.ID, key, versionID)
			if gatehouse.ErrorCode(err) == gatehouse.CodeNotFound {
				out.VersionID = versionID
				return nil // S3 answers 204 for a version that is not there
			}
			if err == nil {
				out.VersionID, out.DeleteMarker = removed.VersionID, removed.DeleteMarker
			}
			return err
		}
		switch cur.Versioning {
		case "":
			removed, err = tx.DeleteObjectVersion(b.ID, key, "null")
			if gatehouse.ErrorCode(err) == gatehouse.CodeNotFound {
				return nil
			}
			return err
		case VersioningSuspended:
			// The delete marker takes the "null" version's place.
			marker := &gatehouse.Object{BucketID: b.ID, Key: key, VersionID: "null", DeleteMarker: true, Owner: owner, Modified: s.now()}
			removed, err = tx.PutObject(marker)
			out.VersionID, out.DeleteMarker = "null", true
			return err
		}
		id, err := s.newVersionID()
		if err != nil {
			return err
		}
		marker := &gatehouse.Object{BucketID: b.ID, Key: key, VersionID: id, DeleteMarker: true, Owner: owner, Modified: s.now()}
		_, err = tx.PutObject(marker)
		out.VersionID, out.DeleteMarker = id, true
		return err
	})
	if err != nil {
		return nil, err
	}
	if removed != nil && removed.BlobID != "" {
		s.Blobs.Remove(removed.BlobID)
	}
	return out, nil
}
