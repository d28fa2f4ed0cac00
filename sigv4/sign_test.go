package sigv4_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse/sigv4"
)

// signString computes a SigV4 signature with crypto/hmac, independently
// of the package's own HMAC.
func signString(secret, date, region, service, stringToSign string) string {
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

// TestSignerErrors checks Signer's configuration errors.
func TestSignerErrors(t *testing.T) {
	t.Parallel()
	good := sigv4.Signer{AccessKeyID: "AKID", SecretAccessKey: "s", Region: "us-east-1", Service: "iam"}
	tests := []struct {
		name    string
		signer  sigv4.Signer
		expires time.Duration
	}{
		{name: "no key", signer: sigv4.Signer{SecretAccessKey: "s", Region: "us-east-1", Service: "iam"}, expires: time.Minute},
		{name: "no region", signer: sigv4.Signer{AccessKeyID: "AKID", SecretAccessKey: "s", Service: "iam"}, expires: time.Minute},
		{name: "slash in key id", signer: sigv4.Signer{AccessKeyID: "AK/ID", SecretAccessKey: "s", Region: "us-east-1", Service: "iam"}, expires: time.Minute},
		{name: "expiry too short", signer: good, expires: time.Millisecond},
		{name: "expiry too long", signer: good, expires: 7*24*time.Hour + time.Second},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := MustNewRequest(t, "GET", "http://localhost/", nil)
			if _, err := tc.signer.Presign(r, tc.expires); err == nil {
				t.Error("Presign: no error")
			}
			if tc.expires == time.Minute {
				if err := tc.signer.Sign(r, nil); err == nil {
					t.Error("Sign: no error")
				}
			}
		})
	}
}

// TestSignerMatchesStringToSign checks Signer's signature against an
// independent HMAC of the string to sign Canonicalize reports.
func TestSignerMatchesStringToSign(t *testing.T) {
	t.Parallel()
	signer := sigv4.Signer{AccessKeyID: "AKID", SecretAccessKey: "wJalr/secret", Region: "eu-west-3", Service: "sts", Now: MustClock(t, "20240615T101010Z")}
	r := MustNewRequest(t, "POST", "http://localhost/path?b=1&a=2", []byte("Action=GetCallerIdentity"), "X-Amz-Target", "x")
	if err := signer.Sign(r, []byte("Action=GetCallerIdentity")); err != nil {
		t.Fatal(err)
	}
	_, sts, err := sigv4.Canonicalize(r, []byte("Action=GetCallerIdentity"))
	if err != nil {
		t.Fatal(err)
	}
	want := "Signature=" + signString("wJalr/secret", "20240615", "eu-west-3", "sts", sts)
	if got := r.Header.Get("Authorization"); !strings.HasSuffix(got, want) {
		t.Errorf("Authorization = %s\nwant suffix %s", got, want)
	}
	if r.Header.Get("X-Amz-Date") != "20240615T101010Z" {
		t.Errorf("X-Amz-Date = %q", r.Header.Get("X-Amz-Date"))
	}
}

// TestPresignKeepsRequest checks that Presign does not change its request.
func TestPresignKeepsRequest(t *testing.T) {
	t.Parallel()
	signer := sigv4.Signer{AccessKeyID: "AKID", SecretAccessKey: "s", Region: "us-east-1", Service: "sts", SessionToken: "tok"}
	r := MustNewRequest(t, "GET", "http://localhost/?Action=GetCallerIdentity", nil)
	before := r.URL.String()
	u, err := signer.Presign(r, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if r.URL.String() != before || len(r.Header) != 1 || r.Header.Get("Authorization") != "" {
		t.Errorf("request changed: %s %v", r.URL, r.Header)
	}
	for _, p := range []string{"Action", "X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Security-Token", "X-Amz-Signature"} {
		if !u.Query().Has(p) {
			t.Errorf("presigned URL %s lacks %s", u, p)
		}
	}
}
