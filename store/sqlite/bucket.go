package sqlite

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/gatehouse-dev/gatehouse"
)

// S3 buckets and object versions (migrations 0019 and 0021).

const bucketColumns = `id, partition, name, account_id, region, created_at, versioning, mfa_delete, policy, tags, public_access_block, mfa_delete_configured`

func scanBucket(row scanner) (*gatehouse.Bucket, error) {
	var b gatehouse.Bucket
	var created sql.NullInt64
	var tags, pab string
	if err := row.Scan(&b.ID, &b.Partition, &b.Name, &b.AccountID, &b.Region, &created, &b.Versioning, &b.MFADelete,
		&b.Policy, &tags, &pab, &b.MFADeleteConfigured); err != nil {
		return nil, err
	}
	b.Created = decodeTime(created)
	var err error
	if b.Tags, err = decodeTags(tags); err != nil {
		return nil, err
	}
	if b.PublicAccessBlock, err = decodePublicAccessBlock(pab); err != nil {
		return nil, err
	}
	return &b, nil
}

// publicAccessBlockDoc is how a Block Public Access setting is kept in
// buckets.public_access_block ("" for none).
type publicAccessBlockDoc struct {
	BlockPublicAcls       bool `json:"blockPublicAcls"`
	IgnorePublicAcls      bool `json:"ignorePublicAcls"`
	BlockPublicPolicy     bool `json:"blockPublicPolicy"`
	RestrictPublicBuckets bool `json:"restrictPublicBuckets"`
}

func encodePublicAccessBlock(p *gatehouse.PublicAccessBlock) string {
	if p == nil {
		return ""
	}
	b, _ := json.Marshal(publicAccessBlockDoc(*p))
	return string(b)
}

func decodePublicAccessBlock(s string) (*gatehouse.PublicAccessBlock, error) {
	if s == "" {
		return nil, nil
	}
	var d publicAccessBlockDoc
	if err := json.Unmarshal([]byte(s), &d); err != nil {
		return nil, fmt.Errorf("decode public access block: %w", err)
	}
	p := gatehouse.PublicAccessBlock(d)
	return &p, nil
}

func noSuchBucket(name string) error {
	return gatehouse.Errorf(gatehouse.CodeNotFound, "The specified bucket does not exist")
}

// CreateBucket stores a new bucket with its account's partition.
func (t *tx) CreateBucket(b *gatehouse.Bucket) error {
	var partition string
	err := t.queryRow(`SELECT partition FROM accounts WHERE id = ?`, b.AccountID).Scan(&partition)
	if errors.Is(err, sql.ErrNoRows) {
		return gatehouse.Errorf(gatehouse.CodeNotFound, "The account %s cannot be found.", b.AccountID)
	}
	if err != nil {
		return fmt.Errorf("create bucket: %w", err)
	}
	b.Partition = partition
	b.Created = t.stamp(b.Created)
	tags, err := encodeTags(b.Tags)
	if err != nil {
		return err
	}
	_, err = t.exec(`INSERT INTO buckets (`+bucketColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		b.ID, b.Partition, b.Name, b.AccountID, b.Region, encodeTime(b.Created), b.Versioning, b.MFADelete, b.Policy,
		tags, encodePublicAccessBlock(b.PublicAccessBlock), b.MFADeleteConfigured)
	if constraintOf(err) != noConstraint {
		return gatehouse.Errorf(gatehouse.CodeAlreadyExists, "The requested bucket name is not available.")
	}
	if err != nil {
		return fmt.Errorf("create bucket: %w", err)
	}
	return nil
}

