package sigv4_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
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

// payloadModes are the ways FuzzPayloadHash signs a body.
var payloadModes = []string{
	"header, body hash",             // what every SDK sends outside S3
	"header, UNSIGNED-PAYLOAD",      // S3's streaming uploads
	"header, declared digest",       // x-amz-content-sha256: <hash of the body>
	"header, declared other digest", // x-amz-content-sha256: <hash of something else>
	"presigned, no declaration",     // the body hash outside S3 (botocore's URLs), UNSIGNED-PAYLOAD at S3
	"presigned, UNSIGNED-PAYLOAD",   // X-Amz-Content-Sha256=UNSIGNED-PAYLOAD
	"presigned, declared digest",    // X-Amz-Content-Sha256=<hash of the body>
}

// FuzzPayloadHash signs a body in every payload mode, for S3 and for
// services that are not S3, then verifies the request with that body and
// with another. Verify never panics and reports client faults as *Error;
// outside S3 an accepted request's body is the one its signature covers
// (two different bodies are never both accepted), and UNSIGNED-PAYLOAD is
// never accepted with a body.
func FuzzPayloadHash(f *testing.F) {
	f.Add(uint8(0), uint8(0), "POST", []byte("Action=GetCallerIdentity&Version=2011-06-15"), []byte("Action=AssumeRole"))
	f.Add(uint8(1), uint8(1), "POST", []byte("Action=ListUsers"), []byte("Action=CreateAccessKey"))
	f.Add(uint8(1), uint8(5), "GET", []byte(nil), []byte("Action=AssumeRole&RoleArn=x"))
	f.Add(uint8(2), uint8(1), "PUT", []byte("object"), []byte("other object"))
	f.Add(uint8(2), uint8(4), "GET", []byte(nil), []byte("x"))
	f.Add(uint8(3), uint8(3), "POST", []byte("{}"), []byte("{}"))
	f.Add(uint8(0), uint8(6), "POST", []byte("a=b"), []byte(""))
	f.Fuzz(func(t *testing.T, svc, mode uint8, method string, body, other []byte) {
		services := []string{"iam", "sts", "s3", "invoicing", "account"}
		service := services[int(svc)%len(services)]
		m := int(mode) % len(payloadModes)
		if !validMethod(method) {
			method = "POST"
		}
		const date, amzDate = "20240101", "20240101T000000Z"
		now := MustClock(t, amzDate)
		v := &sigv4.Verifier{Secrets: secretMap{exampleKeyID: exampleSecret}, Now: now}
		sum := sha256.Sum256(body)
		digest := hex.EncodeToString(sum[:])
		otherSum := sha256.Sum256(append([]byte("other:"), body...))

		r := &http.Request{Method: method, URL: &url.URL{Scheme: "http", Host: "example.com", Path: "/"}, Host: "example.com", Header: http.Header{}}
		switch payloadModes[m] {
		case "header, body hash":
			signer := sigv4.Signer{AccessKeyID: exampleKeyID, SecretAccessKey: exampleSecret, Region: "us-east-1", Service: service, Now: now}
			if err := signer.Sign(r, body); err != nil {
				t.Fatal(err)
			}
		case "header, UNSIGNED-PAYLOAD", "header, declared digest", "header, declared other digest":
			declared := map[string]string{
				"header, UNSIGNED-PAYLOAD":      "UNSIGNED-PAYLOAD",
				"header, declared digest":       digest,
				"header, declared other digest": hex.EncodeToString(otherSum[:]),
			}[payloadModes[m]]
			r.Header.Set("X-Amz-Date", amzDate)
			r.Header.Set("X-Amz-Content-Sha256", declared)
			r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+exampleKeyID+"/"+date+"/us-east-1/"+service+
				"/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=x")
			_, sts, err := sigv4.Canonicalize(r, body)
			if err != nil {
				t.Fatal(err)
			}
			r.Header.Set("Authorization", strings.TrimSuffix(r.Header.Get("Authorization"), "x")+signString(exampleSecret, date, "us-east-1", service, sts))
		default: // presigned
			q := "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" + exampleKeyID + "%2F" + date + "%2Fus-east-1%2F" + service +
				"%2Faws4_request&X-Amz-Date=" + amzDate + "&X-Amz-Expires=60&X-Amz-SignedHeaders=host"
			switch payloadModes[m] {
			case "presigned, UNSIGNED-PAYLOAD":
				q += "&X-Amz-Content-Sha256=UNSIGNED-PAYLOAD"
			case "presigned, declared digest":
				q += "&X-Amz-Content-Sha256=" + digest
			}
			r.URL.RawQuery = q + "&X-Amz-Signature=00"
			_, sts, err := sigv4.Canonicalize(r, body)
			if err != nil {
				t.Fatal(err)
			}
			r.URL.RawQuery = q + "&X-Amz-Signature=" + signString(exampleSecret, date, "us-east-1", service, sts)
		}

		accepted := map[bool]bool{}
		for i, b := range [][]byte{body, other} {
			res, err := v.Verify(context.Background(), r, b)
			if err != nil {
				if !errors.As(err, new(*sigv4.Error)) {
					t.Fatalf("%s, %s: Verify = %v, want an *Error", service, payloadModes[m], err)
				}
				continue
			}
			accepted[i == 1] = true
			if service != "s3" && res.UnsignedPayload && (len(b) > 0 || !res.Presigned) {
				t.Fatalf("%s, %s: UNSIGNED-PAYLOAD accepted with body %q (presigned %t)", service, payloadModes[m], b, res.Presigned)
			}
		}
		if service != "s3" && accepted[false] && accepted[true] && !bytes.Equal(body, other) {
			t.Fatalf("%s, %s: two bodies accepted under one signature: %q and %q", service, payloadModes[m], body, other)
		}
		// The honest request: what each mode must do with the body it signed.
		want := map[string]bool{
			"header, body hash":             true,
			"header, UNSIGNED-PAYLOAD":      service == "s3",
			"header, declared digest":       true,
			"header, declared other digest": false,
			"presigned, no declaration":     true,
			"presigned, UNSIGNED-PAYLOAD":   service == "s3" || len(body) == 0,
			"presigned, declared digest":    true,
		}[payloadModes[m]]
		if accepted[false] != want {
			_, err := v.Verify(context.Background(), r, body)
			t.Fatalf("%s, %s, %s with body %q: accepted = %t, want %t (%v)", service, method, payloadModes[m], body, accepted[false], want, err)
		}
	})
}
