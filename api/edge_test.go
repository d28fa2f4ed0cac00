package api_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/sigv4"
)

// hmacSign computes a SigV4 signature of stringToSign with crypto/hmac, so
// that tests can sign what sigv4.Signer never writes.
func hmacSign(secret, date, region, service, stringToSign string) string {
	mac := func(key []byte, msg string) []byte {
		h := hmac.New(sha256.New, key)
		h.Write([]byte(msg))
		return h.Sum(nil)
	}
	k := mac([]byte("AWS4"+secret), date)
	k = mac(k, region)
	k = mac(k, service)
	k = mac(k, "aws4_request")
	return hex.EncodeToString(mac(k, stringToSign))
}

// signUnsignedPayload signs r by hand with x-amz-content-sha256:
// UNSIGNED-PAYLOAD (header authentication), the way an S3 client signs a
// streaming upload. The signature does not depend on the body.
func (h *harness) signUnsignedPayload(t *testing.T, r *http.Request, service string) {
	t.Helper()
	now := h.clock().UTC()
	r.Header.Set("X-Amz-Date", now.Format("20060102T150405Z"))
	r.Header.Set("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD")
	scope := now.Format("20060102") + "/us-west-2/" + service + "/aws4_request"
	signed := "content-type;host;x-amz-content-sha256;x-amz-date"
	if r.Header.Get("X-Amz-Target") != "" {
		signed += ";x-amz-target"
	}
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+rootKeyID+"/"+scope+", SignedHeaders="+signed+", Signature=x")
	_, sts, err := sigv4.Canonicalize(r, nil)
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Authorization", strings.TrimSuffix(r.Header.Get("Authorization"), "x")+
		hmacSign(rootSecret, now.Format("20060102"), "us-west-2", service, sts))
}

// presignUnsignedPayload returns the query of a URL presigned by hand
// with X-Amz-Content-Sha256=UNSIGNED-PAYLOAD (sigv4.Signer signs the
// empty body's hash, as botocore does).
func (h *harness) presignUnsignedPayload(t *testing.T, method, service, query string) string {
	t.Helper()
	now := h.clock().UTC()
	q := query + "&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Content-Sha256=UNSIGNED-PAYLOAD&X-Amz-Credential=" + rootKeyID +
		"%2F" + now.Format("20060102") + "%2Fus-west-2%2F" + service + "%2Faws4_request&X-Amz-Date=" + now.Format("20060102T150405Z") +
		"&X-Amz-Expires=300&X-Amz-SignedHeaders=host"
	r, err := http.NewRequest(method, h.url+"/?"+q+"&X-Amz-Signature=00", nil)
	if err != nil {
		t.Fatal(err)
	}
	_, sts, err := sigv4.Canonicalize(r, nil)
	if err != nil {
		t.Fatal(err)
	}
	return q + "&X-Amz-Signature=" + hmacSign(rootSecret, now.Format("20060102"), "us-west-2", service, sts)
}

