package sigv4_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse/sigv4"
)

// TestRoundTrip signs with Signer and verifies with Verifier, through the
// wire, for header and presigned signatures, with and without session
// tokens, for several services.
func TestRoundTrip(t *testing.T) {
	t.Parallel()
	const token = "FQoGZXIvYXdzEXAMPLE//token=="
	form := []byte("Action=CreateUser&UserName=alice&Version=2010-05-08")
	tests := []struct {
		name, service, region, token string
		method, url                  string
		body                         []byte
		header                       []string
		presign                      time.Duration
		wantSigned                   []string
		wantUnsigned                 bool
	}{
		{name: "iam-header", service: "iam", region: "us-east-1", method: "POST", url: "http://localhost:8080/", body: form,
			header: []string{"Content-Type", "application/x-www-form-urlencoded"}, wantSigned: []string{"content-type", "host", "x-amz-date"}},
		{name: "iam-header-session", service: "iam", region: "us-west-2", token: token, method: "POST", url: "http://localhost:8080/", body: form,
			header: []string{"Content-Type", "application/x-www-form-urlencoded"}, wantSigned: []string{"content-type", "host", "x-amz-date", "x-amz-security-token"}},
		{name: "sts-get", service: "sts", region: "eu-west-1", method: "GET", url: "http://localhost:8080/?Action=GetCallerIdentity&Version=2011-06-15",
			wantSigned: []string{"host", "x-amz-date"}},
		{name: "rest-json-path", service: "sso", region: "ap-southeast-2", token: token, method: "GET", url: "http://localhost:8080/federation/credentials?account_id=111122223333&role_name=Admin%20Role",
			header: []string{"X-Amz-Sso_bearer_token", "bearer"}, wantSigned: []string{"host", "x-amz-date", "x-amz-security-token", "x-amz-sso_bearer_token"}},
		{name: "s3-header", service: "s3", region: "us-east-1", method: "PUT", url: "http://localhost:8080/bucket/a%20b/c", body: []byte("data"),
			header: []string{"Content-Type", "text/plain", "X-Amz-Meta-Owner", "alice"}, wantSigned: []string{"content-type", "host", "x-amz-content-sha256", "x-amz-date", "x-amz-meta-owner"}},
		{name: "sts-presigned", service: "sts", region: "us-east-1", method: "GET", url: "http://localhost:8080/?Action=GetCallerIdentity&Version=2011-06-15",
			presign: time.Minute, wantSigned: []string{"host"}},
		{name: "sts-presigned-session", service: "sts", region: "us-east-1", token: token, method: "GET", url: "http://localhost:8080/?Action=GetCallerIdentity&Version=2011-06-15",
			presign: time.Minute, wantSigned: []string{"host"}},
		{name: "s3-presigned-session", service: "s3", region: "eu-central-1", token: token, method: "GET", url: "http://localhost:8080/bucket/key",
			presign: 7 * 24 * time.Hour, wantSigned: []string{"host"}, wantUnsigned: true},
		{name: "s3-presigned-amz-header", service: "s3", region: "eu-central-1", method: "PUT", url: "http://localhost:8080/bucket/key",
			header: []string{"X-Amz-Acl", "private"}, presign: time.Hour, wantSigned: []string{"host", "x-amz-acl"}, wantUnsigned: true},
	}
	const now = "20240301T120000Z"
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			signer := sigv4.Signer{AccessKeyID: "AKIAEXAMPLE", SecretAccessKey: "secret/key+1", SessionToken: tc.token,
				Region: tc.region, Service: tc.service, Now: MustClock(t, now)}
			r := MustNewRequest(t, tc.method, tc.url, tc.body, tc.header...)
			if tc.presign > 0 {
				u, err := signer.Presign(r, tc.presign)
				if err != nil {
					t.Fatal(err)
				}
				r = MustNewRequest(t, tc.method, u.String(), tc.body, tc.header...)
			} else if err := signer.Sign(r, tc.body); err != nil {
				t.Fatal(err)
			}
			_, server, body := MustWire(t, r, tc.body)
			v := &sigv4.Verifier{Secrets: secretMap{"AKIAEXAMPLE": "secret/key+1"}, Now: MustClock(t, now)}
			res, err := v.Verify(context.Background(), server, body)
			if err != nil {
				t.Fatal(err)
			}
			want := sigv4.Result{AccessKeyID: "AKIAEXAMPLE", Region: tc.region, Service: tc.service, SessionToken: tc.token,
				Date: MustClock(t, now)(), Presigned: tc.presign > 0, SignedHeaders: tc.wantSigned, UnsignedPayload: tc.wantUnsigned}
			if !reflect.DeepEqual(*res, want) {
				t.Errorf("result = %+v\nwant     %+v", *res, want)
			}
		})
	}
}
