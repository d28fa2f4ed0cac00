// Package s3 is Gatehouse's S3 service: buckets and the versions of their
// objects, with S3's rules for bucket names and regions, versioning,
// ETags and checksums, conditional requests and ranges. Object bytes are
// blobs (package blob), committed before the metadata that names them,
// except those of objects up to InlineMax bytes, which their record holds.
package s3

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/blob"
)

// Service runs S3 operations on a store and a blob directory.
type Service struct {
	Store *gatehouse.TxStore[Tx]
	Blobs *blob.Store
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// Rand is the source of version IDs; nil means crypto/rand.
	Rand io.Reader

	buckets bucketCache
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// newVersionID returns a new version ID: 32 URL-safe characters, as
// long as S3's.
func (s *Service) newVersionID() (string, error) {
	var b [16]byte
	r := s.Rand
	if r == nil {
		r = rand.Reader
	}
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return "", err
	}
	return hex.EncodeToString(b[:]), nil
}

// S3's error codes. The domain's own codes (gatehouse.Codes) cover what
// every service shares; these are S3's words for what only S3 says, and
// the REST-XML codec (api/restxml) sends them as they are, with S3's
// status.
const (
	CodeNoSuchBucket              gatehouse.Code = "NoSuchBucket"
	CodeNoSuchKey                 gatehouse.Code = "NoSuchKey"
	CodeNoSuchVersion             gatehouse.Code = "NoSuchVersion"
	CodeNoSuchBucketPolicy        gatehouse.Code = "NoSuchBucketPolicy"
	CodeNoSuchTagSet              gatehouse.Code = "NoSuchTagSet"
	CodeNoSuchPublicAccessBlock   gatehouse.Code = "NoSuchPublicAccessBlockConfiguration"
	CodeBucketAlreadyExists       gatehouse.Code = "BucketAlreadyExists"
	CodeBucketAlreadyOwnedByYou   gatehouse.Code = "BucketAlreadyOwnedByYou"
	CodeBucketNotEmpty            gatehouse.Code = "BucketNotEmpty"
	CodeInvalidBucketName         gatehouse.Code = "InvalidBucketName"
	CodeTooManyBuckets            gatehouse.Code = "TooManyBuckets"
	CodeInvalidLocationConstraint gatehouse.Code = "InvalidLocationConstraint"
	CodeIllegalLocationConstraint gatehouse.Code = "IllegalLocationConstraintException"
	CodeInvalidArgument           gatehouse.Code = "InvalidArgument"
	CodeInvalidRequest            gatehouse.Code = "InvalidRequest"
	CodeInvalidRange              gatehouse.Code = "InvalidRange"
	CodePreconditionFailed        gatehouse.Code = "PreconditionFailed"
	CodeNotModified               gatehouse.Code = "NotModified"
	CodeBadDigest                 gatehouse.Code = "BadDigest"
	CodeInvalidDigest             gatehouse.Code = "InvalidDigest"
	CodeMalformedXML              gatehouse.Code = "MalformedXML"
	CodeKeyTooLong                gatehouse.Code = "KeyTooLongError"
	CodeMetadataTooLarge          gatehouse.Code = "MetadataTooLarge"
	CodeInvalidTag                gatehouse.Code = "InvalidTag"
	CodeIllegalVersioning         gatehouse.Code = "IllegalVersioningConfigurationException"
	CodeMethodNotAllowed          gatehouse.Code = "MethodNotAllowed"
	CodeEntityTooLarge            gatehouse.Code = "EntityTooLarge"
	CodeIncompleteBody            gatehouse.Code = "IncompleteBody"
	CodeContentSHA256Mismatch     gatehouse.Code = "XAmzContentSHA256Mismatch"
	CodeNotImplemented            gatehouse.Code = "NotImplemented"
)

// Codes lists S3's error codes, for the codec's tests.
var Codes = []gatehouse.Code{
	CodeNoSuchBucket, CodeNoSuchKey, CodeNoSuchVersion, CodeNoSuchBucketPolicy, CodeNoSuchTagSet, CodeNoSuchPublicAccessBlock,
	CodeBucketAlreadyExists, CodeBucketAlreadyOwnedByYou, CodeBucketNotEmpty, CodeInvalidBucketName, CodeTooManyBuckets,
	CodeInvalidLocationConstraint, CodeIllegalLocationConstraint, CodeInvalidArgument, CodeInvalidRequest, CodeInvalidRange,
	CodePreconditionFailed, CodeNotModified, CodeBadDigest, CodeInvalidDigest, CodeMalformedXML, CodeKeyTooLong,
	CodeMetadataTooLarge, CodeInvalidTag, CodeIllegalVersioning, CodeMethodNotAllowed, CodeEntityTooLarge,
	CodeIncompleteBody, CodeContentSHA256Mismatch, CodeNotImplemented,
	CodeNoSuchUpload, CodeInvalidPart, CodeInvalidPartOrder, CodeEntityTooSmall,
}

func noSuchBucket(name string) *gatehouse.Error {
	return gatehouse.Errorf(CodeNoSuchBucket, "The specified bucket does not exist").With("BucketName", name)
}

func noSuchKey(key string) *gatehouse.Error {
	return gatehouse.Errorf(CodeNoSuchKey, "The specified key does not exist.").With("Key", key)
}

func invalidArgument(msg, name, value string) *gatehouse.Error {
	return gatehouse.Errorf(CodeInvalidArgument, "%s", msg).With("ArgumentName", name).With("ArgumentValue", value)
}

// CanonicalUserID returns the canonical user ID S3 shows for an account
// (the Owner of buckets and objects): 64 hex characters, stable for the
// account.
func CanonicalUserID(accountID string) string {
	sum := sha256.Sum256([]byte("gatehouse canonical user\x00" + accountID))
	return hex.EncodeToString(sum[:])
}