// Bucket returns the bucket of a name in a partition.
func (t *tx) Bucket(partition, name string) (*gatehouse.Bucket, error) {
	if partition == gatehouse.Partition {
		partition = ""
	}
	b, err := scanBucket(t.queryRow(`SELECT `+bucketColumns+` FROM buckets WHERE partition = ? AND name = ?`, partition, name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, noSuchBucket(name)
	}
	if err != nil {
		return nil, fmt.Errorf("bucket %q: %w", name, err)
	}
	return b, nil
}

// Buckets returns an account's buckets by name.
func (t *tx) Buckets(accountID string) ([]*gatehouse.Bucket, error) {
	rows, err := t.query(`SELECT `+bucketColumns+` FROM buckets WHERE account_id = ? ORDER BY name`, accountID)
	if err != nil {
		return nil, fmt.Errorf("buckets: %w", err)
	}
	defer rows.Close()
	var out []*gatehouse.Bucket
	for rows.Next() {
		b, err := scanBucket(rows)
		if err != nil {
			return nil, fmt.Errorf("buckets: %w", err)
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// UpdateBucket replaces a bucket's settings.
func (t *tx) UpdateBucket(b *gatehouse.Bucket) error {
	tags, err := encodeTags(b.Tags)
	if err != nil {
		return err
	}
	n, err := t.execCount(`UPDATE buckets SET versioning = ?, mfa_delete = ?, mfa_delete_configured = ?, policy = ?, tags = ?, public_access_block = ?
		WHERE id = ?`, b.Versioning, b.MFADelete, b.MFADeleteConfigured, b.Policy, tags, encodePublicAccessBlock(b.PublicAccessBlock), b.ID)
	if err != nil {
		return fmt.Errorf("update bucket: %w", err)
	}
	if n == 0 {
		return noSuchBucket(b.Name)
	}
	return nil
}

// DeleteBucket deletes a bucket by ID.
func (t *tx) DeleteBucket(id string) error {
	n, err := t.execCount(`DELETE FROM buckets WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("delete bucket: %w", err)
	}
	if n == 0 {
		return noSuchBucket(id)
	}
	return nil
}

const objectColumns = `seq, bucket_id, key, version_id, delete_marker, size, etag, modified_at, document, blob_id, owner`

// objectDoc is the part of a version kept in objects.document.
type objectDoc struct {
	Headers   map[string]string `json:"headers,omitempty"`
	Metadata  map[string]string `json:"metadata,omitempty"`
	Checksums map[string]string `json:"checksums,omitempty"`
	Tags      [][2]string       `json:"tags,omitempty"`
}

// scanObject scans objectColumns, then extra.
func scanObject(row scanner, extra ...any) (*gatehouse.Object, error) {
	var o gatehouse.Object
	var modified sql.NullInt64
	var doc string
	if err := row.Scan(append([]any{&o.Seq, &o.BucketID, &o.Key, &o.VersionID, &o.DeleteMarker, &o.Size, &o.ETag, &modified, &doc,
		&o.BlobID, &o.Owner}, extra...)...); err != nil {
		return nil, err
	}
	o.Modified = decodeTime(modified)
	var d objectDoc
	if err := json.Unmarshal([]byte(doc), &d); err != nil {
		return nil, fmt.Errorf("decode object %q: %w", o.Key, err)
	}
	o.Headers, o.Metadata, o.Checksums = d.Headers, d.Metadata, d.Checksums
	for _, p := range d.Tags {
		o.Tags = append(o.Tags, gatehouse.Tag{Key: p[0], Value: p[1]})
	}
	return &o, nil
}

func noSuchObject() error {
	return gatehouse.Errorf(gatehouse.CodeNotFound, "The specified key does not exist.")
}

// PutObject stores a new version, replacing the key's "null" version
// when it is one.
func (t *tx) PutObject(o *gatehouse.Object) (*gatehouse.Object, error) {
	var replaced *gatehouse.Object
	if o.VersionID == "null" {
		old, err := t.DeleteObjectVersion(o.BucketID, o.Key, "null")
		switch {
		case err == nil:
			replaced = old
		case gatehouse.ErrorCode(err) != gatehouse.CodeNotFound:
			return nil, err
		}
	}
	o.Modified = t.stamp(o.Modified)
	d := objectDoc{Headers: o.Headers, Metadata: o.Metadata, Checksums: o.Checksums}
	for _, tag := range o.Tags {
		d.Tags = append(d.Tags, [2]string{tag.Key, tag.Value})
	}
	doc, err := json.Marshal(d)
	if err != nil {
		return nil, fmt.Errorf("put object: %w", err)
	}
	var data any // NULL unless the bytes are in the record
	if o.BlobID == "" && !o.DeleteMarker {
		data = o.Data
		if o.Data == nil {
			data = []byte{}
		}
	}
	res, err := t.execAppend(`INSERT INTO objects (bucket_id, key, version_id, delete_marker, size, etag, modified_at, document, blob_id, owner, data)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		o.BucketID, o.Key, o.VersionID, o.DeleteMarker, o.Size, o.ETag, encodeTime(o.Modified), string(doc), o.BlobID, o.Owner, data)
	if constraintOf(err) != noConstraint {
		return nil, gatehouse.Errorf(gatehouse.CodeAlreadyExists, "The version %s of the key exists.", o.VersionID)
	}
	if err != nil {
		return nil, fmt.Errorf("put object: %w", err)
	}
	if o.Seq, err = res.LastInsertId(); err != nil {
		return nil, fmt.Errorf("put object: %w", err)
	}
	return replaced, nil
}

// Object returns a version of a key, the latest when versionID is "".
func (t *tx) Object(bucketID, key, versionID string) (*gatehouse.Object, error) {
	var row *sql.Row
	if versionID == "" {
		row = t.queryRow(`SELECT `+objectColumns+`, data FROM objects WHERE bucket_id = ? AND key = ? ORDER BY seq DESC LIMIT 1`, bucketID, key)
	} else {
		row = t.queryRow(`SELECT `+objectColumns+`, data FROM objects WHERE bucket_id = ? AND key = ? AND version_id = ?`, bucketID, key, versionID)
	}
	var data []byte
	o, err := scanObject(row, &data)
	if o != nil && o.BlobID == "" && !o.DeleteMarker {
		o.Data = data
		if o.Data == nil { // an empty BLOB scans as nil
			o.Data = []byte{}
		}
	}
	if errors.Is(err, sql.ErrNoRows) {
		return nil, noSuchObject()
	}
	if err != nil {
		return nil, fmt.Errorf("object: %w", err)
	}
	return o, nil
}

// DeleteObjectVersion deletes one version and returns it.
func (t *tx) DeleteObjectVersion(bucketID, key, versionID string) (*gatehouse.Object, error) {
	if t.readOnly {
		return nil, errReadOnly
	}
	t.appended = true // a write no cache holds
	o, err := scanObject(t.queryRow(`DELETE FROM objects WHERE bucket_id = ? AND key = ? AND version_id = ? RETURNING `+objectColumns,
		bucketID, key, versionID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, noSuchObject()
	}
	if err != nil {
		return nil, fmt.Errorf("delete object version: %w", err)
	}
	return o, nil
}

// prefixEnd returns the smallest string greater than every string that
// begins with prefix, "" when there is none (prefix is all 0xff bytes
// or empty).
func prefixEnd(prefix string) string {
	b := []byte(prefix)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] < 0xff {
			b[i]++
			return string(b[:i+1])
		}
	}
	return ""
}

// keyRange returns the SQL condition and arguments for values of
// column that begin with prefix and are greater than after.
func keyRange(column, prefix, after string) (string, []any) {
	var cond string
	var args []any
	if prefix > after {
		cond, args = " AND "+column+" >= ?", append(args, prefix)
	} else {
		cond, args = " AND "+column+" > ?", append(args, after)
	}
	if end := prefixEnd(prefix); end != "" {
		cond, args = cond+" AND "+column+" < ?", append(args, end)
	}
	return cond, args
}

// ListObjects returns latest versions that are not delete markers.
func (t *tx) ListObjects(bucketID, prefix, startAfter string, limit int) ([]*gatehouse.Object, error) {
	cond, args := keyRange("o.key", prefix, startAfter)
	// The latest version of each key in range: the highest seq per key.
	q := `SELECT ` + objectColumns + ` FROM objects o WHERE bucket_id = ?` + cond +
		` AND seq = (SELECT MAX(seq) FROM objects WHERE bucket_id = o.bucket_id AND key = o.key) AND delete_marker = 0
		ORDER BY o.key LIMIT ?`
	return t.objects(q, append(append([]any{bucketID}, args...), limit)...)
}

// ListObjectVersions returns versions by key, newest first.
func (t *tx) ListObjectVersions(bucketID, prefix, keyMarker string, versionSeq int64, limit int) ([]*gatehouse.Object, error) {
	var out []*gatehouse.Object
	if versionSeq > 0 { // the rest of the marker key's versions first
		if keyMarker >= prefix && strings.HasPrefix(keyMarker, prefix) {
			rest, err := t.objects(`SELECT `+objectColumns+` FROM objects WHERE bucket_id = ? AND key = ? AND seq < ? ORDER BY seq DESC LIMIT ?`,
				bucketID, keyMarker, versionSeq, limit)
			if err != nil {
				return nil, err
			}
			out = rest
		}
	}
	if len(out) >= limit {
		return out, nil
	}
	cond, args := keyRange("key", prefix, keyMarker)
	more, err := t.objects(`SELECT `+objectColumns+` FROM objects WHERE bucket_id = ?`+cond+` ORDER BY key, seq DESC LIMIT ?`,
		append(append([]any{bucketID}, args...), limit-len(out))...)
	if err != nil {
		return nil, err
	}
	return append(out, more...), nil
}

func (t *tx) objects(q string, args ...any) ([]*gatehouse.Object, error) {
	rows, err := t.query(q, args...)
	if err != nil {
		return nil, fmt.Errorf("list objects: %w", err)
	}
	defer rows.Close()
	var out []*gatehouse.Object
	for rows.Next() {
		o, err := scanObject(rows)
		if err != nil {
			return nil, fmt.Errorf("list objects: %w", err)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// BucketHasObjects reports whether any version is left in the bucket.
func (t *tx) BucketHasObjects(bucketID string) (bool, error) {
	var n int
	err := t.queryRow(`SELECT EXISTS (SELECT 1 FROM objects WHERE bucket_id = ?)`, bucketID).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("bucket has objects: %w", err)
	}
	return n == 1, nil
}

// BlobReferenced reports whether any version or upload part names the
// blob.
func (t *tx) BlobReferenced(blobID string) (bool, error) {
	var n int
	err := t.queryRow(`SELECT EXISTS (SELECT 1 FROM objects WHERE blob_id = ?) OR EXISTS (SELECT 1 FROM upload_parts WHERE blob_id = ?)`,
		blobID, blobID).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("blob referenced: %w", err)
	}
	return n == 1, nil
}

// SetObjectTags replaces a version's tags in its document.
func (t *tx) SetObjectTags(bucketID, key, versionID string, tags []gatehouse.Tag) error {
	o, err := t.Object(bucketID, key, versionID)
	if err != nil {
		return err
	}
	d := objectDoc{Headers: o.Headers, Metadata: o.Metadata, Checksums: o.Checksums}
	for _, tag := range tags {
		d.Tags = append(d.Tags, [2]string{tag.Key, tag.Value})
	}
	doc, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("set object tags: %w", err)
	}
	if _, err := t.execAppend(`UPDATE objects SET document = ? WHERE seq = ?`, string(doc), o.Seq); err != nil {
		return fmt.Errorf("set object tags: %w", err)
	}
	return nil
}
