package sigv4_test

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse/sigv4"
)

// The credentials of the AWS documentation's examples and test suite.
const (
	exampleKeyID  = "AKIDEXAMPLE"
	exampleSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
)

// secretMap is a SecretLookup over a map from access key id to secret.
type secretMap map[string]string

func (m secretMap) SecretKey(_ context.Context, id string) (string, error) {
	if s, ok := m[id]; ok {
		return s, nil
	}
	return "", sigv4.ErrUnknownKey
}

var _ sigv4.SecretLookup = secretMap(nil)

// lookupFunc adapts a function to SecretLookup.
type lookupFunc func(ctx context.Context, id string) (string, error)

func (f lookupFunc) SecretKey(ctx context.Context, id string) (string, error) { return f(ctx, id) }

// MustClock returns a clock stopped at an ISO 8601 basic time.
func MustClock(tb testing.TB, amzDate string) func() time.Time {
	tb.Helper()
	t, err := time.Parse("20060102T150405Z", amzDate)
	if err != nil {
		tb.Fatal(err)
	}
	return func() time.Time { return t }
}

// MustReadRequest parses a raw HTTP/1.1 request the way the server does.
func MustReadRequest(tb testing.TB, raw string) (*http.Request, []byte) {
	tb.Helper()
	r, err := http.ReadRequest(bufio.NewReader(strings.NewReader(raw)))
	if err != nil {
		tb.Fatalf("read request: %v\n%s", err, raw)
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return r, body
}

// MustNewRequest builds a client request with a fixed User-Agent (so that
// wire dumps do not depend on the Go version).
func MustNewRequest(tb testing.TB, method, url string, body []byte, header ...string) *http.Request {
	tb.Helper()
	r, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	r.Header.Set("User-Agent", "gatehouse-test")
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Add(header[i], header[i+1])
	}
	return r
}

// MustWire writes a client request as it goes on the wire and reads it
// back as the server sees it.
func MustWire(tb testing.TB, r *http.Request, body []byte) (wire string, server *http.Request, serverBody []byte) {
	tb.Helper()
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.ContentLength = int64(len(body))
	var buf bytes.Buffer
	if err := r.Write(&buf); err != nil {
		tb.Fatal(err)
	}
	server, serverBody = MustReadRequest(tb, buf.String())
	return buf.String(), server, serverBody
}

// wantError checks that err is an *sigv4.Error with the given fields.
func wantError(tb testing.TB, err error, code sigv4.Code, status int, message string) {
	tb.Helper()
	e, ok := err.(*sigv4.Error)
	if !ok {
		tb.Fatalf("error = %#v (%v), want *sigv4.Error %s", err, err, code)
	}
	if e.Code != code || e.Status != status || (message != "" && e.Message != message) {
		tb.Errorf("error = {%s %d %q}\nwant    {%s %d %q}", e.Code, e.Status, e.Message, code, status, message)
	}
}