// TestUnsignedPayload checks finding 7 of security issue 8: a request
// whose signature does not cover its body (UNSIGNED-PAYLOAD) is refused
// by every Query and JSON service, so neither a captured request nor a
// presigned URL can be sent again with another body; presigned URLs
// without a body keep working.
func TestUnsignedPayload(t *testing.T) {
	h := newHarness(t, nil)
	const unsignedMsg = "x-amz-content-sha256: UNSIGNED-PAYLOAD is accepted only by Amazon S3. Sign the SHA-256 hash of the request body."
	const bodyMsg = "A presigned URL that signs UNSIGNED-PAYLOAD covers no request body: send it without a body, or sign the body's SHA-256 hash."
	assumeRole := stsForm("AssumeRole", "RoleArn", "arn:aws:iam::"+accountID+":role/admin", "RoleSessionName", "x").Encode()
	tests := []struct {
		name    string
		request func(t *testing.T) *http.Request
		status  int
		code    string // Query error code; "" for a success
		message string
	}{
		{name: "header UNSIGNED-PAYLOAD at IAM, body swapped", request: func(t *testing.T) *http.Request {
			r, _ := http.NewRequest("POST", h.url+"/", strings.NewReader(iamForm("CreateAccessKey").Encode()))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			h.signUnsignedPayload(t, r, "iam")
			return r
		}, status: 403, code: "SignatureDoesNotMatch", message: unsignedMsg},
		{name: "header UNSIGNED-PAYLOAD at STS, no body", request: func(t *testing.T) *http.Request {
			r, _ := http.NewRequest("GET", h.url+"/?"+stsForm("GetCallerIdentity").Encode(), nil)
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			h.signUnsignedPayload(t, r, "sts")
			return r
		}, status: 403, code: "SignatureDoesNotMatch", message: unsignedMsg},
		{name: "presigned UNSIGNED-PAYLOAD GetCallerIdentity with an AssumeRole body", request: func(t *testing.T) *http.Request {
			q := h.presignUnsignedPayload(t, "POST", "sts", stsForm("GetCallerIdentity").Encode())
			r, _ := http.NewRequest("POST", h.url+"/?"+q, strings.NewReader(assumeRole))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			return r
		}, status: 403, code: "SignatureDoesNotMatch", message: bodyMsg},
		{name: "presigned GetCallerIdentity with an AssumeRole body", request: func(t *testing.T) *http.Request {
			r, _ := http.NewRequest("POST", h.url+"/?"+stsForm("GetCallerIdentity").Encode(), nil)
			u, err := h.signer("sts").Presign(r, time.Minute)
			if err != nil {
				t.Fatal(err)
			}
			r, _ = http.NewRequest("POST", u.String(), strings.NewReader(assumeRole))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			return r
		}, status: 403, code: "SignatureDoesNotMatch"},
		{name: "presigned UNSIGNED-PAYLOAD GetCallerIdentity, no body", request: func(t *testing.T) *http.Request {
			r, _ := http.NewRequest("GET", h.url+"/?"+h.presignUnsignedPayload(t, "GET", "sts", stsForm("GetCallerIdentity").Encode()), nil)
			return r
		}, status: 200},
		{name: "presigned GetCallerIdentity, no body", request: func(t *testing.T) *http.Request {
			r, _ := http.NewRequest("GET", h.url+"/?"+stsForm("GetCallerIdentity").Encode(), nil)
			u, err := h.signer("sts").Presign(r, time.Minute)
			if err != nil {
				t.Fatal(err)
			}
			r, _ = http.NewRequest("GET", u.String(), nil)
			return r
		}, status: 200},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h.tick()
			r := h.do(t, tc.request(t))
			if tc.code == "" {
				if r.status != tc.status || !bytes.Contains(r.body, []byte("<Arn>arn:aws:iam::"+accountID+":root</Arn>")) {
					t.Errorf("HTTP %d %s", r.status, r.body)
				}
				return
			}
			wantError(t, r, tc.status, tc.code, tc.message)
		})
	}
	t.Run("JSON 1.0 service", func(t *testing.T) {
		h.tick()
		r, _ := http.NewRequest("POST", h.url+"/", strings.NewReader(`{}`))
		r.Header.Set("Content-Type", "application/x-amz-json-1.0")
		r.Header.Set("X-Amz-Target", "Invoicing.ListInvoiceSummaries")
		h.signUnsignedPayload(t, r, "invoicing")
		got := h.do(t, r)
		if got.status != 400 || !bytes.Contains(got.body, []byte(`"__type":"com.amazon.coral.service#InvalidSignatureException"`)) ||
			!bytes.Contains(got.body, []byte(unsignedMsg)) {
			t.Errorf("HTTP %d %s", got.status, got.body)
		}
	})
	t.Run("REST-JSON service", func(t *testing.T) {
		h.tick()
		r, _ := http.NewRequest("POST", h.url+"/getContactInformation", strings.NewReader(`{}`))
		r.Header.Set("Content-Type", "application/json")
		h.signUnsignedPayload(t, r, "account")
		got := h.do(t, r)
		if got.status != 403 || got.header.Get("X-Amzn-Errortype") != "InvalidSignatureException" || !bytes.Contains(got.body, []byte(unsignedMsg)) {
			t.Errorf("HTTP %d %s %s", got.status, got.header.Get("X-Amzn-Errortype"), got.body)
		}
	})
}

