package sqlite

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/gatehouse-dev/gatehouse"
)

// Multipart uploads and their parts (migration 0019). Like object
// versions, their writes do not move the revision.

const uploadColumns = `id, bucket_id, key, initiated_at, document, owner, checksum_algorithm`

func scanUpload(row scanner) (*gatehouse.Upload, error) {
	var u gatehouse.Upload
	var initiated sql.NullInt64
	var doc string
	if err := row.Scan(&u.ID, &u.BucketID, &u.Key, &initiated, &doc, &u.Owner, &u.ChecksumAlgorithm); err != nil {
		return nil, err
	}
	u.Initiated = decodeTime(initiated)
	var d objectDoc
	if err := json.Unmarshal([]byte(doc), &d); err != nil {
		return nil, fmt.Errorf("decode upload %s: %w", u.ID, err)
	}
	u.Headers, u.Metadata = d.Headers, d.Metadata
	for _, p := range d.Tags {
		u.Tags = append(u.Tags, gatehouse.Tag{Key: p[0], Value: p[1]})
	}
	return &u, nil
}

func noSuchUpload() error {
	return gatehouse.Errorf(gatehouse.CodeNotFound, "The specified upload does not exist.")
}

// CreateUpload stores a new multipart upload.
func (t *tx) CreateUpload(u *gatehouse.Upload) error {
	u.Initiated = t.stamp(u.Initiated)
	d := objectDoc{Headers: u.Headers, Metadata: u.Metadata}
	for _, tag := range u.Tags {
		d.Tags = append(d.Tags, [2]string{tag.Key, tag.Value})
	}
	doc, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("create upload: %w", err)
	}
	_, err = t.execAppend(`INSERT INTO uploads (`+uploadColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		u.ID, u.BucketID, u.Key, encodeTime(u.Initiated), string(doc), u.Owner, u.ChecksumAlgorithm)
	if constraintOf(err) != noConstraint {
		return gatehouse.Errorf(gatehouse.CodeAlreadyExists, "The upload %s exists.", u.ID)
	}
	if err != nil {
		return fmt.Errorf("create upload: %w", err)
	}
	return nil
}

// Upload returns an upload of a bucket's key by ID.
func (t *tx) Upload(bucketID, key, id string) (*gatehouse.Upload, error) {
	u, err := scanUpload(t.queryRow(`SELECT `+uploadColumns+` FROM uploads WHERE id = ? AND bucket_id = ? AND key = ?`, id, bucketID, key))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, noSuchUpload()
	}
	if err != nil {
		return nil, fmt.Errorf("upload: %w", err)
	}
	return u, nil
}

// Uploads returns a bucket's uploads by key, then initiation and ID.
func (t *tx) Uploads(bucketID, prefix, keyMarker, idMarker string, limit int) ([]*gatehouse.Upload, error) {
	var out []*gatehouse.Upload
	if idMarker != "" { // the rest of the marker key's uploads first
		var mark sql.NullInt64
		err := t.queryRow(`SELECT initiated_at FROM uploads WHERE id = ? AND bucket_id = ?`, idMarker, bucketID).Scan(&mark)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("uploads: %w", err)
		}
		if err == nil {
			rows, err := t.query(`SELECT `+uploadColumns+` FROM uploads WHERE bucket_id = ? AND key = ? AND (initiated_at, id) > (?, ?)
				ORDER BY initiated_at, id LIMIT ?`, bucketID, keyMarker, mark, idMarker, limit)
			if err != nil {
				return nil, fmt.Errorf("uploads: %w", err)
			}
			if out, err = collectUploads(rows); err != nil {
				return nil, err
			}
		}
	}
	if len(out) >= limit {
		return out, nil
	}
	cond, args := keyRange("key", prefix, keyMarker)
	rows, err := t.query(`SELECT `+uploadColumns+` FROM uploads WHERE bucket_id = ?`+cond+` ORDER BY key, initiated_at, id LIMIT ?`,
		append(append([]any{bucketID}, args...), limit-len(out))...)
	if err != nil {
		return nil, fmt.Errorf("uploads: %w", err)
	}
	more, err := collectUploads(rows)
	return append(out, more...), err
}

