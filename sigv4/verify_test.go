package sigv4_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse/sigv4"
)

// signedRequest returns an IAM POST signed at 20240101T000000Z, as the
// server reads it.
func signedRequest(t *testing.T, service, token string, header ...string) (*http.Request, []byte) {
	t.Helper()
	body := []byte("Action=ListUsers&Version=2010-05-08")
	signer := sigv4.Signer{AccessKeyID: exampleKeyID, SecretAccessKey: exampleSecret, SessionToken: token,
		Region: "us-east-1", Service: service, Now: MustClock(t, "20240101T000000Z")}
	r := MustNewRequest(t, "POST", "http://iam.local/?Extra=1", body, append([]string{"Content-Type", "application/x-www-form-urlencoded"}, header...)...)
	if err := signer.Sign(r, body); err != nil {
		t.Fatal(err)
	}
	_, server, serverBody := MustWire(t, r, body)
	return server, serverBody
}

// presignedRequest returns a GET presigned at 20240101T000000Z, as the
// server reads it.
func presignedRequest(t *testing.T, service, url string, expires time.Duration) *http.Request {
	t.Helper()
	signer := sigv4.Signer{AccessKeyID: exampleKeyID, SecretAccessKey: exampleSecret,
		Region: "us-east-1", Service: service, Now: MustClock(t, "20240101T000000Z")}
	u, err := signer.Presign(MustNewRequest(t, "GET", url, nil), expires)
	if err != nil {
		t.Fatal(err)
	}
	_, server, _ := MustWire(t, MustNewRequest(t, "GET", u.String(), nil), nil)
	return server
}

// presignedUnsigned returns a request presigned by hand with
// X-Amz-Content-Sha256=UNSIGNED-PAYLOAD (Signer never writes that
// parameter), as the server reads it. Its signature is the same whatever
// body comes with it.
func presignedUnsigned(t *testing.T, method, service, target string) *http.Request {
	t.Helper()
	q := "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Content-Sha256=UNSIGNED-PAYLOAD&X-Amz-Credential=AKIDEXAMPLE%2F20240101%2Fus-east-1%2F" +
		service + "%2Faws4_request&X-Amz-Date=20240101T000000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host"
	sep := "?"
	if strings.Contains(target, "?") {
		sep = "&"
	}
	raw := method + " " + target + sep + q + "&X-Amz-Signature=00 HTTP/1.1\r\nHost: iam.local\r\n\r\n"
	r, _ := MustReadRequest(t, raw)
	_, sts, err := sigv4.Canonicalize(r, nil)
	if err != nil {
		t.Fatal(err)
	}
	raw = strings.Replace(raw, "X-Amz-Signature=00", "X-Amz-Signature="+signString(exampleSecret, "20240101", "us-east-1", service, sts), 1)
	r, _ = MustReadRequest(t, raw)
	return r
}

// rawRequest returns a request with the given Authorization header (none
// when empty) and extra header lines, as the server reads it.
func rawRequest(t *testing.T, target, authz string, lines ...string) *http.Request {
	t.Helper()
	raw := "GET " + target + " HTTP/1.1\r\nHost: iam.local\r\n"
	if authz != "" {
		raw += "Authorization: " + authz + "\r\n"
	}
	for _, l := range lines {
		raw += l + "\r\n"
	}
	r, _ := MustReadRequest(t, raw+"\r\n")
	return r
}

const (
	goodCred    = "Credential=AKIDEXAMPLE/20240101/us-east-1/iam/aws4_request"
	goodSig     = "Signature=0000000000000000000000000000000000000000000000000000000000000000"
	amzDate     = "X-Amz-Date: 20240101T000000Z"
	msgUnsigned = "x-amz-content-sha256: UNSIGNED-PAYLOAD is accepted only by Amazon S3. Sign the SHA-256 hash of the request body."
	msgMatch    = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
)

func authz(parts ...string) string { return "AWS4-HMAC-SHA256 " + strings.Join(parts, ", ") }

func hashedAuthz(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "Invalid key=value pair (missing equal-sign) in Authorization header (hashed with SHA-256 and encoded with Base64): '" +
		base64.StdEncoding.EncodeToString(sum[:]) + "'."
}

