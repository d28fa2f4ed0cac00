package e2e

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
)

// The account every test server bootstraps from the GATEHOUSE_* environment.
const (
	accountID    = "111122223333"
	rootEmail    = "root@e2e.gatehouse.test"
	rootPassword = "e2e-Root-Passw0rd-fixed-7Qx"
	rootKeyID    = "AKIAE2EROOTKEY000001"
	rootSecret   = "e2eRootSecretFixed/9Vq+ZxWn3Lk8Pm2Rt5Yb0c"
)

// rootCreds are the root user's fixed access key.
var rootCreds = creds{ID: rootKeyID, Secret: rootSecret}

// gatehouseBin is the binary every test runs: the one TestMain builds, or
// the one $GATEHOUSE_BIN names.
var gatehouseBin string

// envBin names a gatehouse binary to test instead of building one (make
// image-test points it at the binary taken out of the container image).
const envBin = "GATEHOUSE_BIN"

func TestMain(m *testing.M) {
	os.Exit(runMain(m))
}

func runMain(m *testing.M) int {
	if bin := os.Getenv(envBin); bin != "" {
		abs, err := filepath.Abs(bin)
		if err == nil {
			_, err = os.Stat(abs)
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "e2e: %s: %v\n", envBin, err)
			return 1
		}
		gatehouseBin = abs
		fmt.Fprintf(os.Stderr, "e2e: testing %s\n", abs)
		return m.Run()
	}
	dir, err := os.MkdirTemp("", "gatehouse-e2e-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	gatehouseBin = filepath.Join(dir, "gatehouse")
	goTool, err := exec.LookPath("go")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e: the go tool is needed to build ./cmd/gatehouse:", err)
		return 1
	}
	build := exec.Command(goTool, "build", "-o", gatehouseBin, "github.com/gatehouse-dev/gatehouse/cmd/gatehouse")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: go build ./cmd/gatehouse:", err)
		return 1
	}
	return m.Run()
}

// serverOptions says how startServer starts gatehouse.
type serverOptions struct {
	// DataDir reuses a data directory (a restart); "" makes a new one.
	DataDir string
	// Addr reuses a listen address; "" picks a free loopback port.
	Addr string
	// Ephemeral passes --ephemeral instead of --data.
	Ephemeral bool
	// EnableReset passes --enable-reset.
	EnableReset bool
	// LogLevel passes --log-level when set.
	LogLevel string
	// Env overrides the fixed GATEHOUSE_* environment; an empty value
	// leaves the variable unset.
	Env map[string]string
	// TLS serves HTTPS with a certificate made for the test (server.CA
	// is its file, for AWS_CA_BUNDLE; server.TLSConfig trusts it).
	TLS bool
	// Args are more flags for gatehouse serve.
	Args []string
}

// server is one running gatehouse process.
type server struct {
	URL     string // http://127.0.0.1:PORT (https with serverOptions.TLS)
	Addr    string
	DataDir string
	// CA is the PEM file of the test certificate of a TLS server, and
	// TLSConfig a client configuration that trusts it.
	CA        string
	TLSConfig *tls.Config

	cmd    *exec.Cmd
	stdout *syncBuffer
	stderr *syncBuffer
	done   chan struct{} // closed when the process has exited
	err    error         // Wait's result, set before done closes

	// httpOnce and httpClient give each server process its own HTTP
	// client (see sdkHTTP): no connection is ever shared with an earlier
	// server that listened on the same port.
	httpOnce   sync.Once
	httpClient *readRetryClient
}

// sdkHTTP returns the HTTP client the SDK clients of this server use.
//
// Under the race detector with every package's tests running at once, the
// Go transport has twice closed the client's end of a connection while the
// SDK read a complete, logged answer ("deserialization failed ... use of
// closed network connection", the client-side race of aws-sdk-go-v2#1825
// and #2737; keeping no idle connections did not remove it). The client
// reads each answer whole before handing it to the SDK, and when that read
// fails so, sends a read-only request (Get*, List*, Describe*, Simulate*)
// once more. A write is never sent twice: its failure stays a failure.
func (s *server) sdkHTTP() *readRetryClient {
	s.httpOnce.Do(func() {
		s.httpClient = &readRetryClient{next: awshttp.NewBuildableClient().WithTimeout(60 * time.Second).
			WithTransportOptions(func(t *http.Transport) {
				t.DisableKeepAlives = true
				if s.TLSConfig != nil {
					t.TLSClientConfig = s.TLSConfig
				}
			})}
	})
	return s.httpClient
}

// readRetryClient is an SDK HTTP client that buffers answers and resends a
// read-only request whose answer the transport cut off on the client side.
type readRetryClient struct {
	next interface {
		Do(*http.Request) (*http.Response, error)
	}
}

// Do sends req, reads the answer whole, and retries reads cut off by a
// closed client connection.
func (c *readRetryClient) Do(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		body = b
	}
	for attempt := 0; ; attempt++ {
		r := req.Clone(req.Context())
		if req.Body != nil {
			r.Body = io.NopCloser(bytes.NewReader(body))
			r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
		}
		resp, err := c.next.Do(r)
		if err != nil {
			return resp, err
		}
		answer, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err == nil {
			resp.Body = io.NopCloser(bytes.NewReader(answer))
			return resp, nil
		}
		if attempt > 0 || !errors.Is(err, net.ErrClosed) || !readOnlyRequest(req, body) {
			return nil, err
		}
	}
}

