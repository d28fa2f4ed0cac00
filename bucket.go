package gatehouse

import "time"

// Bucket is an S3 general purpose bucket. Its name is unique in its
// partition, across accounts.
type Bucket struct {
	// ID is the bucket's internal identity, set by the S3 service when
	// it creates the bucket: its objects are kept under the ID, so a
	// bucket deleted and created again under the same name starts empty.
	ID        string
	Name      string
	AccountID string // the owner
	// Partition is the partition of the owner's account, as for
	// Account.Partition; stores set it on create and on every read.
	Partition string
	Region    string
	Created   time.Time
	// Versioning is "" (never enabled), "Enabled" or "Suspended".
	Versioning string
	// MFADelete is true when versioning changes and permanent version
	// deletes need the root user's MFA code (MfaDelete Enabled).
	MFADelete bool
	// MFADeleteConfigured is true once a PutBucketVersioning has set
	// MfaDelete (Enabled or Disabled): GetBucketVersioning shows
	// MfaDelete from then on, Disabled when it is off.
	MFADeleteConfigured bool
	// Policy is the bucket policy document as the owner put it, "" for
	// none.
	Policy string
	Tags   []Tag
	// PublicAccessBlock is the bucket's Block Public Access setting, nil
	// when none is configured.
	PublicAccessBlock *PublicAccessBlock
}

// ARN returns the bucket's ARN (arn:aws:s3:::name).
func (b *Bucket) ARN() string { return "arn:" + PartitionName(b.Partition) + ":s3:::" + b.Name }

// PublicAccessBlock is S3's Block Public Access configuration.
type PublicAccessBlock struct {
	BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets bool
}

// Object is one version of an S3 object: its metadata. The bytes are a
// blob (package blob) named by BlobID.
type Object struct {
	BucketID string
	Key      string
	// VersionID is "null" for the version written while versioning was
	// never enabled or is suspended, a generated ID otherwise.
	VersionID string
	// Seq orders the versions of a bucket: the store assigns it on
	// create, and the latest version of a key has the highest.
	Seq          int64
	DeleteMarker bool
	Size         int64
	// ETag is the entity tag without quotes: the hex MD5 of the bytes,
	// or for a multipart upload the MD5 of the parts' MD5s and "-N".
	ETag     string
	Modified time.Time
	// Headers are the stored system headers S3 returns with the object
	// (Content-Type, Content-Encoding, Cache-Control, ...), by canonical
	// name.
	Headers map[string]string
	// Metadata is the user metadata (x-amz-meta-*), by lower-case name
	// without the prefix.
	Metadata map[string]string
	// Checksums maps an algorithm (CRC32, CRC32C, SHA1, SHA256,
	// CRC64NVME) to the base64 checksum the client sent and S3 verified.
	Checksums map[string]string
	Tags      []Tag
	// BlobID names the blob holding the bytes; it is "" for a delete
	// marker and for a small object whose bytes are Data.
	BlobID string
	// Data holds the bytes of a small object kept in its record rather
	// than in a blob (BlobID ""). The store fills it when it reads one
	// version (Object), not in lists.
	Data  []byte
	Owner string // the account that wrote the version
}

// BucketTx covers S3 buckets.
type BucketTx interface {
	// CreateBucket stores a new bucket, setting its Partition from its
	// account; CodeAlreadyExists when the name is taken in the partition.
	CreateBucket(b *Bucket) error
	// Bucket returns the bucket of a name in a partition ("" is
	// Partition), CodeNotFound when there is none.
	Bucket(partition, name string) (*Bucket, error)
	// Buckets returns an account's buckets by name.
	Buckets(accountID string) ([]*Bucket, error)
	// UpdateBucket replaces the bucket's settings (versioning, MFA
	// delete, policy, tags, public access block); CodeNotFound when the
	// bucket is gone.
	UpdateBucket(b *Bucket) error
	// DeleteBucket deletes a bucket by ID; CodeNotFound when unknown.
	// The caller checks it is empty.
	DeleteBucket(id string) error
}

// ObjectTx covers the versions of S3 objects. Object writes do not move
// the store's revision: no cache holds objects.
type ObjectTx interface {
	// PutObject stores a new version and sets its Seq. A version whose
	// VersionID is "null" replaces the key's earlier "null" version,
	// which it returns (nil when there was none) so the caller can
	// remove its blob.
	PutObject(o *Object) (replaced *Object, err error)
	// Object returns a version of a key: the latest when versionID is ""
	// (which may be a delete marker). CodeNotFound when there is none.
	Object(bucketID, key, versionID string) (*Object, error)
	// DeleteObjectVersion deletes one version and returns it;
	// CodeNotFound when unknown.
	DeleteObjectVersion(bucketID, key, versionID string) (*Object, error)
	// ListObjects returns up to limit latest versions that are not
	// delete markers, with keys after startAfter that begin with prefix,
	// in key order (bytewise).
	ListObjects(bucketID, prefix, startAfter string, limit int) ([]*Object, error)
	// ListObjectVersions returns up to limit versions of keys beginning
	// with prefix, by key and then newest first, starting after the
	// version (keyMarker, versionSeq): versionSeq 0 starts at the first
	// version of the key after keyMarker.
	ListObjectVersions(bucketID, prefix, keyMarker string, versionSeq int64, limit int) ([]*Object, error)
	// SetObjectTags replaces a version's tags; CodeNotFound when the
	// version is unknown.
	SetObjectTags(bucketID, key, versionID string, tags []Tag) error
	// BucketHasObjects reports whether any version (delete markers
	// included) is left in the bucket.
	BucketHasObjects(bucketID string) (bool, error)
	// BlobReferenced reports whether any version or upload part names
	// the blob.
	BlobReferenced(blobID string) (bool, error)
}

// Upload is a multipart upload in progress: what CreateMultipartUpload
// was given, for the object CompleteMultipartUpload makes.
type Upload struct {
	ID        string
	BucketID  string
	Key       string
	Initiated time.Time
	Headers   map[string]string
	Metadata  map[string]string
	Tags      []Tag
	Owner     string
	// ChecksumAlgorithm is the algorithm the parts carry checksums of
	// (x-amz-checksum-algorithm), "" for none.
	ChecksumAlgorithm string
}

// Part is one uploaded part of a multipart upload.
type Part struct {
	UploadID string
	Number   int
	Size     int64
	ETag     string // hex MD5 of the part, without quotes
	Modified time.Time
	// Checksum is the part's checksum in its upload's algorithm (base64),
	// "" for none.
	Checksum string
	BlobID   string
}

// UploadTx covers multipart uploads and their parts. Like objects, they
// do not move the store's revision.
type UploadTx interface {
	CreateUpload(u *Upload) error
	// Upload returns an upload of a bucket by ID; CodeNotFound when
	// unknown (or of another bucket or key).
	Upload(bucketID, key, id string) (*Upload, error)
	// Uploads returns up to limit uploads of keys beginning with prefix,
	// by key then initiation, after (keyMarker, idMarker).
	Uploads(bucketID, prefix, keyMarker, idMarker string, limit int) ([]*Upload, error)
	// DeleteUpload deletes an upload with its parts and returns the
	// parts; CodeNotFound when unknown.
	DeleteUpload(id string) ([]*Part, error)
	// PutPart stores a part, replacing (and returning) the part of the
	// same number.
	PutPart(p *Part) (replaced *Part, err error)
	// Parts returns up to limit parts numbered above after, in order.
	Parts(uploadID string, after, limit int) ([]*Part, error)
	// BucketHasUploads reports whether uploads are in progress in the
	// bucket.
	BucketHasUploads(bucketID string) (bool, error)
}
