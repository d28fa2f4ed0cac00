package sigv4

import (
	"net/http"
	"strings"
	"time"
)

// Algorithm is the only signing algorithm this package accepts.
const Algorithm = "AWS4-HMAC-SHA256"

// Terminator is the last element of every valid credential scope.
const Terminator = "aws4_request"

// amzDateLayout is ISO 8601 basic format, the form of X-Amz-Date.
const amzDateLayout = "20060102T150405Z"

// Credential is the Credential element of a signature:
// AccessKeyID/Date/Region/Service/Terminator. The fields hold what the
// request sent; [ParseCredential] checks only that there are five.
type Credential struct {
	AccessKeyID string
	Date        string // YYYYMMDD
	Region      string
	Service     string
	Terminator  string // "aws4_request" when valid
}

// Scope returns the credential scope, "Date/Region/Service/Terminator",
// the third line of the string to sign.
func (c Credential) Scope() string {
	return c.Date + "/" + c.Region + "/" + c.Service + "/" + c.Terminator
}

// ParseCredential splits a Credential value such as
// "AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request". It fails with an
// IncompleteSignature [*Error] unless there are exactly five
// slash-separated elements.
func ParseCredential(s string) (Credential, error) {
	c, err := parseCredential(s)
	if err != nil {
		return Credential{}, err
	}
	return c, nil
}

func parseCredential(s string) (Credential, *Error) {
	var parts [5]string
	rest := s
	for i := range 4 {
		var ok bool
		parts[i], rest, ok = strings.Cut(rest, "/")
		if !ok {
			return Credential{}, errCredentialElements(s)
		}
	}
	if strings.IndexByte(rest, '/') >= 0 {
		return Credential{}, errCredentialElements(s)
	}
	parts[4] = rest
	return Credential{AccessKeyID: parts[0], Date: parts[1], Region: parts[2], Service: parts[3], Terminator: parts[4]}, nil
}

// Authorization is a parsed SigV4 Authorization header:
//
//	AWS4-HMAC-SHA256 Credential=<AKID>/<date>/<region>/<service>/aws4_request, SignedHeaders=<h1;h2>, Signature=<hex>
//
// Signature is the client's claim, not a secret and not verified.
type Authorization struct {
	Algorithm     string
	Credential    Credential
	SignedHeaders []string
	Signature     string
}

// ParseAuthorization parses an Authorization header value. Errors are
// IncompleteSignature [*Error] values with AWS's messages: a part without
// '=', an algorithm other than AWS4-HMAC-SHA256, a missing Credential,
// Signature or SignedHeaders parameter, or a Credential without five
// elements. It does not look at the request's date; [Verifier.Verify]
// adds that to the "requires" message as AWS does.
func ParseAuthorization(header string) (*Authorization, error) {
	f, err := splitAuthorization(header)
	if err != nil {
		return nil, err
	}
	if f.algorithm != Algorithm {
		return nil, incomplete(msgUnsupportedAlg)
	}
	if !f.hasCredential || !f.hasSignature || !f.hasSignedHeaders {
		return nil, errRequires(!f.hasCredential, !f.hasSignature, !f.hasSignedHeaders, false, header)
	}
	cred, err := parseCredential(f.credential)
	if err != nil {
		return nil, err
	}
	return &Authorization{
		Algorithm:     f.algorithm,
		Credential:    cred,
		SignedHeaders: splitSignedHeaders(f.signedHeaders),
		Signature:     f.signature,
	}, nil
}

// authFields are the raw parts of an Authorization header. A parameter
// given with an empty value counts as present, as at AWS (an empty
// SignedHeaders then fails the host check).
type authFields struct {
	algorithm                                     string
	credential, signedHeaders, signature          string
	hasCredential, hasSignedHeaders, hasSignature bool
}