// TestVerifyErrors checks every failure with its exact code, status and
// message. The verifier's clock is 20240101T000000Z unless a case says
// otherwise.
func TestVerifyErrors(t *testing.T) {
	t.Parallel()
	type request func(t *testing.T) (*http.Request, []byte)
	raw := func(target, a string, lines ...string) request {
		return func(t *testing.T) (*http.Request, []byte) { return rawRequest(t, target, a, lines...), nil }
	}
	signed := func(service string, mutate func(r *http.Request, body []byte) []byte) request {
		return func(t *testing.T) (*http.Request, []byte) {
			r, body := signedRequest(t, service, "")
			if mutate != nil {
				body = mutate(r, body)
			}
			return r, body
		}
	}
	presigned := func(service, url string, expires time.Duration, mutate func(r *http.Request)) request {
		return func(t *testing.T) (*http.Request, []byte) {
			r := presignedRequest(t, service, url, expires)
			if mutate != nil {
				mutate(r)
			}
			return r, nil
		}
	}
	setQuery := func(r *http.Request, q string) { r.URL.RawQuery, r.RequestURI = q, r.URL.Path+"?"+q }
	const fullSigned = "SignedHeaders=host;x-amz-date"
	requiresAll := "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
		"Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. " +
		"Authorization=AWS4-HMAC-SHA256"
	tests := []struct {
		name     string
		request  request
		verifier func(v *sigv4.Verifier)
		code     sigv4.Code
		status   int
		message  string
	}{
		{name: "no authentication", request: raw("/?Action=ListUsers", ""),
			code: sigv4.CodeMissingAuthenticationToken, status: 403, message: "Missing Authentication Token"},
		{name: "empty Authorization", request: raw("/", "", "Authorization:"),
			code: sigv4.CodeMissingAuthenticationToken, status: 403, message: "Missing Authentication Token"},
		{name: "header and query", request: raw("/?X-Amz-Algorithm=AWS4-HMAC-SHA256", authz(goodCred, fullSigned, goodSig), amzDate),
			code: sigv4.CodeIncompleteSignature, status: 400, message: "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified"},
		{name: "header and query signature", request: raw("/?X-Amz-Signature=abc", authz(goodCred, fullSigned, goodSig), amzDate),
			code: sigv4.CodeIncompleteSignature, status: 400, message: "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified"},
		{name: "missing equal sign", request: raw("/", authz("Credential", fullSigned, goodSig), amzDate),
			code: sigv4.CodeIncompleteSignature, status: 400, message: hashedAuthz(authz("Credential", fullSigned, goodSig))},
		{name: "bearer token", request: raw("/", "Bearer eyJhbGciOiJIUzI1NiJ9.e30.ZRrHA1JJJW8opsbCGfG_HACGpVUMN_a9IV7pAx_Zmeo"),
			code: sigv4.CodeIncompleteSignature, status: 400, message: hashedAuthz("Bearer eyJhbGciOiJIUzI1NiJ9.e30.ZRrHA1JJJW8opsbCGfG_HACGpVUMN_a9IV7pAx_Zmeo")},
		{name: "unsupported algorithm", request: raw("/", "AWS4-HMAC-SHA512 "+goodCred+", "+fullSigned+", "+goodSig, amzDate),
			code: sigv4.CodeIncompleteSignature, status: 400, message: "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256."},
		{name: "signature version 2", request: raw("/", "AWS AKIDEXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg="),
			code: sigv4.CodeIncompleteSignature, status: 400, message: "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256."},
		{name: "requires everything", request: raw("/", "AWS4-HMAC-SHA256"),
			code: sigv4.CodeIncompleteSignature, status: 400, message: requiresAll},
		{name: "requires signature", request: raw("/", authz(goodCred, fullSigned), amzDate),
			code: sigv4.CodeIncompleteSignature, status: 400, message: "Authorization header requires 'Signature' parameter. Authorization=" + authz(goodCred, fullSigned)},
		{name: "requires date", request: raw("/", authz(goodCred, fullSigned, goodSig)),
			code: sigv4.CodeIncompleteSignature, status: 400, message: "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=" + authz(goodCred, fullSigned, goodSig)},
		{name: "RFC 1123 Date header", request: raw("/", authz(goodCred, "SignedHeaders=host", goodSig), "Date: Mon, 01 Jan 2024 00:00:00 GMT"),
			code: sigv4.CodeIncompleteSignature, status: 400, message: "Date must be in ISO-8601 'basic format'. Got 'Mon, 01 Jan 2024 00:00:00 GMT'. See http://en.wikipedia.org/wiki/ISO_8601"},
		{name: "extended ISO date", request: raw("/", authz(goodCred, fullSigned, goodSig), "X-Amz-Date: 2024-01-01T00:00:00Z"),
			code: sigv4.CodeIncompleteSignature, status: 400, message: "Date must be in ISO-8601 'basic format'. Got '2024-01-01T00:00:00Z'. See http://en.wikipedia.org/wiki/ISO_8601"},
		{name: "impossible date", request: raw("/", authz("Credential=AKIDEXAMPLE/20240230/us-east-1/iam/aws4_request", fullSigned, goodSig), "X-Amz-Date: 20240230T000000Z"),
			code: sigv4.CodeIncompleteSignature, status: 400, message: "Date must be in ISO-8601 'basic format'. Got '20240230T000000Z'. See http://en.wikipedia.org/wiki/ISO_8601"},
		{name: "credential with four elements", request: raw("/", authz("Credential=AKIDEXAMPLE/20240101/us-east-1/iam", fullSigned, goodSig), amzDate),
			code: sigv4.CodeIncompleteSignature, status: 400, message: "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'AKIDEXAMPLE/20240101/us-east-1/iam'"},
		{name: "credential with six elements", request: raw("/", authz("Credential=secret/key/20240101/us-east-1/iam/aws4_request", fullSigned, goodSig), amzDate),
			code: sigv4.CodeIncompleteSignature, status: 400, message: "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'secret/key/20240101/us-east-1/iam/aws4_request'"},
		{name: "invalid region", request: raw("/", authz("Credential=AKIDEXAMPLE/20240101/US_EAST_1/iam/aws4_request", fullSigned, goodSig), amzDate),
			code: sigv4.CodeSignatureDoesNotMatch, status: 403, message: "Credential should be scoped to a valid region, not 'US_EAST_1'. "},
		{name: "invalid terminator", request: raw("/", authz("Credential=AKIDEXAMPLE/20240101/us-east-1/iam/aws4_reques", fullSigned, goodSig), amzDate),
			code: sigv4.CodeSignatureDoesNotMatch, status: 403, message: "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws4_reques'. "},
		{name: "region and terminator", request: raw("/", authz("Credential=AKIDEXAMPLE/20240101//iam/aws4", fullSigned, goodSig), amzDate),
			code: sigv4.CodeSignatureDoesNotMatch, status: 403, message: "Credential should be scoped to a valid region, not ''. Credential should be scoped with a valid terminator: 'aws4_request', not 'aws4'. "},
		{name: "invalid service", request: raw("/", authz("Credential=AKIDEXAMPLE/20240101/us-east-1/IAM/aws4_request", fullSigned, goodSig), amzDate),
			code: sigv4.CodeSignatureDoesNotMatch, status: 403, message: "Credential should be scoped to correct service: 'IAM'. "},
		{name: "service not allowed", request: raw("/", authz("Credential=AKIDEXAMPLE/20240101/us-east-1/sts/aws4_request", fullSigned, goodSig), amzDate),
			verifier: func(v *sigv4.Verifier) { v.AllowedServices = []string{"iam"} },
			code:     sigv4.CodeSignatureDoesNotMatch, status: 403, message: "Credential should be scoped to correct service: 'iam'. "},
		{name: "service not among several", request: raw("/", authz("Credential=AKIDEXAMPLE/20240101/us-east-1/ec2/aws4_request", fullSigned, goodSig), amzDate),
			verifier: func(v *sigv4.Verifier) { v.AllowedServices = []string{"iam", "sts"} },
			code:     sigv4.CodeSignatureDoesNotMatch, status: 403, message: "Credential should be scoped to correct service: 'iam' or 'sts'. "},
		{name: "scope date", request: raw("/", authz("Credential=AKIDEXAMPLE/20231231/us-east-1/iam/aws4_request", fullSigned, goodSig), amzDate),
			code: sigv4.CodeSignatureDoesNotMatch, status: 403, message: "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20231231' != '20240101', from '20240101T000000Z'."},
		{name: "host not signed", request: raw("/", authz(goodCred, "SignedHeaders=x-amz-date", goodSig), amzDate),
			code: sigv4.CodeIncompleteSignature, status: 400, message: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."},
		{name: "empty SignedHeaders", request: raw("/", authz(goodCred, "SignedHeaders=", goodSig), amzDate),
			code: sigv4.CodeIncompleteSignature, status: 400, message: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."},
		{name: "x-amz header not signed", request: raw("/", authz(goodCred, fullSigned, goodSig), amzDate, "X-Amz-Security-Token: token"),
			code: sigv4.CodeAccessDenied, status: 403, message: "There were headers present in the request which were not signed"},
		{name: "expired", request: signed("iam", nil), verifier: func(v *sigv4.Verifier) { v.Now = MustClock(t, "20240101T003000Z") },
			code: sigv4.CodeSignatureDoesNotMatch, status: 403, message: "Signature expired: 20240101T000000Z is now earlier than 20240101T001500Z (20240101T003000Z - 15 min.)"},
		{name: "expired with 5 minute skew", request: signed("iam", nil),
			verifier: func(v *sigv4.Verifier) { v.Now, v.MaxSkew = MustClock(t, "20240101T000501Z"), 5*time.Minute },
			code:     sigv4.CodeSignatureDoesNotMatch, status: 403, message: "Signature expired: 20240101T000000Z is now earlier than 20240101T000001Z (20240101T000501Z - 5 min.)"},
		{name: "not yet current", request: signed("iam", nil), verifier: func(v *sigv4.Verifier) { v.Now = MustClock(t, "20231231T233000Z") },
			code: sigv4.CodeSignatureDoesNotMatch, status: 403, message: "Signature not yet current: 20240101T000000Z is still later than 20231231T234500Z (20231231T233000Z + 15 min.)"},
		{name: "unknown key", request: signed("iam", nil), verifier: func(v *sigv4.Verifier) { v.Secrets = secretMap{} },
			code: sigv4.CodeInvalidClientTokenID, status: 403, message: "The security token included in the request is invalid."},
		{name: "lookup error passed through", request: signed("iam", nil),
			verifier: func(v *sigv4.Verifier) {
				v.Secrets = lookupFunc(func(context.Context, string) (string, error) {
					return "", &sigv4.Error{Code: "ExpiredToken", Status: 403, Message: "The security token included in the request is expired"}
				})
			},
			code: "ExpiredToken", status: 403, message: "The security token included in the request is expired"},
		{name: "wrong secret", request: signed("iam", nil), verifier: func(v *sigv4.Verifier) { v.Secrets = secretMap{exampleKeyID: "other"} },
			code: sigv4.CodeSignatureDoesNotMatch, status: 403, message: msgMatch},
		{name: "tampered body", request: signed("iam", func(_ *http.Request, body []byte) []byte { return append(body, "&UserName=x"...) }),
			code: sigv4.CodeSignatureDoesNotMatch, status: 403, message: msgMatch},
		{name: "tampered signed header", request: signed("iam", func(r *http.Request, body []byte) []byte { r.Header.Set("Content-Type", "text/plain"); return body }),
			code: sigv4.CodeSignatureDoesNotMatch, status: 403, message: msgMatch},
		{name: "tampered host", request: signed("iam", func(r *http.Request, body []byte) []byte { r.Host = "evil.local"; return body }),
			code: sigv4.CodeSignatureDoesNotMatch, status: 403, message: msgMatch},
		{name: "tampered query", request: signed("iam", func(r *http.Request, body []byte) []byte { setQuery(r, "Extra=2"); return body }),
			code: sigv4.CodeSignatureDoesNotMatch, status: 403, message: msgMatch},
		{name: "added query parameter", request: signed("iam", func(r *http.Request, body []byte) []byte { setQuery(r, "Extra=1&More=1"); return body }),
			code: sigv4.CodeSignatureDoesNotMatch, status: 403, message: msgMatch},
		{name: "tampered path", request: signed("iam", func(r *http.Request, body []byte) []byte { r.RequestURI = "/other?Extra=1"; return body }),
			code: sigv4.CodeSignatureDoesNotMatch, status: 403, message: msgMatch},
		{name: "tampered method", request: signed("iam", func(r *http.Request, body []byte) []byte { r.Method = "PUT"; return body }),
			code: sigv4.CodeSignatureDoesNotMatch, status: 403, message: msgMatch},
		{name: "upper-case signature", request: signed("iam", func(r *http.Request, body []byte) []byte {
			a := r.Header.Get("Authorization")
			i := strings.Index(a, "Signature=") + len("Signature=")
			r.Header.Set("Authorization", a[:i]+strings.ToUpper(a[i:]))
			return body
		}), code: sigv4.CodeSignatureDoesNotMatch, status: 403, message: msgMatch},
		{name: "short signature", request: signed("iam", func(r *http.Request, body []byte) []byte {
			a := r.Header.Get("Authorization")
			r.Header.Set("Authorization", a[:len(a)-1])
			return body
		}), code: sigv4.CodeSignatureDoesNotMatch, status: 403, message: msgMatch},
		{name: "presigned missing parameters", request: raw("/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=00", ""),
			code: sigv4.CodeIncompleteSignature, status: 400,
			message: "AWS query-string parameters must include 'X-Amz-Credential'. AWS query-string parameters must include 'X-Amz-SignedHeaders'. " +
				"AWS query-string parameters must include 'X-Amz-Date'. Re-examine the query-string parameters."},
		{name: "presigned unsupported algorithm", request: presigned("sts", "http://sts.local/?Action=GetCallerIdentity", time.Minute, func(r *http.Request) {
			setQuery(r, strings.Replace(r.URL.RawQuery, "AWS4-HMAC-SHA256", "AWS4-ECDSA-P256-SHA256", 1))
		}), code: sigv4.CodeIncompleteSignature, status: 400, message: "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256."},
		{name: "presigned tampered", request: presigned("sts", "http://sts.local/?Action=GetCallerIdentity", time.Minute, func(r *http.Request) {
			setQuery(r, strings.Replace(r.URL.RawQuery, "GetCallerIdentity", "GetSessionToken", 1))
		}), code: sigv4.CodeSignatureDoesNotMatch, status: 403, message: msgMatch},
		{name: "presigned expired", request: presigned("sts", "http://sts.local/?Action=GetCallerIdentity", time.Hour, nil),
			verifier: func(v *sigv4.Verifier) { v.Now = MustClock(t, "20240101T003000Z") },
			code:     sigv4.CodeSignatureDoesNotMatch, status: 403, message: "Signature expired: 20240101T000000Z is now earlier than 20240101T001500Z (20240101T003000Z - 15 min.)"},
		{name: "presigned not yet current", request: presigned("sts", "http://sts.local/?Action=GetCallerIdentity", time.Hour, nil),
			verifier: func(v *sigv4.Verifier) { v.Now = MustClock(t, "20231231T230000Z") },
			code:     sigv4.CodeSignatureDoesNotMatch, status: 403, message: "Signature not yet current: 20240101T000000Z is still later than 20231231T231500Z (20231231T230000Z + 15 min.)"},
		{name: "s3 presigned expired", request: presigned("s3", "http://s3.local/bucket/key", time.Hour, nil),
			verifier: func(v *sigv4.Verifier) { v.Now = MustClock(t, "20240101T010001Z") },
			code:     sigv4.CodeAccessDenied, status: 403, message: "Request has expired"},
		{name: "s3 presigned without expiry", request: presigned("s3", "http://s3.local/bucket/key", time.Hour, func(r *http.Request) {
			setQuery(r, strings.Replace(r.URL.RawQuery, "X-Amz-Expires=3600&", "", 1))
		}), code: sigv4.CodeAuthorizationQueryParametersError, status: 400,
			message: "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters."},
		{name: "s3 presigned expiry not a number", request: presigned("s3", "http://s3.local/bucket/key", time.Hour, func(r *http.Request) {
			setQuery(r, strings.Replace(r.URL.RawQuery, "X-Amz-Expires=3600", "X-Amz-Expires=1h", 1))
		}), code: sigv4.CodeAuthorizationQueryParametersError, status: 400, message: "X-Amz-Expires should be a number"},
		{name: "s3 presigned negative expiry", request: presigned("s3", "http://s3.local/bucket/key", time.Hour, func(r *http.Request) {
			setQuery(r, strings.Replace(r.URL.RawQuery, "X-Amz-Expires=3600", "X-Amz-Expires=-1", 1))
		}), code: sigv4.CodeAuthorizationQueryParametersError, status: 400, message: "X-Amz-Expires must be non-negative"},
		{name: "s3 presigned expiry too long", request: presigned("s3", "http://s3.local/bucket/key", time.Hour, func(r *http.Request) {
			setQuery(r, strings.Replace(r.URL.RawQuery, "X-Amz-Expires=3600", "X-Amz-Expires=604801", 1))
		}), code: sigv4.CodeAuthorizationQueryParametersError, status: 400, message: "X-Amz-Expires must be less than a week (in seconds) that is 604800"},
		{name: "s3 without content hash", request: raw("/bucket/key", authz("Credential=AKIDEXAMPLE/20240101/us-east-1/s3/aws4_request", fullSigned, goodSig), amzDate),
			code: sigv4.CodeInvalidRequest, status: 400, message: "Missing required header for this request: x-amz-content-sha256"},
		{name: "invalid content hash", request: raw("/", authz(goodCred, "SignedHeaders=host;x-amz-content-sha256;x-amz-date", goodSig), amzDate, "X-Amz-Content-Sha256: STREAMING-AWS4-HMAC-SHA256-PAYLOAD"),
			code: sigv4.CodeInvalidArgument, status: 400, message: "x-amz-content-sha256 must be UNSIGNED-PAYLOAD or a valid sha256 value."},
		// UNSIGNED-PAYLOAD outside S3: a captured request or presigned URL
		// must not be sendable again with another body.
		{name: "UNSIGNED-PAYLOAD header at IAM", request: func(t *testing.T) (*http.Request, []byte) {
			r, body := signedRequest(t, "iam", "")
			return resignWith(t, r, body, "iam", func(r *http.Request) { r.Header.Set("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD") }),
				[]byte("Action=CreateAccessKey&Version=2010-05-08")
		}, code: sigv4.CodeSignatureDoesNotMatch, status: 403, message: msgUnsigned},
		{name: "UNSIGNED-PAYLOAD header at STS without a body", request: func(t *testing.T) (*http.Request, []byte) {
			r, body := signedRequest(t, "sts", "")
			return resignWith(t, r, body, "sts", func(r *http.Request) { r.Header.Set("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD") }), nil
		}, code: sigv4.CodeSignatureDoesNotMatch, status: 403, message: msgUnsigned},
		{name: "UNSIGNED-PAYLOAD header at a JSON service", request: func(t *testing.T) (*http.Request, []byte) {
			r, body := signedRequest(t, "invoicing", "")
			return resignWith(t, r, body, "invoicing", func(r *http.Request) { r.Header.Set("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD") }), []byte(`{}`)
		}, code: sigv4.CodeSignatureDoesNotMatch, status: 403, message: msgUnsigned},
		{name: "presigned UNSIGNED-PAYLOAD with a body", request: func(t *testing.T) (*http.Request, []byte) {
			return presignedUnsigned(t, "POST", "sts", "/?Action=GetCallerIdentity&Version=2011-06-15"),
				[]byte("Action=AssumeRole&RoleArn=arn:aws:iam::123456789012:role/admin&RoleSessionName=x")
		}, code: sigv4.CodeSignatureDoesNotMatch, status: 403,
			message: "A presigned URL that signs UNSIGNED-PAYLOAD covers no request body: send it without a body, or sign the body's SHA-256 hash."},
		{name: "presigned with a body", request: func(t *testing.T) (*http.Request, []byte) {
			return presignedRequest(t, "sts", "http://sts.local/?Action=GetCallerIdentity&Version=2011-06-15", time.Minute),
				[]byte("Action=AssumeRole&RoleArn=arn:aws:iam::123456789012:role/admin&RoleSessionName=x")
		}, code: sigv4.CodeSignatureDoesNotMatch, status: 403, message: msgMatch},
		{name: "content hash mismatch", request: signed("s3", func(_ *http.Request, body []byte) []byte { return append(body, '!') }),
			verifier: nil, code: sigv4.CodeXAmzContentSHA256Mismatch, status: 400, message: "The provided 'x-amz-content-sha256' header does not match what was computed."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r, body := tc.request(t)
			v := &sigv4.Verifier{Secrets: secretMap{exampleKeyID: exampleSecret}, Now: MustClock(t, "20240101T000000Z")}
			if tc.verifier != nil {
				tc.verifier(v)
			}
			res, err := v.Verify(context.Background(), r, body)
			if res != nil {
				t.Errorf("result = %v, want nil", res)
			}
			wantError(t, err, tc.code, tc.status, tc.message)
		})
	}
}

// TestClockSkewBoundaries checks that the skew window is inclusive on
// both sides and that X-Amz-Expires does not extend it for STS.
func TestClockSkewBoundaries(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, now string
		request   func(t *testing.T) (*http.Request, []byte)
		ok        bool
	}{
		{"15 minutes late", "20240101T001500Z", func(t *testing.T) (*http.Request, []byte) { return signedRequest(t, "iam", "") }, true},
		{"15 minutes late and a second", "20240101T001501Z", func(t *testing.T) (*http.Request, []byte) { return signedRequest(t, "iam", "") }, false},
		{"15 minutes early", "20231231T234500Z", func(t *testing.T) (*http.Request, []byte) { return signedRequest(t, "iam", "") }, true},
		{"15 minutes early and a second", "20231231T234459Z", func(t *testing.T) (*http.Request, []byte) { return signedRequest(t, "iam", "") }, false},
		{"sts presigned for an hour, after 20 minutes", "20240101T002000Z", func(t *testing.T) (*http.Request, []byte) {
			return presignedRequest(t, "sts", "http://sts.local/?Action=GetCallerIdentity", time.Hour), nil
		}, false},
		{"sts presigned for a minute, after 10 minutes", "20240101T001000Z", func(t *testing.T) (*http.Request, []byte) {
			return presignedRequest(t, "sts", "http://sts.local/?Action=GetCallerIdentity", time.Minute), nil
		}, true},
		{"s3 presigned for a week, after 6 days", "20240107T000000Z", func(t *testing.T) (*http.Request, []byte) {
			return presignedRequest(t, "s3", "http://s3.local/b/k", 7*24*time.Hour), nil
		}, true},
		{"s3 presigned for an hour, at the hour", "20240101T010000Z", func(t *testing.T) (*http.Request, []byte) {
			return presignedRequest(t, "s3", "http://s3.local/b/k", time.Hour), nil
		}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r, body := tc.request(t)
			// A clock with nanoseconds must not turn the boundary into a failure.
			now := MustClock(t, tc.now)().Add(999 * time.Millisecond)
			v := &sigv4.Verifier{Secrets: secretMap{exampleKeyID: exampleSecret}, Now: func() time.Time { return now }}
			_, err := v.Verify(context.Background(), r, body)
			if (err == nil) != tc.ok {
				t.Errorf("Verify at %s: %v, want ok=%t", tc.now, err, tc.ok)
			}
		})
	}
}

