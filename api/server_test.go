package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse/api"
	"github.com/gatehouse-dev/gatehouse/sigv4"
)

// queryErr is a Query-protocol ErrorResponse.
type queryErr struct {
	XMLName   xml.Name `xml:"ErrorResponse"`
	Namespace string   `xml:"xmlns,attr"`
	Type      string   `xml:"Error>Type"`
	Code      string   `xml:"Error>Code"`
	Message   string   `xml:"Error>Message"`
	RequestID string   `xml:"RequestId"`
}

// wantError checks that r is an ErrorResponse with the given status,
// code and (when not empty) message.
func wantError(t *testing.T, r response, status int, code, message string) queryErr {
	t.Helper()
	var e queryErr
	if err := xml.Unmarshal(r.body, &e); err != nil {
		t.Fatalf("HTTP %d, body is not an ErrorResponse: %v\n%s", r.status, err, r.body)
	}
	if r.status != status || e.Code != code || (message != "" && e.Message != message) {
		t.Errorf("HTTP %d %s: %s\nwant HTTP %d %s: %s", r.status, e.Code, e.Message, status, code, message)
	}
	wantType := "Sender"
	if status >= 500 {
		wantType = "Receiver"
	}
	if e.Type != wantType {
		t.Errorf("Type = %q, want %q", e.Type, wantType)
	}
	if id := r.header.Get("X-Amzn-Requestid"); !requestIDPattern.MatchString(id) || e.RequestID != id {
		t.Errorf("request ID: header %q, body %q", id, e.RequestID)
	}
	if ct := r.header.Get("Content-Type"); ct != "text/xml" {
		t.Errorf("Content-Type = %q", ct)
	}
	return e
}