// splitAuthorization cuts the algorithm at the first space and the rest
// at commas. Unknown keys are ignored; for repeated keys the first wins.
func splitAuthorization(header string) (authFields, *Error) {
	alg, rest, _ := strings.Cut(header, " ")
	f := authFields{algorithm: alg}
	for rest != "" {
		var part string
		part, rest, _ = strings.Cut(rest, ",")
		part = trimOWS(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		if !ok {
			return authFields{}, errMissingEqual(header)
		}
		k, v = trimOWS(k), trimOWS(v)
		switch {
		case k == "Credential" && !f.hasCredential:
			f.credential, f.hasCredential = v, true
		case k == "SignedHeaders" && !f.hasSignedHeaders:
			f.signedHeaders, f.hasSignedHeaders = v, true
		case k == "Signature" && !f.hasSignature:
			f.signature, f.hasSignature = v, true
		}
	}
	return f, nil
}

func splitSignedHeaders(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ";")
}

// queryAuth holds the X-Amz-* authentication parameters of a query
// string, percent-decoded.
type queryAuth struct {
	algorithm, credential, signedHeaders, signature string
	date, expires, token, contentSHA256             string

	hasAlgorithm, hasCredential, hasSignedHeaders, hasSignature bool
	hasDate, hasExpires, hasToken, hasContentSHA256             bool
}

// scanQueryAuth reads the authentication parameters from a raw query.
// For a repeated key the first value wins.
func scanQueryAuth(raw string) queryAuth {
	var q queryAuth
	for raw != "" {
		var part string
		part, raw, _ = strings.Cut(raw, "&")
		k, v, _ := strings.Cut(part, "=")
		if len(k) < 6 {
			continue
		}
		k = unescape(k)
		if !strings.HasPrefix(k, "X-Amz-") {
			continue
		}
		switch k[6:] {
		case "Algorithm":
			setParam(&q.algorithm, &q.hasAlgorithm, v)
		case "Credential":
			setParam(&q.credential, &q.hasCredential, v)
		case "SignedHeaders":
			setParam(&q.signedHeaders, &q.hasSignedHeaders, v)
		case "Signature":
			setParam(&q.signature, &q.hasSignature, v)
		case "Date":
			setParam(&q.date, &q.hasDate, v)
		case "Expires":
			setParam(&q.expires, &q.hasExpires, v)
		case "Security-Token":
			setParam(&q.token, &q.hasToken, v)
		case "Content-Sha256":
			setParam(&q.contentSHA256, &q.hasContentSHA256, v)
		}
	}
	return q
}

func setParam(dst *string, has *bool, raw string) {
	if !*has {
		*dst, *has = unescape(raw), true
	}
}

// signedRequest is what Verify and Canonicalize learn from a request's
// signature information before any cryptography.
type signedRequest struct {
	presigned     bool
	cred          Credential
	scope         string // the credential after the access key id
	signedHeaders string // as sent: "host;x-amz-date"
	signature     string // the client's claim
	amzDate       string // as sent, ISO 8601 basic format
	date          time.Time
	token         string
	expires       string // X-Amz-Expires as sent (presigned only)
	hasExpires    bool
	contentSHA256 string // X-Amz-Content-Sha256 query value (presigned only)
	hasContentSHA bool
}

// parseSignedRequest finds the signature information (header or query),
// checks its syntax and returns it. Every error is an *Error.
func parseSignedRequest(r *http.Request) (signedRequest, *Error) {
	authz := firstHeader(r.Header, "Authorization")
	var q queryAuth
	if r.URL.RawQuery != "" {
		q = scanQueryAuth(r.URL.RawQuery)
	}
	inQuery := q.hasAlgorithm || q.hasSignature
	switch {
	case authz == "" && !inQuery:
		return signedRequest{}, newError(CodeMissingAuthenticationToken, http.StatusForbidden, msgMissingAuth)
	case authz != "" && inQuery:
		return signedRequest{}, incomplete(msgTwoMechanisms)
	case authz != "":
		return parseHeaderAuth(r, authz)
	default:
		return parseQueryAuth(r, &q)
	}
}