// TestVerifyAccepts covers requests that are unusual but valid.
func TestVerifyAccepts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		request func(t *testing.T) (*http.Request, []byte)
		check   func(t *testing.T, res *sigv4.Result)
	}{
		{name: "ISO date in the Date header", request: func(t *testing.T) (*http.Request, []byte) {
			r, body := signedRequest(t, "iam", "")
			return resignWith(t, r, body, "iam", func(r *http.Request) {
				r.Header.Del("X-Amz-Date")
				r.Header.Set("Date", "20240101T000000Z")
			}), body
		}},
		{name: "unsigned x-amz-content-sha256", request: func(t *testing.T) (*http.Request, []byte) {
			r, body := signedRequest(t, "iam", "")
			r.Header.Set("X-Amz-Content-Sha256", "whatever")
			return r, body
		}},
		{name: "signed UNSIGNED-PAYLOAD at S3", request: func(t *testing.T) (*http.Request, []byte) {
			r, body := signedRequest(t, "s3", "")
			return resignWith(t, r, body, "s3", func(r *http.Request) { r.Header.Set("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD") }), []byte("anything")
		}, check: func(t *testing.T, res *sigv4.Result) {
			if !res.UnsignedPayload {
				t.Error("UnsignedPayload = false")
			}
		}},
		{name: "presigned UNSIGNED-PAYLOAD at STS without a body", request: func(t *testing.T) (*http.Request, []byte) {
			return presignedUnsigned(t, "GET", "sts", "/?Action=GetCallerIdentity&Version=2011-06-15"), nil
		}, check: func(t *testing.T, res *sigv4.Result) {
			if !res.UnsignedPayload || !res.Presigned {
				t.Errorf("UnsignedPayload = %t, Presigned = %t", res.UnsignedPayload, res.Presigned)
			}
		}},
		{name: "presigned UNSIGNED-PAYLOAD at S3 with a body", request: func(t *testing.T) (*http.Request, []byte) {
			return presignedUnsigned(t, "PUT", "s3", "/bucket/key"), []byte("object data")
		}},
		{name: "signed digest at IAM", request: func(t *testing.T) (*http.Request, []byte) {
			r, body := signedRequest(t, "iam", "")
			sum := sha256.Sum256(body)
			return resignWith(t, r, body, "iam", func(r *http.Request) { r.Header.Set("X-Amz-Content-Sha256", hex.EncodeToString(sum[:])) }), body
		}},
		{name: "session token as a signed header", request: func(t *testing.T) (*http.Request, []byte) {
			return signedRequest(t, "sts", "token/with+chars=")
		}, check: func(t *testing.T, res *sigv4.Result) {
			if res.SessionToken != "token/with+chars=" {
				t.Errorf("SessionToken = %q", res.SessionToken)
			}
		}},
		{name: "no spaces after commas", request: func(t *testing.T) (*http.Request, []byte) {
			r, body := signedRequest(t, "iam", "")
			r.Header.Set("Authorization", strings.ReplaceAll(r.Header.Get("Authorization"), ", ", ","))
			return r, body
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r, body := tc.request(t)
			v := &sigv4.Verifier{Secrets: secretMap{exampleKeyID: exampleSecret}, Now: MustClock(t, "20240101T000000Z")}
			res, err := v.Verify(context.Background(), r, body)
			if err != nil {
				t.Fatal(err)
			}
			if tc.check != nil {
				tc.check(t, res)
			}
		})
	}
}