// readOnlyRequest reports whether an AWS request (Query Action or JSON
// X-Amz-Target) only reads.
func readOnlyRequest(req *http.Request, body []byte) bool {
	op := req.Header.Get("X-Amz-Target")
	if i := strings.LastIndexByte(op, '.'); i >= 0 {
		op = op[i+1:]
	}
	if op == "" {
		if q, err := url.ParseQuery(string(body)); err == nil {
			op = q.Get("Action")
		}
	}
	for _, p := range []string{"Get", "List", "Describe", "Simulate"} {
		if strings.HasPrefix(op, p) {
			return true
		}
	}
	return false
}

// fixedEnv is the GATEHOUSE_* environment of a known server.
func fixedEnv() map[string]string {
	return map[string]string{
		"GATEHOUSE_ACCOUNT_ID":             accountID,
		"GATEHOUSE_ROOT_EMAIL":             rootEmail,
		"GATEHOUSE_ROOT_PASSWORD":          rootPassword,
		"GATEHOUSE_ROOT_ACCESS_KEY_ID":     rootKeyID,
		"GATEHOUSE_ROOT_SECRET_ACCESS_KEY": rootSecret,
	}
}

// startServer starts gatehouse, waits until /_gatehouse/health answers,
// and stops it with SIGTERM when the test ends.
func startServer(t testing.TB, opts serverOptions) *server {
	t.Helper()
	s := &server{Addr: opts.Addr, DataDir: opts.DataDir, stdout: &syncBuffer{}, stderr: &syncBuffer{}, done: make(chan struct{})}
	if s.Addr == "" {
		s.Addr = freeAddr(t)
	}
	s.URL = "http://" + s.Addr
	args := []string{"serve", "--addr", s.Addr}
	if opts.Ephemeral {
		args = append(args, "--ephemeral")
	} else {
		if s.DataDir == "" {
			s.DataDir = filepath.Join(t.TempDir(), "data")
		}
		args = append(args, "--data", s.DataDir)
	}
	if opts.EnableReset {
		args = append(args, "--enable-reset")
	}
	if opts.LogLevel != "" {
		args = append(args, "--log-level", opts.LogLevel)
	}
	if opts.TLS {
		cert, key := s.makeCert(t)
		args = append(args, "--tls-cert", cert, "--tls-key", key)
		s.URL = "https://" + s.Addr
	}
	args = append(args, opts.Args...)
	env := fixedEnv()
	for k, v := range opts.Env {
		env[k] = v
	}
	s.cmd = exec.Command(gatehouseBin, args...)
	s.cmd.Dir = t.TempDir()
	s.cmd.Env = environ(env)
	s.cmd.Stdout, s.cmd.Stderr = s.stdout, s.stderr
	if err := s.cmd.Start(); err != nil {
		t.Fatalf("start gatehouse: %v", err)
	}
	go func() {
		s.err = s.cmd.Wait()
		close(s.done)
	}()
	t.Cleanup(func() {
		s.stop(t)
		if t.Failed() {
			t.Logf("gatehouse on %s, stdout:\n%s\nstderr (tail):\n%s", s.Addr, s.stdout, tail(s.stderr.String(), 4000))
		}
	})
	s.waitHealthy(t)
	return s
}

// environ returns the test process's environment without any GATEHOUSE_*
// variable, plus the non-empty values of env.
func environ(env map[string]string) []string {
	var out []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GATEHOUSE_") {
			out = append(out, kv)
		}
	}
	for k, v := range env {
		if v != "" {
			out = append(out, k+"="+v)
		}
	}
	return out
}

// freeAddr returns a loopback address with a port that was free a moment ago.
func freeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("pick a port: %v", err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func (s *server) waitHealthy(t testing.TB) {
	t.Helper()
	client := &http.Client{Timeout: time.Second}
	if s.TLSConfig != nil {
		client.Transport = &http.Transport{TLSClientConfig: s.TLSConfig}
	}
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-s.done:
			t.Fatalf("gatehouse exited before it was ready (%v)\nstdout:\n%s\nstderr:\n%s", s.err, s.stdout, s.stderr)
		default:
		}
		resp, err := client.Get(s.URL + "/_gatehouse/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("gatehouse on %s not healthy after 15s\nstderr:\n%s", s.Addr, s.stderr)
}

// stop sends SIGTERM and waits for a clean exit; it returns the process's
// exit error (nil for status 0). Stopping a stopped server is a no-op.
func (s *server) stop(t testing.TB) error {
	t.Helper()
	select {
	case <-s.done:
		return s.err
	default:
	}
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		t.Errorf("SIGTERM gatehouse: %v", err)
	}
	select {
	case <-s.done:
		return s.err
	case <-time.After(15 * time.Second):
		t.Errorf("gatehouse did not stop 15s after SIGTERM; killing it")
		s.cmd.Process.Kill()
		<-s.done
		return s.err
	}
}

// kill sends SIGKILL and waits for the process to be gone.
func (s *server) kill(t testing.TB) {
	t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGKILL); err != nil && !errors.Is(err, os.ErrProcessDone) {
		t.Fatalf("SIGKILL gatehouse: %v", err)
	}
	<-s.done
}

// syncBuffer is a bytes.Buffer safe for the process's writers and the
// test's readers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "..." + s[len(s)-n:]
}

// makeCert writes a self-signed certificate for 127.0.0.1 and localhost
// (and its subdomains) and its key, and sets s.CA and s.TLSConfig.
func (s *server) makeCert(t testing.TB) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "gatehouse e2e"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		DNSNames:    []string{"localhost", "*.localhost"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA: true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	s.CA, s.TLSConfig = certFile, &tls.Config{RootCAs: pool}
	return certFile, keyFile
}