func parseHeaderAuth(r *http.Request, authz string) (signedRequest, *Error) {
	f, err := splitAuthorization(authz)
	if err != nil {
		return signedRequest{}, err
	}
	if f.algorithm != Algorithm {
		return signedRequest{}, incomplete(msgUnsupportedAlg)
	}
	amzDate := firstHeader(r.Header, "X-Amz-Date")
	if amzDate == "" {
		amzDate = firstHeader(r.Header, "Date")
	}
	if !f.hasCredential || !f.hasSignature || !f.hasSignedHeaders || amzDate == "" {
		return signedRequest{}, errRequires(!f.hasCredential, !f.hasSignature, !f.hasSignedHeaders, amzDate == "", authz)
	}
	s := signedRequest{
		signedHeaders: f.signedHeaders,
		signature:     f.signature,
		amzDate:       amzDate,
		token:         firstHeader(r.Header, "X-Amz-Security-Token"),
	}
	if err := s.setCredential(f.credential); err != nil {
		return signedRequest{}, err
	}
	return s, nil
}

func parseQueryAuth(r *http.Request, q *queryAuth) (signedRequest, *Error) {
	if !q.hasAlgorithm || !q.hasCredential || !q.hasSignature || !q.hasSignedHeaders || !q.hasDate {
		var b strings.Builder
		for _, p := range [...]struct {
			name string
			has  bool
		}{
			{"X-Amz-Algorithm", q.hasAlgorithm},
			{"X-Amz-Credential", q.hasCredential},
			{"X-Amz-Signature", q.hasSignature},
			{"X-Amz-SignedHeaders", q.hasSignedHeaders},
			{"X-Amz-Date", q.hasDate},
		} {
			if !p.has {
				b.WriteString("AWS query-string parameters must include '" + p.name + "'. ")
			}
		}
		b.WriteString(msgQueryParamsTrailer)
		return signedRequest{}, incomplete(b.String())
	}
	if q.algorithm != Algorithm {
		return signedRequest{}, incomplete(msgUnsupportedAlg)
	}
	s := signedRequest{
		presigned:     true,
		signedHeaders: q.signedHeaders,
		signature:     q.signature,
		amzDate:       q.date,
		token:         q.token,
		expires:       q.expires,
		hasExpires:    q.hasExpires,
		contentSHA256: q.contentSHA256,
		hasContentSHA: q.hasContentSHA256,
	}
	if !q.hasToken {
		s.token = firstHeader(r.Header, "X-Amz-Security-Token")
	}
	if err := s.setCredential(q.credential); err != nil {
		return signedRequest{}, err
	}
	return s, nil
}

// setCredential parses the credential and the request date.
func (s *signedRequest) setCredential(credential string) *Error {
	cred, err := parseCredential(credential)
	if err != nil {
		return err
	}
	date, ok := parseAmzDate(s.amzDate)
	if !ok {
		return errDateFormat(s.amzDate)
	}
	s.cred, s.date = cred, date
	s.scope = credential[len(cred.AccessKeyID)+1:]
	return nil
}

// parseAmzDate parses YYYYMMDDTHHMMSSZ strictly, without allocating.
func parseAmzDate(s string) (time.Time, bool) {
	if len(s) != 16 || s[8] != 'T' || s[15] != 'Z' {
		return time.Time{}, false
	}
	num := func(b string) (int, bool) {
		n := 0
		for i := 0; i < len(b); i++ {
			if b[i] < '0' || b[i] > '9' {
				return 0, false
			}
			n = n*10 + int(b[i]-'0')
		}
		return n, true
	}
	year, ok1 := num(s[0:4])
	month, ok2 := num(s[4:6])
	day, ok3 := num(s[6:8])
	hour, ok4 := num(s[9:11])
	minute, ok5 := num(s[11:13])
	sec, ok6 := num(s[13:15])
	if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 || !ok6 || month < 1 || month > 12 || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, 0, time.UTC)
	if t.Day() != day { // February 30 and friends
		return time.Time{}, false
	}
	return t, true
}

// firstHeader returns the first value of a header whose name is given in
// canonical form, without allocating.
func firstHeader(h http.Header, canonicalName string) string {
	if v := h[canonicalName]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// trimOWS trims HTTP optional whitespace (spaces and tabs).
func trimOWS(s string) string {
	for s != "" && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	for s != "" && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t') {
		s = s[:len(s)-1]
	}
	return s
}