// resignWith changes a server-side request and signs it again by hand:
// the signature is taken from Canonicalize's string to sign through a
// Signer-produced twin, so the test does not depend on internals.
func resignWith(t *testing.T, r *http.Request, body []byte, service string, change func(r *http.Request)) *http.Request {
	t.Helper()
	change(r)
	signed := "content-type;host;x-amz-date"
	if r.Header.Get("X-Amz-Date") == "" {
		signed = "content-type;date;host"
	}
	if r.Header.Get("X-Amz-Content-Sha256") != "" {
		signed = "content-type;host;x-amz-content-sha256;x-amz-date"
	}
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+exampleKeyID+"/20240101/us-east-1/"+service+"/aws4_request, SignedHeaders="+signed+", Signature=x")
	_, sts, err := sigv4.Canonicalize(r, body)
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Authorization", strings.TrimSuffix(r.Header.Get("Authorization"), "x")+signString(exampleSecret, "20240101", "us-east-1", service, sts))
	return r
}

// TestVerifyInternalErrors checks the failures that are not the client's.
func TestVerifyInternalErrors(t *testing.T) {
	t.Parallel()
	r, body := signedRequest(t, "iam", "")
	var zero sigv4.Verifier
	if _, err := zero.Verify(context.Background(), r, body); err == nil || errors.As(err, new(*sigv4.Error)) {
		t.Errorf("nil Secrets: %v, want a plain error", err)
	}
	boom := errors.New("database is down")
	v := &sigv4.Verifier{Now: MustClock(t, "20240101T000000Z"), Secrets: lookupFunc(func(context.Context, string) (string, error) { return "", boom })}
	_, err := v.Verify(context.Background(), r, body)
	if !errors.Is(err, boom) || errors.As(err, new(*sigv4.Error)) {
		t.Errorf("lookup failure: %v, want it wrapped, not an *Error", err)
	}
}

