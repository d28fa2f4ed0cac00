package sigv4_test

import (
	"bufio"
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse/sigv4"
)

// FuzzParseAuthorization checks that the Authorization header parser
// never panics, fails only with IncompleteSignature errors, and that what
// it accepts survives formatting and parsing again.
func FuzzParseAuthorization(f *testing.F) {
	for _, s := range []string{
		"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
		"AWS4-HMAC-SHA256 Credential=A/B/C/D/E,SignedHeaders=host,Signature=x",
		"AWS4-HMAC-SHA256 Credential=a/b/c, SignedHeaders=, Signature=",
		"AWS4-HMAC-SHA256",
		"AWS4-HMAC-SHA256 ,,, Credential = x / y ,",
		"Bearer abc.def.ghi",
		"AWS AKID:c2lnbmF0dXJl",
		"",
		"AWS4-HMAC-SHA256 Signature=a=b=c, Credential=k/d/r/s/t, SignedHeaders=host;;x",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		a, err := sigv4.ParseAuthorization(header)
		if err != nil {
			var e *sigv4.Error
			if !errors.As(err, &e) || e.Code != sigv4.CodeIncompleteSignature || e.Status != http.StatusBadRequest || a != nil {
				t.Fatalf("ParseAuthorization(%q) = %v, %#v; want nil and an IncompleteSignature *Error", header, a, err)
			}
			return
		}
		if a.Algorithm != sigv4.Algorithm {
			t.Fatalf("accepted algorithm %q", a.Algorithm)
		}
		c := a.Credential
		again := a.Algorithm + " Credential=" + c.AccessKeyID + "/" + c.Scope() +
			", SignedHeaders=" + strings.Join(a.SignedHeaders, ";") + ", Signature=" + a.Signature
		b, err := sigv4.ParseAuthorization(again)
		if err != nil {
			t.Fatalf("reparse of %q (from %q): %v", again, header, err)
		}
		if b.Credential != a.Credential || b.Signature != a.Signature || strings.Join(b.SignedHeaders, ";") != strings.Join(a.SignedHeaders, ";") {
			t.Fatalf("reparse of %q = %+v, want %+v", again, b, a)
		}
	})
}

// FuzzVerify builds requests from arbitrary parts. Verify must never
// panic and must report client faults as *Error. An arbitrary
// Authorization header never verifies; a request signed with another
// secret never verifies; the same request signed with the right secret
// does.
func FuzzVerify(f *testing.F) {
	f.Add("POST", "/", "Content-Type", "application/x-www-form-urlencoded", "", []byte("Action=ListUsers&Version=2010-05-08"))
	f.Add("GET", "/?Action=GetCallerIdentity&Version=2011-06-15", "X-Amz-Meta-A", " a  b ", "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/iam/aws4_request, SignedHeaders=host;x-amz-date, Signature=00", []byte(nil))
	f.Add("GET", "/a%20b/./c//../d?x=%zz&y=+&&z", "X-Amz-Security-Token", "tok", "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=", []byte("x"))
	f.Add("PUT", "/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20240101%2Fus-east-1%2Fsts%2Faws4_request&X-Amz-Date=20240101T000000Z&X-Amz-SignedHeaders=host&X-Amz-Signature=ab", "Date", "20240101T000000Z", "", []byte{0xff})
	f.Fuzz(func(t *testing.T, method, target, name, value, authz string, body []byte) {
		const secret = "right/secret"
		now := func() time.Time { return time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC) }
		v := &sigv4.Verifier{Secrets: secretMap{"AKID": secret}, Now: now}
		ctx := context.Background()

		// An arbitrary request, as the server would parse it.
		if validMethod(method) && validTarget(target) && validName(name) && validValue(value) && validValue(authz) {
			raw := method + " " + target + " HTTP/1.1\r\nHost: example.com\r\n" + name + ": " + value + "\r\n"
			if authz != "" {
				raw += "Authorization: " + authz + "\r\n"
			}
			if r, err := http.ReadRequest(bufio.NewReader(strings.NewReader(raw + "\r\n"))); err == nil {
				res, err := v.Verify(ctx, r, body)
				if err == nil {
					t.Fatalf("an unsigned request verified: %q -> %v", raw, res)
				}
				if !errors.As(err, new(*sigv4.Error)) {
					t.Fatalf("Verify(%q) = %v, want an *Error", raw, err)
				}
				_, _, _ = sigv4.Canonicalize(r, body)
			}
		}

		// The same parts, signed.
		if !validMethod(method) || !validName(name) || strings.Contains(strings.ToLower(target), "amz") ||
			strings.EqualFold(name, "X-Amz-Content-Sha256") || strings.EqualFold(name, "Authorization") {
			return
		}
		r, err := http.NewRequest(method, "http://example.com/"+strings.TrimPrefix(target, "/"), nil)
		if err != nil {
			return
		}
		r.Header.Set(name, value)
		for _, tc := range []struct {
			secret string
			ok     bool
		}{{secret + "x", false}, {secret, true}} {
			signer := sigv4.Signer{AccessKeyID: "AKID", SecretAccessKey: tc.secret, Region: "us-east-1", Service: "iam", Now: now}
			if err := signer.Sign(r, body); err != nil {
				t.Fatal(err)
			}
			_, err := v.Verify(ctx, r, body)
			if (err == nil) != tc.ok {
				cr, sts, _ := sigv4.Canonicalize(r, body)
				t.Fatalf("signed with the %s secret: Verify = %v\ncanonical request:\n%q\nstring to sign:\n%q",
					map[bool]string{true: "right", false: "wrong"}[tc.ok], err, cr, sts)
			}
		}
	})
}

func validMethod(s string) bool {
	return s != "" && strings.Trim(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == ""
}

func validTarget(s string) bool {
	return strings.HasPrefix(s, "/") && !strings.ContainsAny(s, " \r\n\t\x00#")
}

func validName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0) {
			return false
		}
	}
	return true
}

func validValue(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}
