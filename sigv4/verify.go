package sigv4

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// SecretLookup gives [Verifier] the secret of an access key. Looking up
// credentials (and deciding whether a session token is still valid) is the
// caller's job.
type SecretLookup interface {
	// SecretKey returns the secret access key of accessKeyID. It returns
	// ErrUnknownKey (possibly wrapped) when the key does not exist or is
	// inactive; Verify reports that as InvalidClientTokenId. An [*Error]
	// is passed through to the caller unchanged (say, ExpiredToken);
	// any other error is wrapped and returned as an internal failure.
	SecretKey(ctx context.Context, accessKeyID string) (secret string, err error)
}

// Verifier checks AWS Signature Version 4 on incoming requests. The zero
// value is not usable: Secrets must be set (or every call made with
// VerifyWith). Other fields have useful
// zero values. Set the fields before the first Verify and do not change
// them afterwards; a Verifier is then safe for concurrent use and must
// not be copied.
type Verifier struct {
	// Secrets looks up the secret of an access key id.
	Secrets SecretLookup
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// MaxSkew is how far the request date may be from Now; 0 means 15
	// minutes, as at IAM and STS.
	MaxSkew time.Duration
	// AllowedServices, when not empty, is the list of service names a
	// credential scope may name, say {"iam", "sts"}. When empty any
	// syntactically valid service name is accepted, and the caller
	// routes on Result.Service.
	AllowedServices []string
	// KeyCacheSize bounds the cache of derived signing keys: 0 means
	// 1024 entries, a negative value turns the cache off.
	KeyCacheSize int

	cache atomic.Pointer[keyCache]
}

// Result describes a request whose signature verified.
type Result struct {
	AccessKeyID string
	Region      string
	Service     string
	// SessionToken is the X-Amz-Security-Token header or query
	// parameter, empty for long-term keys. Verify does not validate it:
	// the caller must check that it belongs to AccessKeyID, and refuse
	// one sent with a long-term key (AWS answers InvalidClientTokenId).
	SessionToken string
	// Date is the signing time (X-Amz-Date, or the Date header), UTC.
	Date time.Time
	// Presigned is true for query-string (presigned URL) authentication.
	Presigned bool
	// SignedHeaders are the lower-case names the signature covers.
	SignedHeaders []string
	// UnsignedPayload is true when the client signed the literal
	// UNSIGNED-PAYLOAD instead of the body's hash. For service "s3"
	// (presigned URLs, or x-amz-content-sha256: UNSIGNED-PAYLOAD) the
	// body is then not covered by the signature. Verify accepts it for
	// any other service only on a presigned URL sent without a body, so
	// there is no body to cover.
	UnsignedPayload bool
	// PayloadHash is, for a request verified with VerifyStream, the
	// payload hash the signature covers: a lower-case hex SHA-256 the
	// caller must compare with the body it reads, UNSIGNED-PAYLOAD, or
	// one of the STREAMING-* values of an aws-chunked body.
	PayloadHash string
	// Seed is set for a signed aws-chunked body
	// (STREAMING-AWS4-HMAC-SHA256-PAYLOAD and its -TRAILER form): what
	// verifying its chunk signatures needs.
	Seed *Seed
}

// Seed is what verifying the chunk signatures of a signed aws-chunked
// body needs: the request's signing key, date, scope and signature.
type Seed struct {
	Key       [32]byte // the derived signing key: secret material
	Date      string   // X-Amz-Date as sent
	Scope     string   // date/region/service/aws4_request
	Signature string   // the request's signature, the first chunk's "previous"
}

// String describes the seed without its key.
func (s *Seed) String() string {
	return fmt.Sprintf("sigv4.Seed{Key:REDACTED Date:%s Scope:%s Signature:%s}", s.Date, s.Scope, s.Signature)
}

// GoString is String, so that %#v does not print the key.
func (s *Seed) GoString() string { return s.String() }

// LogValue logs the seed without its key.
func (s *Seed) LogValue() slog.Value { return slog.StringValue(s.String()) }

// String describes r without its session token.
func (r Result) String() string {
	return fmt.Sprintf("sigv4.Result{AccessKeyID:%s Region:%s Service:%s SessionToken:%s Date:%s Presigned:%t SignedHeaders:%v UnsignedPayload:%t PayloadHash:%s}",
		r.AccessKeyID, r.Region, r.Service, redacted(r.SessionToken), r.Date.Format(amzDateLayout), r.Presigned, r.SignedHeaders, r.UnsignedPayload, r.PayloadHash)
}

// GoString is String, so that %#v does not print the session token.
func (r Result) GoString() string { return r.String() }

// LogValue logs r without its session token.
func (r Result) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("access_key_id", r.AccessKeyID),
		slog.String("region", r.Region),
		slog.String("service", r.Service),
		slog.Bool("session", r.SessionToken != ""),
		slog.Time("date", r.Date),
		slog.Bool("presigned", r.Presigned),
	)
}

func redacted(s string) string {
	if s == "" {
		return ""
	}
	return "REDACTED"
}

