package api

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/query"
	"github.com/gatehouse-dev/gatehouse/sigv4"
)

// FuzzQueryForm signs a Query request made of an arbitrary URL query and
// form body (header-signed, or presigned and sent with that body), has
// sigv4 verify it as the server does, and takes its parameters with
// queryForm. It checks that nothing panics; that queryForm fails only
// with MalformedQueryString or InvalidQueryParameter; that a name in both
// the URL and the body is always refused; and that the parameters of an
// accepted request are exactly those of its signed URL and signed body,
// neither source overriding the other. It also sends the signed request
// with another body: one signature never accepts two bodies, so no
// parameter comes from a body the signature does not cover (a presigned
// URL signs the empty body, so it is accepted only without one).
func FuzzQueryForm(f *testing.F) {
	f.Add("Action=GetCallerIdentity&Version=2011-06-15", "", "", false, "Action=AssumeRole&RoleArn=x&RoleSessionName=y")
	f.Add("Action=ListUsers&Version=2010-05-08", "PathPrefix=%2F", "application/x-www-form-urlencoded", false, "Action=CreateAccessKey")
	f.Add("Action=GetUser", "Action=CreateAccessKey&Version=2010-05-08", "application/x-www-form-urlencoded; charset=utf-8", false, "")
	f.Add("UserName=a&UserName=b", "UserName=c", "", true, "UserName=d")
	f.Add("X-Amz-Action=x&a=%zz", "a=1;b=2", "text/plain", false, "a=1")
	f.Add("", "Action=ListUsers&Version=2010-05-08&Tags.member.1.Key=k", "", true, "")
	f.Add("a=&a=1&b", "b=&c=%2B+", "application/x-www-form-urlencoded", false, "c=+")
	const keyID, secret = "AKIAFUZZQUERYFORM001", "fuzz/query/form/secret"
	now := func() time.Time { return time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC) }
	v := &sigv4.Verifier{Secrets: staticSecret{keyID, secret}, Now: now}
	signer := sigv4.Signer{AccessKeyID: keyID, SecretAccessKey: secret, Region: "us-east-1", Service: "sts", Now: now}
	f.Fuzz(func(t *testing.T, rawQuery, body, contentType string, presign bool, other string) {
		if strings.ContainsAny(contentType, "\r\n\x00") {
			contentType = ""
		}
		r := &http.Request{Method: "POST", URL: &url.URL{Scheme: "http", Host: "gatehouse", Path: "/", RawQuery: rawQuery},
			Host: "gatehouse", Header: http.Header{}}
		if contentType != "" {
			r.Header.Set("Content-Type", contentType)
		}
		if presign {
			u, err := signer.Presign(r, time.Minute)
			if err != nil {
				t.Fatal(err)
			}
			r.URL = u
		} else if err := signer.Sign(r, []byte(body)); err != nil {
			t.Fatal(err)
		}

		bodyAccepted := false
		if _, err := v.Verify(context.Background(), r, []byte(body)); err == nil {
			bodyAccepted = true
			checkQueryForm(t, r, body)
		} else if !errors.As(err, new(*sigv4.Error)) {
			t.Fatalf("Verify: %v, want an *sigv4.Error", err)
		}
		if presign && len(body) > 0 && bodyAccepted {
			t.Fatalf("a presigned URL was accepted with body %q its signature does not cover", body)
		}
		if _, err := v.Verify(context.Background(), r, []byte(other)); err == nil {
			if bodyAccepted && other != body {
				t.Fatalf("one signature accepted with body %q and with body %q", body, other)
			}
			checkQueryForm(t, r, other)
		}
	})
}

// checkQueryForm checks queryForm's answer for a verified request.
func checkQueryForm(t *testing.T, r *http.Request, body string) {
	t.Helper()
	form, err := query.Form(r, []byte(body))

	// What the request carries, taken apart independently.
	fromURL, urlErr := url.ParseQuery(r.URL.RawQuery)
	for k := range fromURL {
		if strings.HasPrefix(k, "X-Amz-") {
			delete(fromURL, k)
		}
	}
	fromBody := url.Values{}
	var bodyErr error
	if ct := r.Header.Get("Content-Type"); body != "" && (ct == "" || strings.HasPrefix(ct, "application/x-www-form-urlencoded")) {
		fromBody, bodyErr = url.ParseQuery(body)
	}
	// shared is a name in both; the empty name is one too ("=" in each).
	shared, isShared := "", false
	for k := range fromURL {
		if _, ok := fromBody[k]; ok {
			shared, isShared = k, true
		}
	}

	if err != nil {
		var ge *gatehouse.Error
		if !errors.As(err, &ge) {
			t.Fatalf("queryForm: %v (%T), want a *gatehouse.Error", err, err)
		}
		switch code := gatehouse.ErrorCode(err); {
		case code == "MalformedQueryString" && (urlErr != nil || bodyErr != nil):
		case code == "InvalidQueryParameter" && isShared:
		default:
			t.Fatalf("query.Form(%q, %q) = %v; URL error %v, body error %v, shared %q", r.URL.RawQuery, body, err, urlErr, bodyErr, shared)
		}
		return
	}
	if urlErr != nil || bodyErr != nil {
		t.Fatalf("query.Form(%q, %q) accepted what does not parse: %v, %v", r.URL.RawQuery, body, urlErr, bodyErr)
	}
	if isShared {
		t.Fatalf("query.Form(%q, %q) accepted %q from both the URL and the body: %v", r.URL.RawQuery, body, shared, form[shared])
	}
	want := url.Values{}
	for k, vs := range fromBody {
		want[k] = vs
	}
	for k, vs := range fromURL {
		want[k] = vs
	}
	if !reflect.DeepEqual(form, want) {
		t.Fatalf("query.Form(%q, %q) = %v, want exactly the URL's %v and the body's %v", r.URL.RawQuery, body, form, fromURL, fromBody)
	}
}

// staticSecret is a sigv4.SecretLookup of one key.
type staticSecret struct{ id, secret string }

func (s staticSecret) SecretKey(_ context.Context, id string) (string, error) {
	if id != s.id {
		return "", sigv4.ErrUnknownKey
	}
	return s.secret, nil
}
