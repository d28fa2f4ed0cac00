package sigv4_test

import (
	"context"
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse/sigv4"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// TestGolden pins the wire form, canonical request and string to sign of
// requests signed by Signer, as the server reads them, in
// testdata/golden/<name>.golden. Run with -update to rewrite them, and
// read the diff.
func TestGolden(t *testing.T) {
	t.Parallel()
	const now = "20240101T000000Z"
	signer := func(service, token string) sigv4.Signer {
		return sigv4.Signer{AccessKeyID: exampleKeyID, SecretAccessKey: exampleSecret, SessionToken: token,
			Region: "us-east-1", Service: service, Now: MustClock(t, now)}
	}
	const token = "IQoJb3JpZ2luX2VjEXAMPLE/token+with=chars"
	form := []byte("Action=ListUsers&Version=2010-05-08&PathPrefix=%2Fdivision%2F")
	tests := []struct {
		name    string
		signer  sigv4.Signer
		request func(t *testing.T) *http.Request
		body    []byte
		presign time.Duration // presign instead of Sign when > 0
	}{
		{
			name:   "iam-query-post",
			signer: signer("iam", token),
			request: func(t *testing.T) *http.Request {
				return MustNewRequest(t, "POST", "https://iam.amazonaws.com/", form,
					"Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
			},
			body: form,
		},
		{
			name:   "sts-get-query",
			signer: signer("sts", ""),
			request: func(t *testing.T) *http.Request {
				return MustNewRequest(t, "GET", "https://sts.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15", nil)
			},
		},
		{
			name:    "presigned-get-caller-identity",
			signer:  signer("sts", token),
			presign: 15 * time.Minute,
			request: func(t *testing.T) *http.Request {
				return MustNewRequest(t, "GET", "https://sts.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15", nil)
			},
		},
		{
			name:   "path-spaces-unicode",
			signer: signer("execute-api", ""),
			request: func(t *testing.T) *http.Request {
				return MustNewRequest(t, "GET", "http://localhost:8080/a%20b/%C3%BC%E2%82%AC/c%2Fd/./e//f/../g?q=%C3%BC%20%C3%BC", nil)
			},
		},
		{
			name:   "path-spaces-unicode-s3",
			signer: signer("s3", ""),
			request: func(t *testing.T) *http.Request {
				return MustNewRequest(t, "PUT", "http://localhost:8080/bucket/a%20b/%C3%BC%E2%82%AC/c%2Fd/./e//f/../g", []byte("hello"))
			},
			body: []byte("hello"),
		},
		{
			name:   "s3-presigned",
			signer: signer("s3", token),
			request: func(t *testing.T) *http.Request {
				return MustNewRequest(t, "GET", "http://localhost:8080/bucket/my%20key.txt?versionId=3", nil)
			},
			presign: time.Hour,
		},
		{
			name:   "repeated-query-keys",
			signer: signer("iam", ""),
			request: func(t *testing.T) *http.Request {
				return MustNewRequest(t, "GET", "http://localhost:8080/?b=2&a=3&a=1&a=2&c=&flag&%61=0&z=%7e+%2b%2F", nil)
			},
		},
		{
			name:   "header-whitespace",
			signer: signer("iam", ""),
			request: func(t *testing.T) *http.Request {
				return MustNewRequest(t, "GET", "http://localhost:8080/", nil,
					"X-Amz-Meta-Note", "  a   b \t\t c  ",
					"X-Amz-Meta-List", "one",
					"X-Amz-Meta-List", "  two  three ",
					"Content-Type", "text/plain;   charset=utf-8")
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := tc.request(t)
			if tc.presign > 0 {
				u, err := tc.signer.Presign(r, tc.presign)
				if err != nil {
					t.Fatal(err)
				}
				r = MustNewRequest(t, r.Method, u.String(), nil)
			} else if err := tc.signer.Sign(r, tc.body); err != nil {
				t.Fatal(err)
			}
			wire, server, body := MustWire(t, r, tc.body)
			cr, sts, err := sigv4.Canonicalize(server, body)
			if err != nil {
				t.Fatal(err)
			}
			v := &sigv4.Verifier{Secrets: secretMap{exampleKeyID: exampleSecret}, Now: MustClock(t, now)}
			if _, err := v.Verify(context.Background(), server, body); err != nil {
				t.Errorf("Verify: %v", err)
			}
			got := "# request on the wire\n" + strings.ReplaceAll(wire, "\r\n", "\n") +
				"\n# canonical request\n" + cr + "\n\n# string to sign\n" + sts + "\n"
			path := filepath.Join("testdata", "golden", tc.name+".golden")
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("%s differs from the golden file (run with -update and read the diff):\n%s", path, got)
			}
		})
	}
}