func collectUploads(rows *sql.Rows) ([]*gatehouse.Upload, error) {
	defer rows.Close()
	var out []*gatehouse.Upload
	for rows.Next() {
		u, err := scanUpload(rows)
		if err != nil {
			return nil, fmt.Errorf("uploads: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// DeleteUpload deletes an upload and its parts, returning the parts.
func (t *tx) DeleteUpload(id string) ([]*gatehouse.Part, error) {
	parts, err := t.Parts(id, 0, 10001)
	if err != nil {
		return nil, err
	}
	res, err := t.execAppend(`DELETE FROM uploads WHERE id = ?`, id)
	if err != nil {
		return nil, fmt.Errorf("delete upload: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return nil, noSuchUpload()
	}
	if _, err := t.execAppend(`DELETE FROM upload_parts WHERE upload_id = ?`, id); err != nil {
		return nil, fmt.Errorf("delete upload parts: %w", err)
	}
	return parts, nil
}

const partColumns = `upload_id, number, size, etag, modified_at, checksum, blob_id`

func scanPart(row scanner) (*gatehouse.Part, error) {
	var p gatehouse.Part
	var modified sql.NullInt64
	if err := row.Scan(&p.UploadID, &p.Number, &p.Size, &p.ETag, &modified, &p.Checksum, &p.BlobID); err != nil {
		return nil, err
	}
	p.Modified = decodeTime(modified)
	return &p, nil
}

// PutPart stores a part, replacing the part of the same number.
func (t *tx) PutPart(p *gatehouse.Part) (*gatehouse.Part, error) {
	p.Modified = t.stamp(p.Modified)
	var exists int
	if err := t.queryRow(`SELECT EXISTS (SELECT 1 FROM uploads WHERE id = ?)`, p.UploadID).Scan(&exists); err != nil {
		return nil, fmt.Errorf("put part: %w", err)
	}
	if exists == 0 {
		return nil, noSuchUpload()
	}
	old, err := scanPart(t.queryRow(`SELECT `+partColumns+` FROM upload_parts WHERE upload_id = ? AND number = ?`, p.UploadID, p.Number))
	switch {
	case errors.Is(err, sql.ErrNoRows):
		old = nil
	case err != nil:
		return nil, fmt.Errorf("put part: %w", err)
	}
	_, err = t.execAppend(`INSERT INTO upload_parts (`+partColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (upload_id, number) DO UPDATE SET size = excluded.size, etag = excluded.etag,
			modified_at = excluded.modified_at, checksum = excluded.checksum, blob_id = excluded.blob_id`,
		p.UploadID, p.Number, p.Size, p.ETag, encodeTime(p.Modified), p.Checksum, p.BlobID)
	if err != nil {
		return nil, fmt.Errorf("put part: %w", err)
	}
	return old, nil
}

// Parts returns an upload's parts numbered above after.
func (t *tx) Parts(uploadID string, after, limit int) ([]*gatehouse.Part, error) {
	rows, err := t.query(`SELECT `+partColumns+` FROM upload_parts WHERE upload_id = ? AND number > ? ORDER BY number LIMIT ?`,
		uploadID, after, limit)
	if err != nil {
		return nil, fmt.Errorf("parts: %w", err)
	}
	defer rows.Close()
	var out []*gatehouse.Part
	for rows.Next() {
		p, err := scanPart(rows)
		if err != nil {
			return nil, fmt.Errorf("parts: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// BucketHasUploads reports whether uploads are in progress in the bucket.
func (t *tx) BucketHasUploads(bucketID string) (bool, error) {
	var n int
	if err := t.queryRow(`SELECT EXISTS (SELECT 1 FROM uploads WHERE bucket_id = ?)`, bucketID).Scan(&n); err != nil {
		return false, fmt.Errorf("bucket has uploads: %w", err)
	}
	return n == 1, nil
}