// TestQueryParameterSources checks that the parameters of a Query request
// come from the URL or from the body, never from both: a name in both is
// refused, so neither source can override what the other signed.
func TestQueryParameterSources(t *testing.T) {
	h := newHarness(t, nil)
	const dupMsg = "The parameter %s is in both the URL query string and the request body. Send each parameter in one place only."
	tests := []struct {
		name, query, body string
		status            int
		code, message     string // Query error; "" for a success
	}{
		{name: "Action in both", query: "Action=GetUser&Version=2010-05-08", body: "Action=CreateAccessKey",
			status: 400, code: "InvalidQueryParameter", message: strings.Replace(dupMsg, "%s", "Action", 1)},
		{name: "same Action in both", query: "Action=GetUser", body: "Action=GetUser&Version=2010-05-08",
			status: 400, code: "InvalidQueryParameter", message: strings.Replace(dupMsg, "%s", "Action", 1)},
		{name: "member in both", query: "Action=CreateUser&Version=2010-05-08&UserName=url", body: "UserName=body",
			status: 400, code: "InvalidQueryParameter", message: strings.Replace(dupMsg, "%s", "UserName", 1)},
		{name: "empty value in the URL", query: "Action=ListUsers&Version=2010-05-08&PathPrefix=", body: "PathPrefix=%2F",
			status: 400, code: "InvalidQueryParameter", message: strings.Replace(dupMsg, "%s", "PathPrefix", 1)},
		{name: "malformed URL query", query: "Action=ListUsers&Version=2010-05-08&Bad=%zz", body: "",
			status: 404, code: "MalformedQueryString", message: "The URL query string is not a valid query string."},
		{name: "malformed body", query: "", body: "Action=ListUsers&Version=2010-05-08&Bad=%zz",
			status: 404, code: "MalformedQueryString", message: "The request body is not a valid query string."},
		{name: "split between URL and body", query: "Action=ListUsers&Version=2010-05-08", body: "PathPrefix=%2F", status: 200},
		{name: "X-Amz- URL parameters are not parameters", query: "X-Amz-Action=CreateAccessKey", body: "Action=ListUsers&Version=2010-05-08", status: 200},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h.tick()
			target := "/"
			if tc.query != "" {
				target += "?" + tc.query
			}
			r, _ := http.NewRequest("POST", h.url+target, strings.NewReader(tc.body))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if err := h.signer("iam").Sign(r, []byte(tc.body)); err != nil {
				t.Fatal(err)
			}
			got := h.do(t, r)
			if tc.code == "" {
				if got.status != tc.status {
					t.Errorf("HTTP %d %s", got.status, got.body)
				}
				return
			}
			wantError(t, got, tc.status, tc.code, tc.message)
		})
	}
	// Nothing was created by the refused CreateUser.
	if r := h.send(t, "iam", rootKey, iamForm("GetUser", "UserName", "url")); r.status != 404 {
		t.Errorf("GetUser url: HTTP %d %s", r.status, r.body)
	}
}

// TestMethods checks that Query actions are served only for GET and POST
// and JSON operations only for POST; other methods get the service's
// error, never a 5xx.
func TestMethods(t *testing.T) {
	h := newHarness(t, nil)
	const methodMsg = "The specified method is not allowed against this resource. Query API actions are sent with GET or POST."
	for _, method := range []string{"PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "FOO"} {
		t.Run("Query "+method, func(t *testing.T) {
			h.tick()
			body := []byte(iamForm("ListUsers").Encode())
			r, _ := http.NewRequest(method, h.url+"/", bytes.NewReader(body))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if err := h.signer("iam").Sign(r, body); err != nil {
				t.Fatal(err)
			}
			got := h.do(t, r)
			if got.header.Get("Allow") != "GET, POST" {
				t.Errorf("Allow = %q", got.header.Get("Allow"))
			}
			if method == "HEAD" {
				if got.status != 405 {
					t.Errorf("HTTP %d", got.status)
				}
				return
			}
			wantError(t, got, 405, "MethodNotAllowed", methodMsg)
		})
	}
	for _, tc := range []struct {
		method, service, path, target string
		status                        int
		errorType                     string
	}{
		{"GET", "account", "/getContactInformation", "", 404, "UnknownOperationException"},
		{"PUT", "gatehouse", "/changeRootPassword", "", 404, "UnknownOperationException"},
		{"GET", "invoicing", "/", "Invoicing.ListInvoiceSummaries", 400, "UnknownOperationException"},
	} {
		t.Run(tc.service+" "+tc.method, func(t *testing.T) {
			h.tick()
			r, _ := http.NewRequest(tc.method, h.url+tc.path, strings.NewReader(`{}`))
			r.Header.Set("Content-Type", "application/json")
			if tc.target != "" {
				r.Header.Set("X-Amz-Target", tc.target)
			}
			s := sigv4.Signer{AccessKeyID: rootKeyID, SecretAccessKey: rootSecret, Region: "us-east-1", Service: tc.service, Now: h.clock}
			if err := s.Sign(r, []byte(`{}`)); err != nil {
				t.Fatal(err)
			}
			got := h.do(t, r)
			if got.status != tc.status || (got.header.Get("X-Amzn-Errortype") != tc.errorType &&
				!bytes.Contains(got.body, []byte(`"com.amazon.coral.service#`+tc.errorType+`"`))) {
				t.Errorf("HTTP %d %s", got.status, got.body)
			}
		})
	}
}

