package main

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api"
	"github.com/gatehouse-dev/gatehouse/authz"
	"github.com/gatehouse-dev/gatehouse/iam"
	"github.com/gatehouse-dev/gatehouse/sts"
)

// TestHTTPTimeouts checks that the http.Server of gatehouse serve cuts
// off clients that send slowly or not at all, with timeouts shortened so
// that the test does not wait for the real ones.
func TestHTTPTimeouts(t *testing.T) {
	t.Parallel()
	for name, d := range map[string]time.Duration{
		"readHeader": defaultHTTPTimeouts.readHeader, "read": defaultHTTPTimeouts.read,
		"write": defaultHTTPTimeouts.write, "idle": defaultHTTPTimeouts.idle,
	} {
		if d <= 0 {
			t.Errorf("default %s timeout is %v: a slow client could hold a connection for ever", name, d)
		}
	}

	ctx := context.Background()
	sc := storeConfig{ephemeral: true}
	st, err := sc.open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	srv := &api.Server{Store: st, IAM: &iam.Service{Store: gatehouse.Narrow[iam.Tx](st)}, STS: &sts.Service{Store: gatehouse.Narrow[sts.Tx](st)}, Authz: &authz.Authorizer{Store: gatehouse.Narrow[authz.Tx](st)}}
	t.Cleanup(func() { srv.Close() }) // before the store closes: the audit writer flushes into it
	hs := newHTTPServer(srv.Handler(), httpTimeouts{
		readHeader: 300 * time.Millisecond, read: 500 * time.Millisecond, write: 5 * time.Second, idle: 300 * time.Millisecond,
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go hs.Serve(ln)
	t.Cleanup(func() { hs.Close() })

	// limit is how long a test waits for the server to give up on a
	// client: several times the timeouts above, far less than the time
	// the slow clients would take to finish.
	const limit = 4 * time.Second
	dial := func(t *testing.T) net.Conn {
		t.Helper()
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		c.SetReadDeadline(time.Now().Add(limit))
		return c
	}
	// trickle writes s one byte every 50 ms until it is written, the
	// connection breaks or the test ends; sending all of it would take
	// far longer than limit.
	trickle := func(t *testing.T, c net.Conn, s string) {
		done := make(chan struct{})
		t.Cleanup(func() { close(done) })
		go func() {
			for i := 0; i < len(s); i++ {
				select {
				case <-done:
					return
				case <-time.After(50 * time.Millisecond):
				}
				if _, err := c.Write([]byte{s[i]}); err != nil {
					return
				}
			}
		}()
	}
	// wantClosed checks that the server closes c, or has closed it,
	// before limit.
	wantClosed := func(t *testing.T, c net.Conn, r io.Reader) {
		t.Helper()
		n, err := io.Copy(io.Discard, r)
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			t.Fatalf("the server kept the connection open for %v (%d bytes read)", limit, n)
		}
	}

	t.Run("slow body", func(t *testing.T) {
		t.Parallel()
		c := dial(t)
		start := time.Now()
		io.WriteString(c, "POST / HTTP/1.1\r\nHost: gatehouse\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n")
		trickle(t, c, strings.Repeat("a", 1000))
		br := bufio.NewReader(c)
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatalf("after %v: %v; want a RequestTimeout answer", time.Since(start), err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 400 || !strings.Contains(string(body), "<Code>RequestTimeout</Code>") {
			t.Errorf("HTTP %d %s", resp.StatusCode, body)
		}
		wantClosed(t, c, br)
	})
	t.Run("slow headers", func(t *testing.T) {
		t.Parallel()
		c := dial(t)
		io.WriteString(c, "POST / HTTP/1.1\r\nHost: gatehouse\r\n")
		trickle(t, c, strings.Repeat("X-Slow: header\r\n", 100))
		wantClosed(t, c, c)
	})
	t.Run("idle connection", func(t *testing.T) {
		t.Parallel()
		c := dial(t)
		io.WriteString(c, "GET /_gatehouse/health HTTP/1.1\r\nHost: gatehouse\r\n\r\n")
		br := bufio.NewReader(c)
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || resp.Close {
			t.Fatalf("health: HTTP %d, close %t; want 200 on a kept-alive connection", resp.StatusCode, resp.Close)
		}
		wantClosed(t, c, br)
	})
}