// TestSecretsNeverPrinted checks that errors and printed values do not
// contain the secret, the session token or the expected signature.
func TestSecretsNeverPrinted(t *testing.T) {
	t.Parallel()
	const token = "SESSIONTOKENVALUE"
	signer := sigv4.Signer{AccessKeyID: exampleKeyID, SecretAccessKey: exampleSecret, SessionToken: token, Region: "us-east-1", Service: "iam"}
	r, body := signedRequest(t, "iam", token)
	v := &sigv4.Verifier{Secrets: secretMap{exampleKeyID: exampleSecret}, Now: MustClock(t, "20240101T000000Z")}
	res, err := v.Verify(context.Background(), r, body)
	if err != nil {
		t.Fatal(err)
	}
	// The signature for a tampered body, which a careless error would show.
	_, sts, _ := sigv4.Canonicalize(r, append(body, 'x'))
	expected := signString(exampleSecret, "20240101", "us-east-1", "iam", sts)
	_, verr := v.Verify(context.Background(), r, append(body, 'x'))
	for _, s := range []string{
		signer.String(), signer.GoString(), sigv4.Signer{}.String(),
		res.String(), res.GoString(),
		verr.Error(),
	} {
		for _, secret := range []string{exampleSecret, token, expected} {
			if strings.Contains(s, secret) {
				t.Errorf("%q contains a secret", s)
			}
		}
	}
	if !strings.Contains(signer.String(), "REDACTED") {
		t.Errorf("Signer.String() = %q, want the secret shown as REDACTED", signer.String())
	}
}

