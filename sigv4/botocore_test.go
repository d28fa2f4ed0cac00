package sigv4_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"os/exec"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse/sigv4"
)

// botocoreCase is one request for testdata/botocore_sign.py to sign.
type botocoreCase struct {
	Name      string      `json:"name"`
	Auth      string      `json:"auth"` // header, s3-header, query, s3-query
	Method    string      `json:"method"`
	URL       string      `json:"url"`
	Headers   [][2]string `json:"headers,omitempty"`
	Body      string      `json:"body,omitempty"` // base64
	Service   string      `json:"service"`
	Region    string      `json:"region"`
	AccessKey string      `json:"access_key"`
	SecretKey string      `json:"secret_key"`
	Token     string      `json:"token,omitempty"`
	Expires   int         `json:"expires,omitempty"`
	Now       string      `json:"now,omitempty"` // YYYYMMDDTHHMMSSZ; empty for the current time
}

type botocoreSigned struct {
	Name    string      `json:"name"`
	Method  string      `json:"method"`
	URL     string      `json:"url"`
	Headers [][2]string `json:"headers"`
	Body    string      `json:"body"`
}

// TestBotocore signs requests with botocore (the library behind the aws
// CLI and boto3) and verifies them. It needs python3 with botocore, which
// the development machines and CI have; it is skipped only without them.
func TestBotocore(t *testing.T) {
	t.Parallel()
	needBotocore(t)
	const (
		keyID  = "AKIAIOSFODNN7EXAMPLE"
		secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
		token  = "FwoGZXIvYXdzEBYaDH//session+token/with=odd+chars"
		form   = "Action=ListUsers&Version=2010-05-08&PathPrefix=%2Fdivision%2F"
		base   = "http://localhost:8080"
	)
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	formType := [][2]string{{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}}
	cases := []struct {
		botocoreCase
		wantPresigned, wantUnsigned bool
	}{
		{botocoreCase: botocoreCase{Name: "iam-post-form", Auth: "header", Method: "POST", URL: base + "/", Headers: formType, Body: b64(form), Service: "iam", Region: "us-west-2"}},
		{botocoreCase: botocoreCase{Name: "iam-post-form-session", Auth: "header", Method: "POST", URL: base + "/", Headers: formType, Body: b64(form), Service: "iam", Region: "us-east-1", Token: token}},
		{botocoreCase: botocoreCase{Name: "sts-get-query", Auth: "header", Method: "GET", URL: base + "/?Action=GetCallerIdentity&Version=2011-06-15", Service: "sts", Region: "eu-central-1"}},
		{botocoreCase: botocoreCase{Name: "repeated-query-keys", Auth: "header", Method: "GET", URL: base + "/?b=2&a=3&a=1&a=2&c=&flag&z=%20%2B~", Service: "iam", Region: "us-east-1"}},
		{botocoreCase: botocoreCase{Name: "path-spaces-unicode", Auth: "header", Method: "GET", URL: base + "/a%20b/%C3%BC%E2%82%AC/c%2Fd/./e//f/../g?q=%C3%BC%20%C3%BC", Service: "execute-api", Region: "us-east-1"}},
		{botocoreCase: botocoreCase{Name: "header-whitespace", Auth: "header", Method: "GET", URL: base + "/", Headers: [][2]string{{"X-Amz-Meta-Note", "  a   b \t c  "}, {"X-Custom", "x    y"}}, Service: "iam", Region: "us-east-1", Token: token}},
		{botocoreCase: botocoreCase{Name: "s3-put", Auth: "s3-header", Method: "PUT", URL: base + "/bucket/my%20key/%E2%82%AC.txt", Body: b64("hello, world"), Service: "s3", Region: "us-east-1", Token: token}},
		{botocoreCase: botocoreCase{Name: "sts-presigned-get-caller-identity", Auth: "query", Method: "GET", URL: base + "/?Action=GetCallerIdentity&Version=2011-06-15", Service: "sts", Region: "us-east-1", Token: token, Expires: 60}, wantPresigned: true},
		{botocoreCase: botocoreCase{Name: "iam-presigned", Auth: "query", Method: "GET", URL: base + "/?Action=ListUsers&Version=2010-05-08", Service: "iam", Region: "us-west-2"}, wantPresigned: true},
		{botocoreCase: botocoreCase{Name: "s3-presigned", Auth: "s3-query", Method: "GET", URL: base + "/bucket/my%20key", Service: "s3", Region: "us-east-1", Token: token, Expires: 3600}, wantPresigned: true, wantUnsigned: true},
	}
	in := make([]botocoreCase, len(cases))
	for i, c := range cases {
		in[i] = c.botocoreCase
		in[i].AccessKey, in[i].SecretKey = keyID, secret
	}
	signed := runBotocore(t, in)

	v := &sigv4.Verifier{Secrets: secretMap{keyID: secret}}
	wrong := &sigv4.Verifier{Secrets: secretMap{keyID: secret + "x"}}
	for i, c := range cases {
		s := signed[i]
		t.Run(c.Name, func(t *testing.T) {
			raw := rawFromBotocore(t, s)
			r, body := MustReadRequest(t, raw)
			res, err := v.Verify(context.Background(), r, body)
			if err != nil {
				cr, sts, _ := sigv4.Canonicalize(r, body)
				t.Fatalf("Verify: %v\nrequest:\n%s\ncanonical request:\n%s\nstring to sign:\n%s", err, raw, cr, sts)
			}
			if res.AccessKeyID != keyID || res.Region != c.Region || res.Service != c.Service ||
				res.SessionToken != c.Token || res.Presigned != c.wantPresigned || res.UnsignedPayload != c.wantUnsigned {
				t.Errorf("result = %+v", *res)
			}

			r, body = MustReadRequest(t, raw)
			_, err = wrong.Verify(context.Background(), r, body)
			wantError(t, err, sigv4.CodeSignatureDoesNotMatch, 403, "")
		})
	}
}

