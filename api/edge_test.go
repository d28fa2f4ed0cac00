package api_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"testing"
	"time"

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
