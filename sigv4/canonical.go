package sigv4

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// unsignedPayload is the payload hash of a request whose body is not
// signed (S3 presigned URLs, or x-amz-content-sha256: UNSIGNED-PAYLOAD).
const unsignedPayload = "UNSIGNED-PAYLOAD"

// streamingPayloads are the payload hashes of aws-chunked bodies that
// VerifyStream accepts (the SigV4a ECDSA forms are not served).
var streamingPayloads = map[string]bool{
	"STREAMING-UNSIGNED-PAYLOAD-TRAILER":         true,
	"STREAMING-AWS4-HMAC-SHA256-PAYLOAD":         true,
	"STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER": true,
}

// Canonicalize returns the canonical request and the string to sign that
// [Verifier.Verify] computes for r, which must carry SigV4 signature
// information (an Authorization header or presigned query parameters).
// body is the request body, as for Verify. It checks neither the
// signature, nor the credential scope, nor the clock; it is meant for
// golden tests and for debugging a client whose signatures do not match.
// Errors are [*Error] values, as from Verify.
func Canonicalize(r *http.Request, body []byte) (canonicalRequest, stringToSign string, err error) {
	s, e := parseSignedRequest(r)
	if e != nil {
		return "", "", e
	}
	var pb [64]byte
	payload, _, e := payloadHash(r, body, &s, &pb, s.cred.Service == "s3")
	if e != nil {
		return "", "", e
	}
	cr := appendCanonicalRequest(nil, r, s.cred.Service, s.signedHeaders, s.presigned, payload)
	sts := appendStringToSign(nil, s.amzDate, s.scope, sha256.Sum256(cr))
	return string(cr), string(sts), nil
}

// appendCanonicalRequest appends AWS's canonical request:
//
//	Method \n CanonicalURI \n CanonicalQuery \n CanonicalHeaders \n SignedHeaders \n PayloadHash
//
// where CanonicalHeaders is one "name:value\n" line per signed header.
func appendCanonicalRequest(dst []byte, r *http.Request, service, signedHeaders string, presigned bool, payload []byte) []byte {
	dst = append(dst, r.Method...)
	dst = append(dst, '\n')
	dst = appendCanonicalURI(dst, requestPath(r), service == "s3")
	dst = append(dst, '\n')
	dst = appendCanonicalQuery(dst, r.URL.RawQuery, presigned)
	dst = append(dst, '\n')
	for rest := signedHeaders; ; {
		name, tail, more := strings.Cut(rest, ";")
		dst = append(dst, name...)
		dst = append(dst, ':')
		dst = appendHeaderValue(dst, r, name)
		dst = append(dst, '\n')
		if !more {
			break
		}
		rest = tail
	}
	dst = append(dst, '\n')
	dst = append(dst, signedHeaders...)
	dst = append(dst, '\n')
	return append(dst, payload...)
}

// appendStringToSign appends
//
//	AWS4-HMAC-SHA256 \n <amz-date> \n <scope> \n hex(sha256(canonical request))
func appendStringToSign(dst []byte, amzDate, scope string, crHash [32]byte) []byte {
	dst = append(dst, Algorithm...)
	dst = append(dst, '\n')
	dst = append(dst, amzDate...)
	dst = append(dst, '\n')
	dst = append(dst, scope...)
	dst = append(dst, '\n')
	return hex.AppendEncode(dst, crHash[:])
}

// requestPath returns the path exactly as the client sent it. On the
// server that is the request line (RequestURI), which net/url may have
// re-encoded in r.URL; on the client it is the path Go will send.
func requestPath(r *http.Request) string {
	if u := r.RequestURI; u != "" && u[0] == '/' {
		if i := strings.IndexByte(u, '?'); i >= 0 {
			return u[:i]
		}
		return u
	}
	return r.URL.EscapedPath()
}

// hostOf returns the Host the request is (or was) sent with.
func hostOf(r *http.Request) string {
	if r.Host != "" {
		return r.Host
	}
	return r.URL.Host
}

