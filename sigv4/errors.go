package sigv4

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Code is an AWS error code that [Verifier.Verify] reports in an [*Error].
type Code string

// The codes [Verifier.Verify] reports. The HTTP status of each is in
// [Error.Status]; the api layer writes both to the wire unchanged.
const (
	// CodeMissingAuthenticationToken (403): the request carries no
	// signature at all.
	CodeMissingAuthenticationToken Code = "MissingAuthenticationToken"
	// CodeIncompleteSignature (400): the signature information is
	// malformed or incomplete.
	CodeIncompleteSignature Code = "IncompleteSignature"
	// CodeInvalidClientTokenID (403, wire value "InvalidClientTokenId"):
	// the access key id is unknown.
	CodeInvalidClientTokenID Code = "InvalidClientTokenId"
	// CodeSignatureDoesNotMatch (403): wrong signature, wrong credential
	// scope, a request date outside the allowed clock skew, or
	// UNSIGNED-PAYLOAD where only a signed body hash is accepted.
	CodeSignatureDoesNotMatch Code = "SignatureDoesNotMatch"
	// CodeAccessDenied (403): an expired S3 presigned URL, or x-amz-*
	// headers that the signature does not cover (S3's wording).
	CodeAccessDenied Code = "AccessDenied"
	// CodeAuthorizationQueryParametersError (400): a malformed S3
	// presigned URL (X-Amz-Expires missing or out of range).
	CodeAuthorizationQueryParametersError Code = "AuthorizationQueryParametersError"
	// CodeXAmzContentSHA256Mismatch (400): the body does not hash to the
	// signed x-amz-content-sha256 value.
	CodeXAmzContentSHA256Mismatch Code = "XAmzContentSHA256Mismatch"
	// CodeInvalidRequest (400): an S3 request without a signed
	// x-amz-content-sha256 header.
	CodeInvalidRequest Code = "InvalidRequest"
	// CodeInvalidArgument (400): an x-amz-content-sha256 value that is
	// neither UNSIGNED-PAYLOAD nor a SHA-256 hex digest.
	CodeInvalidArgument Code = "InvalidArgument"
)

// Error is a verification failure caused by the request. Code, Message
// and Status are what AWS answers in the same situation; see the package
// documentation for the cases where AWS's exact answer is a guess.
//
// Messages may quote parts of the request (an Authorization header, a
// credential scope, a date), never a secret key, a derived key or the
// signature the server computed.
type Error struct {
	Code    Code
	Message string
	Status  int
}

// Error returns "sigv4: <code>: <message>".
func (e *Error) Error() string { return "sigv4: " + string(e.Code) + ": " + e.Message }

// ErrUnknownKey is returned by a [SecretLookup] for an access key id it
// does not know. [Verifier.Verify] reports it as InvalidClientTokenId.
var ErrUnknownKey = errors.New("sigv4: unknown access key id")

// AWS's messages, word for word where known.
const (
	msgMissingAuth       = "Missing Authentication Token"
	msgInvalidToken      = "The security token included in the request is invalid."
	msgSignatureMismatch = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
	msgTwoMechanisms     = "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified"
	msgUnsupportedAlg    = "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256."
	msgHostNotSigned     = "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."
	msgHeadersNotSigned  = "There were headers present in the request which were not signed"
	msgRequestExpired    = "Request has expired"
	msgContentMismatch   = "The provided 'x-amz-content-sha256' header does not match what was computed."
	msgContentMissing    = "Missing required header for this request: x-amz-content-sha256"
	msgContentInvalid    = "x-amz-content-sha256 must be UNSIGNED-PAYLOAD or a valid sha256 value."
	// Gatehouse's words: AWS answers UNSIGNED-PAYLOAD outside S3 with the
	// plain SignatureDoesNotMatch message, since it signs the body's hash.
	msgUnsignedPayload     = "x-amz-content-sha256: UNSIGNED-PAYLOAD is accepted only by Amazon S3. Sign the SHA-256 hash of the request body."
	msgUnsignedPayloadBody = "A presigned URL that signs UNSIGNED-PAYLOAD covers no request body: send it without a body, or sign the body's SHA-256 hash."
	msgS3QueryParams       = "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters."
	msgS3ExpiresNumber     = "X-Amz-Expires should be a number"
	msgS3ExpiresNegative   = "X-Amz-Expires must be non-negative"
	msgS3ExpiresTooLong    = "X-Amz-Expires must be less than a week (in seconds) that is 604800"
	msgQueryParamsTrailer  = "Re-examine the query-string parameters."
)

func newError(code Code, status int, msg string) *Error {
	return &Error{Code: code, Message: msg, Status: status}
}

func incomplete(msg string) *Error {
	return newError(CodeIncompleteSignature, http.StatusBadRequest, msg)
}

func mismatch(msg string) *Error {
	return newError(CodeSignatureDoesNotMatch, http.StatusForbidden, msg)
}

// errMissingEqual is AWS's answer to an Authorization header with a part
// that has no '='. AWS hashes the header instead of quoting it, since such
// headers are often bearer tokens meant for someone else.
func errMissingEqual(header string) *Error {
	sum := sha256.Sum256([]byte(header))
	return incomplete("Invalid key=value pair (missing equal-sign) in Authorization header (hashed with SHA-256 and encoded with Base64): '" +
		base64.StdEncoding.EncodeToString(sum[:]) + "'.")
}

// errRequires lists the missing parts of an Authorization header, then
// quotes the header, as AWS does.
func errRequires(cred, sig, signed, date bool, header string) *Error {
	var b strings.Builder
	if cred {
		b.WriteString("Authorization header requires 'Credential' parameter. ")
	}
	if sig {
		b.WriteString("Authorization header requires 'Signature' parameter. ")
	}
	if signed {
		b.WriteString("Authorization header requires 'SignedHeaders' parameter. ")
	}
	if date {
		b.WriteString("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ")
	}
	b.WriteString("Authorization=")
	b.WriteString(header)
	return incomplete(b.String())
}

func errCredentialElements(cred string) *Error {
	return incomplete("Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '" + cred + "'")
}

func errDateFormat(date string) *Error {
	return incomplete("Date must be in ISO-8601 'basic format'. Got '" + date + "'. See http://en.wikipedia.org/wiki/ISO_8601")
}

func errDateScope(scopeDate, amzDate string) *Error {
	return mismatch("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '" +
		scopeDate + "' != '" + amzDate[:8] + "', from '" + amzDate + "'.")
}

func errExpired(date, now time.Time, skew time.Duration) *Error {
	return mismatch("Signature expired: " + date.Format(amzDateLayout) + " is now earlier than " +
		now.Add(-skew).Format(amzDateLayout) + " (" + now.Format(amzDateLayout) + " - " + skewText(skew) + ")")
}

func errNotYetCurrent(date, now time.Time, skew time.Duration) *Error {
	return mismatch("Signature not yet current: " + date.Format(amzDateLayout) + " is still later than " +
		now.Add(skew).Format(amzDateLayout) + " (" + now.Format(amzDateLayout) + " + " + skewText(skew) + ")")
}

// skewText renders a skew the way AWS does ("15 min."), falling back to
// seconds for skews that are not whole minutes.
func skewText(d time.Duration) string {
	if d%time.Minute == 0 {
		return strconv.FormatInt(int64(d/time.Minute), 10) + " min."
	}
	return strconv.FormatInt(int64(d/time.Second), 10) + " sec."
}