// The GovCloud account of the region tests, with a root access key.
const (
	govAccountID = "210987654321"
	govKeyID     = "AKIAGOVCLOUDROOT0001"
	govSecret    = "govcloud/root/secret/key/0000000000000000"
)

var govKey = key{id: govKeyID, secret: govSecret}

// addGovCloudAccount adds a GovCloud (aws-us-gov) account with a root key
// to the harness store, as FulfillGovCloudRootKeyRequest leaves it.
func addGovCloudAccount(t *testing.T, h *harness) {
	t.Helper()
	err := h.srv.Store.Update(t.Context(), func(tx gatehouse.Tx) error {
		if err := tx.CreateAccount(&gatehouse.Account{ID: govAccountID, Name: "gov", CreatedAt: h.clock(), Partition: gatehouse.PartitionGovCloud}); err != nil {
			return err
		}
		return tx.CreateAccessKey(&gatehouse.AccessKey{ID: govKeyID, AccountID: govAccountID, Status: gatehouse.KeyActive,
			Secret: gatehouse.Secret(govSecret), CreatedAt: h.clock()})
	})
	if err != nil {
		t.Fatal(err)
	}
}

// sendIn POSTs a Query form signed by k for service, with region as the
// signing region.
func (h *harness) sendIn(t *testing.T, region, service string, k key, f url.Values) response {
	t.Helper()
	h.tick()
	body := []byte(f.Encode())
	r, _ := http.NewRequest("POST", h.url+"/", bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	s := sigv4.Signer{AccessKeyID: k.id, SecretAccessKey: k.secret, SessionToken: k.token, Region: region, Service: service, Now: h.clock}
	if err := s.Sign(r, body); err != nil {
		t.Fatal(err)
	}
	return h.do(t, r)
}

// TestSigningRegion checks that the signing region is a region of the
// caller's partition, so that aws:RequestedRegion cannot be forged.
func TestSigningRegion(t *testing.T) {
	h := newHarness(t, nil)
	addGovCloudAccount(t, h)
	regionMsg := func(r string) string { return "Credential should be scoped to a valid region, not '" + r + "'. " }
	tests := []struct {
		region, service string
		k               key
		ok              bool
	}{
		{"us-east-1", "iam", rootKey, true},
		{"us-west-2", "sts", rootKey, true},
		{"eu-central-1", "iam", rootKey, true},
		{"il-central-1", "sts", rootKey, true},
		{"mx-central-1", "sts", rootKey, true},
		{"ap-southeast-7", "sts", rootKey, true},
		{"us-gov-west-1", "iam", rootKey, false},
		{"cn-north-1", "sts", rootKey, false},
		{"aws-global", "iam", rootKey, false},
		{"us-east-7", "sts", rootKey, false},
		{"local", "sts", rootKey, false},
		{"us-gov-west-1", "iam", govKey, true},
		{"us-gov-east-1", "sts", govKey, true},
		{"us-east-1", "iam", govKey, false},
		{"us-west-2", "sts", govKey, false},
	}
	for _, tc := range tests {
		t.Run(tc.k.id+" "+tc.service+" "+tc.region, func(t *testing.T) {
			f := stsForm("GetCallerIdentity")
			if tc.service == "iam" {
				f = iamForm("ListUsers")
			}
			r := h.sendIn(t, tc.region, tc.service, tc.k, f)
			if tc.ok {
				if r.status != 200 {
					t.Errorf("HTTP %d %s", r.status, r.body)
				}
				return
			}
			wantError(t, r, 403, "SignatureDoesNotMatch", regionMsg(tc.region))
		})
	}
	t.Run("REST-JSON", func(t *testing.T) {
		h.tick()
		r, _ := http.NewRequest("POST", h.url+"/getContactInformation", strings.NewReader(`{}`))
		r.Header.Set("Content-Type", "application/json")
		s := sigv4.Signer{AccessKeyID: rootKeyID, SecretAccessKey: rootSecret, Region: "us-gov-east-1", Service: "account", Now: h.clock}
		if err := s.Sign(r, []byte(`{}`)); err != nil {
			t.Fatal(err)
		}
		got := h.do(t, r)
		if got.status != 403 || got.header.Get("X-Amzn-Errortype") != "InvalidSignatureException" || !bytes.Contains(got.body, []byte(regionMsg("us-gov-east-1"))) {
			t.Errorf("HTTP %d %s %s", got.status, got.header.Get("X-Amzn-Errortype"), got.body)
		}
	})
}

// TestGovCloudIAMRequestedRegion checks that IAM's aws:RequestedRegion
// is the partition's global region: us-gov-west-1 in GovCloud, whatever
// GovCloud region the client signed with.
func TestGovCloudIAMRequestedRegion(t *testing.T) {
	h := newHarness(t, nil)
	addGovCloudAccount(t, h)
	for _, f := range []url.Values{
		iamForm("CreateUser", "UserName", "ops"),
		iamForm("PutUserPolicy", "UserName", "ops", "PolicyName", "region", "PolicyDocument",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"us-gov-west-1"}}}]}`),
	} {
		if r := h.sendIn(t, "us-gov-west-1", "iam", govKey, f); r.status != 200 {
			t.Fatalf("%s: HTTP %d %s", f.Get("Action"), r.status, r.body)
		}
	}
	r := h.sendIn(t, "us-gov-west-1", "iam", govKey, iamForm("CreateAccessKey", "UserName", "ops"))
	if r.status != 200 {
		t.Fatalf("CreateAccessKey: HTTP %d %s", r.status, r.body)
	}
	ops := key{id: field(t, r.body, "AccessKeyId"), secret: field(t, r.body, "SecretAccessKey")}
	for _, region := range []string{"us-gov-west-1", "us-gov-east-1"} {
		if r := h.sendIn(t, region, "iam", ops, iamForm("ListUsers")); r.status != 200 {
			t.Errorf("ListUsers signed for %s: HTTP %d %s", region, r.status, r.body)
		}
	}
}

// TestSessionTokenWithLongTermKey checks that a session token sent with a
// long-term (AKIA) key is refused, not ignored, in a header and in a
// presigned URL, for Query and JSON services.
func TestSessionTokenWithLongTermKey(t *testing.T) {
	h := newHarness(t, nil)
	const msg = "The security token included in the request is invalid."
	// A real session token, of another key: it is still not this key's.
	r := h.send(t, "sts", rootKey, stsForm("GetSessionToken"))
	if r.status != 200 {
		t.Fatalf("GetSessionToken: HTTP %d %s", r.status, r.body)
	}
	realToken := field(t, r.body, "SessionToken")
	for _, tc := range []struct {
		name, token string
	}{{"made-up token", "FwoGZXIvYXdzEXAMPLE"}, {"another session's token", realToken}} {
		t.Run(tc.name, func(t *testing.T) {
			withToken := key{id: rootKeyID, secret: rootSecret, token: tc.token}
			wantError(t, h.send(t, "sts", withToken, stsForm("GetCallerIdentity")), 403, "InvalidClientTokenId", msg)
			wantError(t, h.send(t, "iam", withToken, iamForm("ListUsers")), 403, "InvalidClientTokenId", msg)

			h.tick()
			req, _ := http.NewRequest("GET", h.url+"/?"+stsForm("GetCallerIdentity").Encode(), nil)
			s := h.signer("sts")
			s.SessionToken = tc.token
			u, err := s.Presign(req, time.Minute)
			if err != nil {
				t.Fatal(err)
			}
			req, _ = http.NewRequest("GET", u.String(), nil)
			wantError(t, h.do(t, req), 403, "InvalidClientTokenId", msg)

			h.tick()
			req, _ = http.NewRequest("POST", h.url+"/getContactInformation", strings.NewReader(`{}`))
			req.Header.Set("Content-Type", "application/json")
			s = sigv4.Signer{AccessKeyID: rootKeyID, SecretAccessKey: rootSecret, SessionToken: tc.token, Region: "us-east-1", Service: "account", Now: h.clock}
			if err := s.Sign(req, []byte(`{}`)); err != nil {
				t.Fatal(err)
			}
			got := h.do(t, req)
			if got.status != 403 || got.header.Get("X-Amzn-Errortype") != "UnrecognizedClientException" || !bytes.Contains(got.body, []byte(msg)) {
				t.Errorf("account: HTTP %d %s %s", got.status, got.header.Get("X-Amzn-Errortype"), got.body)
			}
		})
	}
	// Without a token the key works.
	if r := h.send(t, "sts", rootKey, stsForm("GetCallerIdentity")); r.status != 200 {
		t.Errorf("without a token: HTTP %d %s", r.status, r.body)
	}
}

// timeoutError is what a read past the server's read deadline returns.
type timeoutError struct{}

func (timeoutError) Error() string   { return "read tcp: i/o timeout" }
func (timeoutError) Timeout() bool   { return true }
func (timeoutError) Temporary() bool { return true }

// brokenBody yields some bytes of a body, then fails with err.
type brokenBody struct {
	data []byte
	err  error
}

func (b *brokenBody) Read(p []byte) (int, error) {
	if len(b.data) == 0 {
		return 0, b.err
	}
	n := copy(p, b.data)
	b.data = b.data[n:]
	return n, nil
}

func (b *brokenBody) Close() error { return nil }

// TestBodyReadErrors checks the answer to a body that cannot be read in
// full: a body cut off by the server's read timeout (a slow client) is
// RequestTimeout, one that breaks off is IncompleteBody; neither is
// reported as too large, nor as a server failure.
func TestBodyReadErrors(t *testing.T) {
	h := newHarness(t, nil)
	handler := h.srv.Handler()
	for _, tc := range []struct {
		name, path, code, message string
		err                       error
		status                    int
	}{
		{"AWS request, read timeout", "/", "RequestTimeout",
			"Your socket connection to the server was not read from or written to within the timeout period. Idle connections will be closed.", timeoutError{}, 400},
		{"AWS request, body broken off", "/", "IncompleteBody", "The request body could not be read in full.", io.ErrUnexpectedEOF, 400},
		{"sign-in, read timeout", "/_gatehouse/signin", "RequestTimeout",
			"Your socket connection to the server was not read from or written to within the timeout period. Idle connections will be closed.", timeoutError{}, 400},
		{"forgot password, read timeout", "/_gatehouse/forgot-password", "RequestTimeout",
			"Your socket connection to the server was not read from or written to within the timeout period. Idle connections will be closed.", timeoutError{}, 400},
		{"reset password, body broken off", "/_gatehouse/reset-password", "IncompleteBody", "The request body could not be read in full.", io.ErrUnexpectedEOF, 400},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", tc.path, nil)
			r.Body = &brokenBody{data: []byte("Action=ListUsers&Vers"), err: tc.err}
			r.ContentLength = 1000
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			w := httptest.NewRecorder()
			handler.ServeHTTP(w, r)
			code := w.Header().Get("X-Amzn-Errortype") // REST-JSON (sign-in)
			if code == "" {
				var e queryErr
				xml.Unmarshal(w.Body.Bytes(), &e)
				code = e.Code
			}
			if w.Code != tc.status || code != tc.code || !strings.Contains(w.Body.String(), tc.message) {
				t.Errorf("HTTP %d %s", w.Code, w.Body)
			}
		})
	}
}