// TestVerifyWith: the lookup passed to VerifyWith is the one asked, not
// the Verifier's Secrets, and a Verifier without Secrets works with it.
func TestVerifyWith(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name     string
		secrets  sigv4.SecretLookup
		with     sigv4.SecretLookup
		wantCode sigv4.Code // "" for success
		wantErr  bool       // a non-*Error failure
	}{
		{name: "with knows the key", secrets: secretMap{}, with: secretMap{exampleKeyID: exampleSecret}},
		{name: "no Secrets at all", with: secretMap{exampleKeyID: exampleSecret}},
		{name: "with does not know it", secrets: secretMap{exampleKeyID: exampleSecret}, with: secretMap{},
			wantCode: sigv4.CodeInvalidClientTokenID},
		{name: "nil lookup", secrets: secretMap{exampleKeyID: exampleSecret}, wantErr: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, body := signedRequest(t, "iam", "")
			v := &sigv4.Verifier{Secrets: tc.secrets, Now: MustClock(t, "20240101T000000Z")}
			_, err := v.VerifyWith(ctx, r, body, tc.with)
			var e *sigv4.Error
			switch {
			case tc.wantErr:
				if err == nil || errors.As(err, &e) {
					t.Fatalf("err = %v, want a plain error", err)
				}
			case tc.wantCode != "":
				if !errors.As(err, &e) || e.Code != tc.wantCode {
					t.Fatalf("err = %v, want %s", err, tc.wantCode)
				}
			case err != nil:
				t.Fatalf("err = %v", err)
			}
		})
	}
}