// appendCanonicalURI appends the canonical URI of a raw (still
// percent-encoded) path.
//
// For S3 each byte is decoded and encoded once more, so a correctly
// encoded path is kept as it is ("single encoding", no normalization).
// For every other service the path is normalized (empty and "."
// segments dropped, ".." applied) and then encoded as it stands, so
// every '%' of the wire form becomes "%25" ("double encoding"), as
// botocore and the AWS SDKs sign.
func appendCanonicalURI(dst []byte, p string, s3 bool) []byte {
	if p == "" {
		return append(dst, '/')
	}
	if s3 {
		for i := 0; i < len(p); i++ {
			c := p[i]
			switch {
			case c == '/':
				dst = append(dst, '/')
			case c == '%' && i+2 < len(p) && isHex(p[i+1]) && isHex(p[i+2]):
				dst = appendEscapedByte(dst, unhex(p[i+1])<<4|unhex(p[i+2]))
				i += 2
			default:
				dst = appendEscapedByte(dst, c)
			}
		}
		return dst
	}
	var stack [32]string
	segs := stack[:0]
	for rest := p; rest != ""; {
		var seg string
		seg, rest, _ = strings.Cut(rest, "/")
		switch seg {
		case "", ".":
		case "..":
			if len(segs) > 0 {
				segs = segs[:len(segs)-1]
			}
		default:
			segs = append(segs, seg)
		}
	}
	dst = append(dst, '/')
	for i, seg := range segs {
		if i > 0 {
			dst = append(dst, '/')
		}
		dst = appendEscaped(dst, seg)
	}
	if len(segs) > 0 && p[len(p)-1] == '/' {
		dst = append(dst, '/')
	}
	return dst
}

// appendCanonicalQuery appends the canonical query string: every
// parameter decoded and re-encoded (RFC 3986, '+' is a literal plus),
// sorted by encoded name and then by encoded value, "name=value" joined
// by '&'. A presigned request's X-Amz-Signature is left out.
func appendCanonicalQuery(dst []byte, raw string, presigned bool) []byte {
	type param struct{ k, v string }
	var stack [16]param
	params := stack[:0]
	for raw != "" {
		var part string
		part, raw, _ = strings.Cut(raw, "&")
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		if presigned && unescape(k) == "X-Amz-Signature" {
			continue
		}
		params = append(params, param{canonicalComponent(k), canonicalComponent(v)})
	}
	slices.SortFunc(params, func(a, b param) int {
		if c := strings.Compare(a.k, b.k); c != 0 {
			return c
		}
		return strings.Compare(a.v, b.v)
	})
	for i, p := range params {
		if i > 0 {
			dst = append(dst, '&')
		}
		dst = append(dst, p.k...)
		dst = append(dst, '=')
		dst = append(dst, p.v...)
	}
	return dst
}

// appendHeaderValue appends the canonical value of one signed header:
// each value trimmed with inner runs of spaces and tabs collapsed to one
// space, several values joined by ','.
func appendHeaderValue(dst []byte, r *http.Request, name string) []byte {
	if strings.EqualFold(name, "host") || name == ":authority" {
		return appendCollapsed(dst, hostOf(r))
	}
	values := lookupHeader(r.Header, name)
	if len(values) == 0 && strings.EqualFold(name, "content-length") && r.ContentLength > 0 {
		return strconv.AppendInt(dst, r.ContentLength, 10)
	}
	for i, v := range values {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendCollapsed(dst, v)
	}
	return dst
}

// lookupHeader finds a header by any spelling of its name, the way
// http.Header.Values does, but without allocating for names up to 64
// bytes.
func lookupHeader(h http.Header, name string) []string {
	var buf [64]byte
	if len(name) > len(buf) {
		return h.Values(name)
	}
	upper := true
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !isTokenChar(c) {
			return h[name] // net/textproto keeps such names as they are
		}
		switch {
		case upper && 'a' <= c && c <= 'z':
			c -= 'a' - 'A'
		case !upper && 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		}
		buf[i] = c
		upper = c == '-'
	}
	return h[string(buf[:len(name)])]
}

func appendCollapsed(dst []byte, v string) []byte {
	v = trimOWS(v)
	space := false
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == ' ' || c == '\t' {
			space = true
			continue
		}
		if space {
			dst = append(dst, ' ')
			space = false
		}
		dst = append(dst, c)
	}
	return dst
}