// get sends a request with no authentication.
func (h *harness) raw(t testing.TB, method, path, contentType string, body []byte) response {
	t.Helper()
	r, err := http.NewRequest(method, h.url+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	return h.do(t, r)
}

func (h *harness) signer(service string) sigv4.Signer {
	return sigv4.Signer{AccessKeyID: rootKeyID, SecretAccessKey: rootSecret, Region: "us-west-2", Service: service, Now: h.clock}
}

func TestHealth(t *testing.T) {
	h := newHarness(t, func(s *api.Server) { s.Version = "v1.2.3 (abc123)" })
	r := h.raw(t, "GET", "/_gatehouse/health", "", nil)
	want := `{"status":"ok","version":"v1.2.3 (abc123)","services":["account","gatehouse","iam","invoicing","sts","tax"],"store":"ok"}` + "\n"
	if r.status != 200 || string(r.body) != want || r.header.Get("Content-Type") != "application/json" {
		t.Errorf("health: HTTP %d %q %q", r.status, r.header.Get("Content-Type"), r.body)
	}
	// A store that does not answer makes the server unhealthy.
	h.srv.Store.Close()
	r = h.raw(t, "GET", "/_gatehouse/health", "", nil)
	if r.status != 503 || !strings.Contains(string(r.body), `"status":"unavailable"`) || !strings.Contains(string(r.body), `"store":"unavailable"`) {
		t.Errorf("health with the store closed: HTTP %d %s", r.status, r.body)
	}
}

func TestReset(t *testing.T) {
	t.Run("404 without Reset", func(t *testing.T) {
		h := newHarness(t, nil)
		if r := h.reset(t, "1"); r.status != http.StatusNotFound {
			t.Errorf("reset: HTTP %d %s", r.status, r.body)
		}
		// The state is untouched.
		if r := h.send(t, "iam", rootKey, iamForm("ListUsers")); r.status != 200 {
			t.Errorf("after reset: HTTP %d %s", r.status, r.body)
		}
	})
	t.Run("calls Reset", func(t *testing.T) {
		var calls atomic.Int32
		h := newHarness(t, func(s *api.Server) {
			s.Reset = func(context.Context) error { calls.Add(1); return nil }
		})
		r := h.reset(t, "1")
		if r.status != 200 || string(r.body) != "{\"status\":\"reset\"}\n" || calls.Load() != 1 {
			t.Errorf("reset: HTTP %d %q, %d calls", r.status, r.body, calls.Load())
		}
	})
	t.Run("needs the reset header", func(t *testing.T) {
		var calls atomic.Int32
		h := newHarness(t, func(s *api.Server) {
			s.Reset = func(context.Context) error { calls.Add(1); return nil }
		})
		for _, tc := range []struct {
			name        string
			request     func() response
			status      int
			body, ctype string
		}{
			// What a cross-origin HTML form or fetch without preflight can send.
			{"form POST", func() response {
				return h.raw(t, "POST", "/_gatehouse/reset", "application/x-www-form-urlencoded", []byte("a=b"))
			}, 403, "{\"error\":\"reset needs the header X-Gatehouse-Reset: 1\"}\n", "application/json"},
			{"text/plain POST", func() response { return h.raw(t, "POST", "/_gatehouse/reset", "text/plain", nil) },
				403, "{\"error\":\"reset needs the header X-Gatehouse-Reset: 1\"}\n", "application/json"},
			{"another value", func() response { return h.reset(t, "yes") },
				403, "{\"error\":\"reset needs the header X-Gatehouse-Reset: 1\"}\n", "application/json"},
			{"empty value", func() response { return h.reset(t, "") },
				403, "{\"error\":\"reset needs the header X-Gatehouse-Reset: 1\"}\n", "application/json"},
			{"GET", func() response { return h.raw(t, "GET", "/_gatehouse/reset", "", nil) }, 403, "", ""}, // not the reset route: an unsigned AWS request
		} {
			t.Run(tc.name, func(t *testing.T) {
				r := tc.request()
				if r.status != tc.status || (tc.body != "" && string(r.body) != tc.body) || (tc.ctype != "" && r.header.Get("Content-Type") != tc.ctype) {
					t.Errorf("HTTP %d %q %q", r.status, r.header.Get("Content-Type"), r.body)
				}
			})
		}
		if calls.Load() != 0 {
			t.Errorf("Reset called %d times", calls.Load())
		}
	})
	t.Run("failing Reset", func(t *testing.T) {
		h := newHarness(t, func(s *api.Server) {
			s.Reset = func(context.Context) error { return context.DeadlineExceeded }
		})
		r := h.reset(t, "1")
		if r.status != 500 || strings.Contains(string(r.body), "deadline") {
			t.Errorf("reset: HTTP %d %q", r.status, r.body)
		}
	})
}

// reset POSTs to /_gatehouse/reset with the reset header set to value
// (left out when empty).
func (h *harness) reset(t *testing.T, value string) response {
	t.Helper()
	r, err := http.NewRequest("POST", h.url+"/_gatehouse/reset", nil)
	if err != nil {
		t.Fatal(err)
	}
	if value != "" {
		r.Header.Set(api.ResetHeader, value)
	}
	return h.do(t, r)
}

func TestBodyLimit(t *testing.T) {
	h := newHarness(t, nil)
	const limit = 1 << 20
	// A signed request of exactly 1 MiB is served.
	prefix := iamForm("ListUsers").Encode() + "&Pad="
	body := []byte(prefix + strings.Repeat("x", limit-len(prefix)))
	if r := h.sendBody(t, body); r.status != 200 {
		t.Errorf("1 MiB body: HTTP %d %.300s", r.status, r.body)
	}
	// One byte more is refused before anything else is looked at.
	body = append(body, 'x')
	r := h.sendBody(t, body)
	wantError(t, r, http.StatusRequestEntityTooLarge, "RequestEntityTooLarge", "Request body is larger than 1048576 bytes.")
	// Unsigned, too.
	r = h.raw(t, "POST", "/", "application/x-www-form-urlencoded", body)
	wantError(t, r, http.StatusRequestEntityTooLarge, "RequestEntityTooLarge", "")
}

// sendBody POSTs a signed form body as it is.
func (h *harness) sendBody(t *testing.T, body []byte) response {
	t.Helper()
	h.tick()
	r, err := http.NewRequest("POST", h.url+"/", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	if err := h.signer("iam").Sign(r, body); err != nil {
		t.Fatal(err)
	}
	return h.do(t, r)
}

func TestRouting(t *testing.T) {
	h := newHarness(t, nil)
	t.Run("unknown service in the credential scope", func(t *testing.T) {
		// A Query request (form Action) for a service Gatehouse does not
		// serve: the Query protocol's InvalidAction, in no service's
		// namespace (api/unserved_test.go has the other protocols).
		r := h.send(t, "sns", rootKey, iamForm("ListUsers"))
		e := wantError(t, r, 400, "InvalidAction", "The service sns is not served by this endpoint (action ListUsers).")
		if e.Namespace != "" {
			t.Errorf("namespace %q", e.Namespace)
		}
	})
	t.Run("missing Action", func(t *testing.T) {
		f := iamForm("ListUsers")
		f.Del("Action")
		wantError(t, h.send(t, "iam", rootKey, f), 400, "MissingAction", "Missing Action")
	})
	t.Run("empty Action", func(t *testing.T) {
		wantError(t, h.send(t, "iam", rootKey, iamForm("")), 400, "MissingAction", "Missing Action")
	})
	t.Run("unknown Action", func(t *testing.T) {
		wantError(t, h.send(t, "iam", rootKey, iamForm("Foo")), 400, "InvalidAction", "Could not find operation Foo for version 2010-05-08")
	})
	t.Run("IAM action sent to STS", func(t *testing.T) {
		e := wantError(t, h.send(t, "sts", rootKey, stsForm("ListUsers")), 400, "InvalidAction", "Could not find operation ListUsers for version 2011-06-15")
		if e.Namespace != "https://sts.amazonaws.com/doc/2011-06-15/" {
			t.Errorf("namespace %q", e.Namespace)
		}
	})
	t.Run("malformed form body", func(t *testing.T) {
		h.tick()
		body := []byte("Action=ListUsers&Version=2010-05-08&Bad=%zz")
		r, _ := http.NewRequest("POST", h.url+"/", bytes.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if err := h.signer("iam").Sign(r, body); err != nil {
			t.Fatal(err)
		}
		wantError(t, h.do(t, r), 404, "MalformedQueryString", "")
	})
	t.Run("body of another content type is not a form", func(t *testing.T) {
		h.tick()
		body := []byte(iamForm("ListUsers").Encode())
		r, _ := http.NewRequest("POST", h.url+"/", bytes.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		if err := h.signer("iam").Sign(r, body); err != nil {
			t.Fatal(err)
		}
		wantError(t, h.do(t, r), 400, "MissingAction", "")
	})
	t.Run("unsigned", func(t *testing.T) {
		wantError(t, h.send(t, "", key{}, iamForm("ListUsers")), 403, "MissingAuthenticationToken", "Missing Authentication Token")
	})
	t.Run("unknown key", func(t *testing.T) {
		wantError(t, h.send(t, "iam", key{id: "AKIAUNKNOWNKEY000000", secret: rootSecret}, iamForm("ListUsers")), 403,
			"InvalidClientTokenId", "The security token included in the request is invalid.")
	})
	t.Run("wrong secret", func(t *testing.T) {
		wantError(t, h.send(t, "iam", key{id: rootKeyID, secret: "wrong"}, iamForm("ListUsers")), 403, "SignatureDoesNotMatch", "")
	})
}

// TestGET serves a GET with the parameters in the query string like the
// same POST, with header and with query-string (presigned) signatures.
func TestGET(t *testing.T) {
	h := newHarness(t, nil)
	if r := h.send(t, "iam", rootKey, iamForm("CreateUser", "UserName", "carol", "Path", "/a+b=c/")); r.status != 200 {
		t.Fatalf("CreateUser: HTTP %d %s", r.status, r.body)
	}
	post := h.send(t, "iam", rootKey, iamForm("ListUsers", "PathPrefix", "/a+b=c/"))
	if post.status != 200 {
		t.Fatalf("POST: HTTP %d %s", post.status, post.body)
	}
	want := string(normalize(t, "POST", post))
	query := iamForm("ListUsers", "PathPrefix", "/a+b=c/").Encode()

	t.Run("header signature", func(t *testing.T) {
		h.tick()
		r, _ := http.NewRequest("GET", h.url+"/?"+query, nil)
		if err := h.signer("iam").Sign(r, nil); err != nil {
			t.Fatal(err)
		}
		got := h.do(t, r)
		if got.status != 200 || string(normalize(t, "GET", got)) != want {
			t.Errorf("GET: HTTP %d\n%s\nwant\n%s", got.status, got.body, want)
		}
	})
	t.Run("presigned", func(t *testing.T) {
		h.tick()
		r, _ := http.NewRequest("GET", h.url+"/?"+query, nil)
		u, err := h.signer("iam").Presign(r, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		got := h.raw(t, "GET", "/?"+u.RawQuery, "", nil)
		if got.status != 200 || string(normalize(t, "presigned GET", got)) != want {
			t.Errorf("presigned GET: HTTP %d\n%s\nwant\n%s", got.status, got.body, want)
		}
	})
	t.Run("STS", func(t *testing.T) {
		h.tick()
		r, _ := http.NewRequest("GET", h.url+"/?"+stsForm("GetCallerIdentity").Encode(), nil)
		if err := h.signer("sts").Sign(r, nil); err != nil {
			t.Fatal(err)
		}
		got := h.do(t, r)
		if got.status != 200 || !bytes.Contains(got.body, []byte("<Arn>arn:aws:iam::123456789012:root</Arn>")) {
			t.Errorf("GET GetCallerIdentity: HTTP %d %s", got.status, got.body)
		}
	})
	t.Run("query parameters add to the body", func(t *testing.T) {
		h.tick()
		body := []byte(url.Values{"PathPrefix": {"/a+b=c/"}}.Encode())
		r, _ := http.NewRequest("POST", h.url+"/?Action=ListUsers&Version=2010-05-08", bytes.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if err := h.signer("iam").Sign(r, body); err != nil {
			t.Fatal(err)
		}
		got := h.do(t, r)
		if got.status != 200 || string(normalize(t, "POST with query", got)) != want {
			t.Errorf("POST with query: HTTP %d\n%s", got.status, got.body)
		}
	})
}

// syncBuffer is a log destination safe for concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestPanic turns a panicking handler into a logged 500 ServiceFailure
// that does not show the panic, and keeps serving.
func TestPanic(t *testing.T) {
	var logs syncBuffer
	h := newHarness(t, func(s *api.Server) {
		s.Logger = slog.New(slog.NewTextHandler(&logs, nil))
		api.AddTestOperation(s, "iam", "TestPanic", func() (any, error) { panic("secret detail 42") })
	})
	for range 3 {
		r := h.send(t, "iam", rootKey, iamForm("TestPanic"))
		e := wantError(t, r, 500, "ServiceFailure", "An internal error occurred.")
		if bytes.Contains(r.body, []byte("secret detail")) {
			t.Errorf("the panic value is in the response: %s", r.body)
		}
		if !strings.Contains(logs.String(), "secret detail 42") || !strings.Contains(logs.String(), e.RequestID) {
			t.Errorf("the panic is not logged with request ID %s:\n%s", e.RequestID, logs.String())
		}
		if r := h.send(t, "iam", rootKey, iamForm("ListUsers")); r.status != 200 {
			t.Fatalf("after a panic: HTTP %d %s", r.status, r.body)
		}
	}
}

// TestRequestLogLine: every AWS request's log line carries the HTTP
// status, the AWS error code sent and the latency in milliseconds, and no
// secret.
func TestRequestLogLine(t *testing.T) {
	var buf syncBuffer
	h := newHarness(t, func(s *api.Server) {
		s.Logger = slog.New(slog.NewJSONHandler(&buf, nil))
	})
	h.send(t, "iam", rootKey, iamForm("ListUsers"))
	h.send(t, "iam", key{id: rootKeyID, secret: "wrong"}, iamForm("ListUsers"))
	var lines []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line %q: %v", l, err)
		}
		if m["msg"] == "request" {
			lines = append(lines, m)
		}
	}
	if len(lines) != 2 {
		t.Fatalf("%d request lines: %s", len(lines), buf.String())
	}
	for i, want := range []struct {
		status float64
		code   string
	}{{200, ""}, {403, "SignatureDoesNotMatch"}} {
		m := lines[i]
		if m["status"] != want.status || m["error_code"] != want.code {
			t.Errorf("line %d: status %v error_code %v, want %v %q", i, m["status"], m["error_code"], want.status, want.code)
		}
		if ms, ok := m["latency_ms"].(float64); !ok || ms < 0 {
			t.Errorf("line %d: latency_ms %v", i, m["latency_ms"])
		}
	}
	if strings.Contains(buf.String(), rootSecret) {
		t.Error("the log holds the root secret")
	}
}