// Verify checks the SigV4 signature of r, whose body the caller has
// already read into body. It accepts the Authorization header form and
// the presigned query form, but not both at once.
//
// It returns an [*Error] for every failure the client caused, with AWS's
// code, message and HTTP status, in this order of checks: missing or
// malformed signature information (MissingAuthenticationToken,
// IncompleteSignature), credential scope and date (SignatureDoesNotMatch),
// host and x-amz-* headers not signed, clock skew or expiry, the
// x-amz-content-sha256 declaration (UNSIGNED-PAYLOAD outside S3 is
// SignatureDoesNotMatch, see the package documentation), the access key
// (InvalidClientTokenId),
// the signature itself (SignatureDoesNotMatch) and finally the body
// against a signed x-amz-content-sha256 digest. Errors from Secrets other
// than ErrUnknownKey and [*Error] come back wrapped, not as an *Error.
func (v *Verifier) Verify(ctx context.Context, r *http.Request, body []byte) (*Result, error) {
	return v.VerifyWith(ctx, r, body, v.Secrets)
}

// VerifyWith is Verify with the secrets looked up in secrets instead of
// v.Secrets: for a caller whose lookup depends on the request (the
// store revision the request reads at, say).
func (v *Verifier) VerifyWith(ctx context.Context, r *http.Request, body []byte, secrets SecretLookup) (*Result, error) {
	return v.verify(ctx, r, body, false, secrets)
}

// VerifyStream checks the signature of an S3 request whose body the
// caller has not read: it streams the body afterwards. S3 requests
// declare their payload hash (x-amz-content-sha256, or UNSIGNED-PAYLOAD
// on a presigned URL); VerifyStream returns it in Result.PayloadHash,
// and the caller must compare a declared SHA-256 with the body it reads
// (XAmzContentSHA256Mismatch) before it commits anything, and decode
// and verify an aws-chunked body (STREAMING-*; Result.Seed for the
// signed forms). Requests for any other service are refused: their
// signature covers a body the caller must read first (use VerifyWith).
func (v *Verifier) VerifyStream(ctx context.Context, r *http.Request, secrets SecretLookup) (*Result, error) {
	return v.verify(ctx, r, nil, true, secrets)
}

func (v *Verifier) verify(ctx context.Context, r *http.Request, body []byte, stream bool, secrets SecretLookup) (*Result, error) {
	if secrets == nil {
		return nil, errors.New("sigv4: no SecretLookup")
	}
	if r == nil || r.URL == nil {
		return nil, errors.New("sigv4: request has no URL")
	}
	s, e := parseSignedRequest(r)
	if e != nil {
		return nil, e
	}
	if e := v.checkScope(&s); e != nil {
		return nil, e
	}
	if e := checkSignedHeaders(r, s.signedHeaders); e != nil {
		return nil, e
	}
	if e := v.checkTime(&s); e != nil {
		return nil, e
	}
	if stream && s.cred.Service != "s3" {
		return nil, errors.New("sigv4: VerifyStream verifies S3 requests only")
	}
	var pb [64]byte
	payload, checkBody, e := payloadHash(r, body, &s, &pb, stream)
	if e != nil {
		return nil, e
	}
	if e := checkUnsignedPayload(&s, payload, body); e != nil {
		return nil, e
	}

	secret, err := secrets.SecretKey(ctx, s.cred.AccessKeyID)
	if err != nil {
		var ae *Error
		switch {
		case errors.Is(err, ErrUnknownKey):
			return nil, newError(CodeInvalidClientTokenID, http.StatusForbidden, msgInvalidToken)
		case errors.As(err, &ae):
			return nil, ae
		}
		return nil, fmt.Errorf("sigv4: look up secret of %q: %w", s.cred.AccessKeyID, err)
	}

	kc := v.keyCache()
	var key [32]byte
	cached := false
	if kc != nil {
		key, cached = kc.get(&s.cred, secret)
	}
	if !cached {
		key = deriveKey(secret, s.cred.Date, s.cred.Region, s.cred.Service)
	}

	var crBuf [1024]byte
	cr := appendCanonicalRequest(crBuf[:0], r, s.cred.Service, s.signedHeaders, s.presigned, payload)
	var stsBuf [256]byte
	sts := appendStringToSign(stsBuf[:0], s.amzDate, s.scope, sha256.Sum256(cr))
	mac := hmacSHA256(key[:], sts)
	var want, got [64]byte
	hex.Encode(want[:], mac[:])
	copy(got[:], s.signature)
	if !hmac.Equal(want[:], got[:]) || len(s.signature) != len(got) {
		return nil, mismatch(msgSignatureMismatch)
	}
	if kc != nil && !cached {
		kc.put(&s.cred, secret, key)
	}

	if checkBody && !stream {
		sum := sha256.Sum256(body)
		var h [64]byte
		hex.Encode(h[:], sum[:])
		if !hmac.Equal(h[:], payload) {
			return nil, newError(CodeXAmzContentSHA256Mismatch, http.StatusBadRequest, msgContentMismatch)
		}
	}
	res := &Result{
		AccessKeyID:     s.cred.AccessKeyID,
		Region:          s.cred.Region,
		Service:         s.cred.Service,
		SessionToken:    s.token,
		Date:            s.date,
		Presigned:       s.presigned,
		SignedHeaders:   splitSignedHeaders(s.signedHeaders),
		UnsignedPayload: string(payload) == unsignedPayload,
	}
	if stream {
		res.PayloadHash = string(payload)
		if strings.HasPrefix(res.PayloadHash, "STREAMING-AWS4-HMAC-SHA256-PAYLOAD") {
			res.Seed = &Seed{Key: key, Date: s.amzDate, Scope: s.scope, Signature: s.signature}
		}
	}
	return res, nil
}