// payloadHash decides the last line of the canonical request:
//   - a signed x-amz-content-sha256 header (or, presigned, an
//     X-Amz-Content-Sha256 parameter) is used as it stands when it is
//     UNSIGNED-PAYLOAD or a lowercase SHA-256 hex digest; check reports
//     that the digest must still be compared with the body;
//   - an S3 presigned URL without one signs UNSIGNED-PAYLOAD;
//   - any other S3 request must have the signed header;
//   - everything else signs the hex SHA-256 of body.
//
// The result is written into buf, which must not escape.
func payloadHash(r *http.Request, body []byte, s *signedRequest, buf *[64]byte, stream bool) (payload []byte, check bool, err *Error) {
	declared, ok := "", false
	if hasSignedHeader(s.signedHeaders, "x-amz-content-sha256") {
		if v := lookupHeader(r.Header, "x-amz-content-sha256"); len(v) > 0 {
			declared, ok = trimOWS(v[0]), true
		}
	}
	if !ok && s.presigned && s.hasContentSHA {
		declared, ok = s.contentSHA256, true
	}
	switch {
	case ok && declared == unsignedPayload:
		return buf[:copy(buf[:], declared)], false, nil
	case ok && isSHA256Hex(declared):
		return buf[:copy(buf[:], declared)], true, nil
	case ok && stream && streamingPayloads[declared]:
		return buf[:copy(buf[:], declared)], false, nil
	case ok:
		return nil, false, newError(CodeInvalidArgument, http.StatusBadRequest, msgContentInvalid)
	case s.cred.Service == "s3" && s.presigned:
		return buf[:copy(buf[:], unsignedPayload)], false, nil
	case s.cred.Service == "s3":
		return nil, false, newError(CodeInvalidRequest, http.StatusBadRequest, msgContentMissing)
	}
	sum := sha256.Sum256(body)
	hex.Encode(buf[:], sum[:])
	return buf[:], false, nil
}

// checkUnsignedPayload refuses UNSIGNED-PAYLOAD where AWS does not take
// it. Only S3 serves requests whose body the signature does not cover.
// Every other service needs the body's hash: a header-signed request that
// declares UNSIGNED-PAYLOAD is refused whatever its body, and a presigned
// URL that signs UNSIGNED-PAYLOAD (an X-Amz-Content-Sha256 parameter) is
// served only without a body. Otherwise a captured request, or a
// presigned URL, could be sent again with any body.
func checkUnsignedPayload(s *signedRequest, payload, body []byte) *Error {
	if string(payload) != unsignedPayload || s.cred.Service == "s3" {
		return nil
	}
	if !s.presigned {
		return mismatch(msgUnsignedPayload)
	}
	if len(body) > 0 {
		return mismatch(msgUnsignedPayloadBody)
	}
	return nil
}

// hasSignedHeader reports whether the ';'-separated list names name,
// ignoring case.
func hasSignedHeader(list, name string) bool {
	for list != "" {
		var h string
		h, list, _ = strings.Cut(list, ";")
		if strings.EqualFold(h, name) {
			return true
		}
	}
	return false
}

func isSHA256Hex(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// canonicalComponent returns the canonical encoding of one raw query
// name or value. A component that is already canonical is returned
// without allocating.
func canonicalComponent(s string) string {
	if isCanonical(s) {
		return s
	}
	return string(appendEscaped(nil, unescape(s)))
}

// isCanonical reports whether s consists only of unreserved bytes and
// upper-case %XX escapes of bytes that must be escaped.
func isCanonical(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isUnreserved(c) {
			continue
		}
		if c != '%' || i+2 >= len(s) || !isUpperHex(s[i+1]) || !isUpperHex(s[i+2]) ||
			isUnreserved(unhex(s[i+1])<<4|unhex(s[i+2])) {
			return false
		}
		i += 2
	}
	return true
}

// unescape decodes %XX escapes. A '%' not followed by two hex digits is
// kept as a literal, and '+' stays a plus: SigV4 follows RFC 3986, not
// HTML forms.
func unescape(s string) string {
	if strings.IndexByte(s, '%') < 0 {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			c = unhex(s[i+1])<<4 | unhex(s[i+2])
			i += 2
		}
		b = append(b, c)
	}
	return string(b)
}

func appendEscaped(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		dst = appendEscapedByte(dst, s[i])
	}
	return dst
}

func appendEscapedByte(dst []byte, c byte) []byte {
	if isUnreserved(c) {
		return append(dst, c)
	}
	const hexUpper = "0123456789ABCDEF"
	return append(dst, '%', hexUpper[c>>4], hexUpper[c&15])
}

// isUnreserved reports whether c is an RFC 3986 unreserved character,
// the only ones SigV4 leaves unescaped.
func isUnreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '_' || c == '.' || c == '~'
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func isUpperHex(c byte) bool { return '0' <= c && c <= '9' || 'A' <= c && c <= 'F' }

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	default:
		return c - 'a' + 10
	}
}

// isTokenChar reports whether c may appear in an HTTP header name
// (RFC 9110 tchar).
func isTokenChar(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}
