package sigv4

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// maxPresignExpiry is the longest lifetime SigV4 allows a presigned URL.
const maxPresignExpiry = 7 * 24 * time.Hour

// Signer signs requests with SigV4, for tests and for the command-line
// client. Its zero value is not usable: AccessKeyID, SecretAccessKey,
// Region and Service are required. Print it freely: String, GoString and
// LogValue leave out the secret and the session token.
type Signer struct {
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string // empty for long-term keys
	Region          string
	Service         string
	// Now returns the signing time; nil means time.Now.
	Now func() time.Time
}

// String describes s without its secrets.
func (s Signer) String() string {
	return fmt.Sprintf("sigv4.Signer{AccessKeyID:%s SecretAccessKey:%s SessionToken:%s Region:%s Service:%s}",
		s.AccessKeyID, redacted(s.SecretAccessKey), redacted(s.SessionToken), s.Region, s.Service)
}

// GoString is String, so that %#v does not print the secrets either.
func (s Signer) GoString() string { return s.String() }

// LogValue logs s without its secrets.
func (s Signer) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("access_key_id", s.AccessKeyID),
		slog.String("region", s.Region),
		slog.String("service", s.Service),
		slog.Bool("session", s.SessionToken != ""),
	)
}

// Sign signs r in place with an Authorization header. It sets
// X-Amz-Date, X-Amz-Security-Token when there is a session token, and
// for S3 X-Amz-Content-Sha256 (unless r already declares UNSIGNED-PAYLOAD
// or a STREAMING-* form, which is then signed instead of body's hash).
// The signature covers host, content-type,
// content-md5 and every x-amz-* header present. body must be the bytes r
// will send. Headers added after Sign (by the transport, say User-Agent)
// are not signed.
func (s Signer) Sign(r *http.Request, body []byte) error {
	if err := s.check(r); err != nil {
		return err
	}
	if r.Header == nil {
		r.Header = make(http.Header)
	}
	t := s.now()
	amzDate := t.Format(amzDateLayout)
	r.Header.Set("X-Amz-Date", amzDate)
	if s.SessionToken != "" {
		r.Header.Set("X-Amz-Security-Token", s.SessionToken)
	}
	sum := sha256.Sum256(body)
	payload := hex.AppendEncode(nil, sum[:])
	if declared := r.Header.Get("X-Amz-Content-Sha256"); s.Service == "s3" && (declared == unsignedPayload || streamingPayloads[declared]) {
		payload = []byte(declared) // the body is unsigned, or aws-chunked and signed chunk by chunk
	} else if s.Service == "s3" {
		r.Header.Set("X-Amz-Content-Sha256", string(payload))
	}
	signed := signedHeaderNames(r.Header, "content-type", "content-md5")
	scope := s.scope(t)
	sig := s.signature(r, signed, false, payload, amzDate, scope)
	r.Header.Set("Authorization", Algorithm+" Credential="+s.AccessKeyID+"/"+scope+", SignedHeaders="+signed+", Signature="+sig)
	return nil
}

// Presign returns r's URL with SigV4 query authentication valid for
// expires (whole seconds, at most 7 days). The signature covers host and
// every x-amz-* header of r, which the user of the URL must then send.
// The body is not covered: S3 URLs sign UNSIGNED-PAYLOAD and other
// services the hash of an empty body, as botocore does. r is not changed.
//
// Only S3 honours the lifetime: AWS STS, and [Verifier], accept other
// services' presigned URLs for the clock-skew window (15 minutes) after
// the signing time, whatever X-Amz-Expires says.
func (s Signer) Presign(r *http.Request, expires time.Duration) (*url.URL, error) {
	if err := s.check(r); err != nil {
		return nil, err
	}
	if expires < time.Second || expires > maxPresignExpiry {
		return nil, fmt.Errorf("sigv4: presign expiry %v is not between 1s and %v", expires, maxPresignExpiry)
	}
	t := s.now()
	amzDate := t.Format(amzDateLayout)
	scope := s.scope(t)
	signed := signedHeaderNames(r.Header)

	u := *r.URL
	params := []string{
		"X-Amz-Algorithm=" + Algorithm,
		"X-Amz-Credential=" + string(appendEscaped(nil, s.AccessKeyID+"/"+scope)),
		"X-Amz-Date=" + amzDate,
		"X-Amz-Expires=" + strconv.FormatInt(int64(expires/time.Second), 10),
		"X-Amz-SignedHeaders=" + string(appendEscaped(nil, signed)),
	}
	if s.SessionToken != "" {
		params = append(params, "X-Amz-Security-Token="+string(appendEscaped(nil, s.SessionToken)))
	}
	if u.RawQuery != "" {
		params = append([]string{u.RawQuery}, params...)
	}
	u.RawQuery = strings.Join(params, "&")

	unsent := *r // canonicalize as the URL will be sent, not as r arrived
	unsent.URL, unsent.RequestURI = &u, ""
	payload := []byte(unsignedPayload)
	if s.Service != "s3" {
		sum := sha256.Sum256(nil)
		payload = hex.AppendEncode(nil, sum[:])
	}
	sig := s.signature(&unsent, signed, true, payload, amzDate, scope)
	u.RawQuery = string(appendCanonicalQuery(nil, u.RawQuery, true)) + "&X-Amz-Signature=" + sig
	return &u, nil
}

func (s Signer) check(r *http.Request) error {
	if s.AccessKeyID == "" || s.SecretAccessKey == "" || s.Region == "" || s.Service == "" {
		return errors.New("sigv4: Signer needs AccessKeyID, SecretAccessKey, Region and Service")
	}
	if strings.Contains(s.AccessKeyID, "/") || strings.Contains(s.Region, "/") || strings.Contains(s.Service, "/") {
		return errors.New("sigv4: Signer's AccessKeyID, Region and Service may not contain '/'")
	}
	if r == nil || r.URL == nil {
		return errors.New("sigv4: request has no URL")
	}
	return nil
}

func (s Signer) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

func (s Signer) scope(t time.Time) string {
	return t.Format("20060102") + "/" + s.Region + "/" + s.Service + "/" + Terminator
}

func (s Signer) signature(r *http.Request, signed string, presigned bool, payload []byte, amzDate, scope string) string {
	cr := appendCanonicalRequest(nil, r, s.Service, signed, presigned, payload)
	sts := appendStringToSign(nil, amzDate, scope, sha256.Sum256(cr))
	key := deriveKey(s.SecretAccessKey, amzDate[:8], s.Region, s.Service)
	mac := hmacSHA256(key[:], sts)
	return hex.EncodeToString(mac[:])
}

// signedHeaderNames returns "host", every x-amz-* header of h and the
// extra names present in h, lower-cased, sorted and joined by ';'.
func signedHeaderNames(h http.Header, extra ...string) string {
	names := []string{"host"}
	for k := range h {
		lk := strings.ToLower(k)
		if strings.HasPrefix(lk, "x-amz-") || slices.Contains(extra, lk) {
			names = append(names, lk)
		}
	}
	slices.Sort(names)
	return strings.Join(slices.Compact(names), ";")
}