// keyCache returns the derived-key cache, creating it on first use, or
// nil when KeyCacheSize turns it off.
func (v *Verifier) keyCache() *keyCache {
	if kc := v.cache.Load(); kc != nil {
		return kc
	}
	size := v.KeyCacheSize
	switch {
	case size < 0:
		return nil
	case size == 0:
		size = defaultKeyCacheSize
	}
	v.cache.CompareAndSwap(nil, newKeyCache(size))
	return v.cache.Load()
}

// checkScope checks the region, service and terminator of the credential
// scope (reported together, as AWS does) and then its date against the
// request date.
func (v *Verifier) checkScope(s *signedRequest) *Error {
	c := &s.cred
	var msg strings.Builder
	if !validName(c.Region) {
		msg.WriteString("Credential should be scoped to a valid region, not '" + c.Region + "'. ")
	}
	if !v.serviceAllowed(c.Service) {
		expected := c.Service
		if len(v.AllowedServices) > 0 {
			expected = strings.Join(v.AllowedServices, "' or '")
		}
		msg.WriteString("Credential should be scoped to correct service: '" + expected + "'. ")
	}
	if c.Terminator != Terminator {
		msg.WriteString("Credential should be scoped with a valid terminator: 'aws4_request', not '" + c.Terminator + "'. ")
	}
	if msg.Len() > 0 {
		return mismatch(msg.String())
	}
	if c.Date != s.amzDate[:8] {
		return errDateScope(c.Date, s.amzDate)
	}
	return nil
}

func (v *Verifier) serviceAllowed(service string) bool {
	if len(v.AllowedServices) > 0 {
		return slices.Contains(v.AllowedServices, service)
	}
	return validName(service)
}

// validName reports whether s looks like a region or service name:
// lower-case letters, digits and inner hyphens, starting with a letter.
// Any such region is accepted, because botocore signs with the client's
// configured region when given an endpoint URL.
func validName(s string) bool {
	if s == "" || len(s) > 64 || s[0] < 'a' || s[0] > 'z' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// checkSignedHeaders requires host among the signed headers, and every
// x-amz-* header of the request except x-amz-content-sha256.
func checkSignedHeaders(r *http.Request, signed string) *Error {
	if !hasSignedHeader(signed, "host") && !hasSignedHeader(signed, ":authority") {
		return incomplete(msgHostNotSigned)
	}
	for name := range r.Header {
		if len(name) < 6 || !strings.EqualFold(name[:6], "x-amz-") || strings.EqualFold(name, "x-amz-content-sha256") {
			continue
		}
		if !hasSignedHeader(signed, name) {
			return newError(CodeAccessDenied, http.StatusForbidden, msgHeadersNotSigned)
		}
	}
	return nil
}

// checkTime applies the clock-skew window, or for S3 presigned URLs the
// X-Amz-Expires lifetime. Other services ignore X-Amz-Expires, as STS
// does: a presigned STS URL is good for the skew window.
func (v *Verifier) checkTime(s *signedRequest) *Error {
	now := time.Now
	if v.Now != nil {
		now = v.Now
	}
	t := now().UTC().Truncate(time.Second)
	skew := v.MaxSkew
	if skew <= 0 {
		skew = 15 * time.Minute
	}
	if s.date.After(t.Add(skew)) {
		return errNotYetCurrent(s.date, t, skew)
	}
	if s.presigned && s.cred.Service == "s3" {
		if !s.hasExpires {
			return newError(CodeAuthorizationQueryParametersError, http.StatusBadRequest, msgS3QueryParams)
		}
		secs, err := strconv.ParseInt(s.expires, 10, 64)
		switch {
		case err != nil && !errors.Is(err, strconv.ErrRange):
			return newError(CodeAuthorizationQueryParametersError, http.StatusBadRequest, msgS3ExpiresNumber)
		case secs < 0 || strings.HasPrefix(s.expires, "-"):
			return newError(CodeAuthorizationQueryParametersError, http.StatusBadRequest, msgS3ExpiresNegative)
		case err != nil || secs > 604800:
			return newError(CodeAuthorizationQueryParametersError, http.StatusBadRequest, msgS3ExpiresTooLong)
		}
		if t.After(s.date.Add(time.Duration(secs) * time.Second)) {
			return newError(CodeAccessDenied, http.StatusForbidden, msgRequestExpired)
		}
		return nil
	}
	if s.date.Before(t.Add(-skew)) {
		return errExpired(s.date, t, skew)
	}
	return nil
}