// TestSignerAgreesWithBotocore signs the same requests at the same time
// with Signer and with botocore and expects the same Authorization header
// or presigned URL, byte for byte.
func TestSignerAgreesWithBotocore(t *testing.T) {
	t.Parallel()
	needBotocore(t)
	const now = "20240229T235959Z"
	form := base64.StdEncoding.EncodeToString([]byte("Action=CreateUser&UserName=b%C3%B6b&Version=2010-05-08"))
	cases := []botocoreCase{
		{Name: "iam-post-form-session", Auth: "header", Method: "POST", URL: "http://localhost:8080/", Body: form,
			Headers: [][2]string{{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}}, Service: "iam", Region: "us-west-2", Token: "tok/en+=="},
		{Name: "sts-get-query", Auth: "header", Method: "GET", URL: "https://sts.amazonaws.com/?Version=2011-06-15&Action=GetCallerIdentity", Service: "sts", Region: "us-east-1"},
		{Name: "path-spaces-unicode", Auth: "header", Method: "GET", URL: "http://localhost:8080/a%20b/%C3%BC%E2%82%AC/c%2Fd/./e//f/../g?q=%C3%BC%20%C3%BC&a=", Service: "execute-api", Region: "eu-west-1"},
		{Name: "s3-put", Auth: "s3-header", Method: "PUT", URL: "http://localhost:8080/bucket/my%20key/%E2%82%AC.txt", Body: base64.StdEncoding.EncodeToString([]byte("hello")), Service: "s3", Region: "us-east-1", Token: "tok"},
		{Name: "sts-presigned", Auth: "query", Method: "GET", URL: "https://sts.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15", Service: "sts", Region: "us-east-1", Token: "tok/en+==", Expires: 60},
		{Name: "s3-presigned", Auth: "s3-query", Method: "GET", URL: "http://localhost:8080/bucket/my%20key", Service: "s3", Region: "us-east-1", Token: "tok", Expires: 3600},
	}
	for i := range cases {
		cases[i].AccessKey, cases[i].SecretKey, cases[i].Now = "AKIDEXAMPLE", exampleSecret, now
	}
	signed := runBotocore(t, cases)
	for i, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			body, _ := base64.StdEncoding.DecodeString(c.Body)
			var header []string
			for _, h := range c.Headers {
				header = append(header, h[0], h[1])
			}
			r := MustNewRequest(t, c.Method, c.URL, body, header...)
			signer := sigv4.Signer{AccessKeyID: c.AccessKey, SecretAccessKey: c.SecretKey, SessionToken: c.Token,
				Region: c.Region, Service: c.Service, Now: MustClock(t, now)}
			if c.Expires > 0 {
				u, err := signer.Presign(r, time.Duration(c.Expires)*time.Second)
				if err != nil {
					t.Fatal(err)
				}
				// botocore does not sort X-Amz-Security-Token; the order of
				// parameters does not matter, their values do.
				want, err := url.Parse(signed[i].URL)
				if err != nil {
					t.Fatal(err)
				}
				if u.Scheme+u.Host+u.EscapedPath() != want.Scheme+want.Host+want.EscapedPath() || !reflect.DeepEqual(u.Query(), want.Query()) {
					t.Errorf("presigned URL\n%s\nbotocore\n%s", u, want)
				}
				return
			}
			if err := signer.Sign(r, body); err != nil {
				t.Fatal(err)
			}
			want := ""
			for _, h := range signed[i].Headers {
				if h[0] == "Authorization" {
					want = h[1]
				}
			}
			if got := r.Header.Get("Authorization"); got != want {
				t.Errorf("Authorization\n%s\nbotocore\n%s", got, want)
			}
		})
	}
}

func needBotocore(t *testing.T) {
	t.Helper()
	if err := exec.Command("python3", "-c", "import botocore").Run(); err != nil {
		t.Skipf("python3 with botocore not available: %v", err)
	}
}

// runBotocore signs cases with testdata/botocore_sign.py.
func runBotocore(t *testing.T, cases []botocoreCase) []botocoreSigned {
	t.Helper()
	input, err := json.Marshal(cases)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("python3", "testdata/botocore_sign.py")
	cmd.Stdin = bytes.NewReader(input)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	output, err := cmd.Output()
	if err != nil {
		t.Fatalf("botocore_sign.py: %v\n%s", err, stderr.String())
	}
	var signed []botocoreSigned
	if err := json.Unmarshal(output, &signed); err != nil || len(signed) != len(cases) {
		t.Fatalf("botocore_sign.py output: %v (%d requests)\n%s", err, len(signed), output)
	}
	return signed
}

// rawFromBotocore writes a botocore-prepared request as urllib3 sends it:
// the URL's path and query untouched, Host from the URL.
func rawFromBotocore(t *testing.T, s botocoreSigned) string {
	t.Helper()
	rest, ok := strings.CutPrefix(s.URL, "http://")
	if !ok {
		t.Fatalf("unexpected URL %q", s.URL)
	}
	host, target, _ := strings.Cut(rest, "/")
	body, err := base64.StdEncoding.DecodeString(s.Body)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString(s.Method + " /" + target + " HTTP/1.1\r\nHost: " + host + "\r\n")
	for _, h := range s.Headers {
		b.WriteString(h[0] + ": " + h[1] + "\r\n")
	}
	b.WriteString("\r\n")
	b.Write(body)
	return b.String()
}
