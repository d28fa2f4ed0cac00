package main

import (
	"bytes"
	"context"
	"encoding/xml"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/gatehouse-dev/gatehouse/sigv4"
)

const (
	serveAccount = "210987654321"
	serveKeyID   = "AKIASERVETESTROOT001"
	serveSecret  = "serveTestRootSecretKey000000000000000000"
)

// servedProcess is a gatehouse serve running in the test process.
type servedProcess struct {
	url        string // http://HOST:PORT of --addr
	metricsURL string // http://HOST:PORT/metrics of --metrics-addr, if any
	stdout     *lockedBuffer
	stderr     *lockedBuffer
}

// mustServe runs gatehouse serve --ephemeral on a free loopback port with
// the extra arguments, bootstrapping a known root key, until the test
// ends.
func mustServe(t *testing.T, args ...string) *servedProcess {
	t.Helper()
	t.Setenv(envAccountID, serveAccount)
	t.Setenv(envRootKeyID, serveKeyID)
	t.Setenv(envRootSecret, serveSecret)
	t.Setenv(envRootPass, "serve test root password")
	ctx, cancel := context.WithCancel(context.Background())
	p := &servedProcess{stdout: &lockedBuffer{}, stderr: &lockedBuffer{}}
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"serve", "--ephemeral", "--addr", "127.0.0.1:0"}, args...), strings.NewReader(""), p.stdout, p.stderr)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("gatehouse serve exited %d\n%s", code, p.stderr)
			}
		case <-time.After(15 * time.Second):
			t.Errorf("gatehouse serve did not stop")
		}
	})
	listening := regexp.MustCompile(`listening on (http://\S+)`)
	metricsOn := regexp.MustCompile(`Metrics on (http://\S+)`)
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case code := <-done:
			t.Fatalf("gatehouse serve exited %d before listening\n%s", code, p.stderr)
		default:
		}
		if m := listening.FindStringSubmatch(p.stdout.String()); m != nil {
			p.url = m[1]
			if m := metricsOn.FindStringSubmatch(p.stdout.String()); m != nil {
				p.metricsURL = m[1]
			}
			return p
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("gatehouse serve not listening after 15s\n%s", p.stderr)
	return nil
}

// iam sends a signed IAM Query request and returns the HTTP status and
// the body.
func (p *servedProcess) iam(t *testing.T, keyID, secret string, params url.Values) (int, []byte) {
	t.Helper()
	params.Set("Version", "2010-05-08")
	body := []byte(params.Encode())
	r, err := http.NewRequest("POST", p.url+"/", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	s := sigv4.Signer{AccessKeyID: keyID, SecretAccessKey: secret, Region: "us-east-1", Service: "iam"}
	if err := s.Sign(r, body); err != nil {
		t.Fatal(err)
	}
	return get(t, r)
}

func get(t *testing.T, r *http.Request) (int, []byte) {
	t.Helper()
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b
}

// scrape reads url's metrics with the Prometheus text parser.
func scrape(t *testing.T, url string) map[string]*dto.MetricFamily {
	t.Helper()
	r, _ := http.NewRequest("GET", url, nil)
	r.Header.Set("Accept", "text/plain")
	status, body := get(t, r)
	if status != 200 {
		t.Fatalf("GET %s: HTTP %d %s", url, status, body)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("parse %s: %v\n%s", url, err, body)
	}
	return families
}

// sample returns the metric of family name whose labels are exactly
// labels (name=value pairs), or nil.
func sample(families map[string]*dto.MetricFamily, name string, labels ...string) *dto.Metric {
	f := families[name]
	if f == nil {
		return nil
	}
	want := map[string]string{}
	for i := 0; i+1 < len(labels); i += 2 {
		want[labels[i]] = labels[i+1]
	}
metrics:
	for _, m := range f.GetMetric() {
		got := map[string]string{}
		for _, l := range m.GetLabel() {
			got[l.GetName()] = l.GetValue()
		}
		for k, v := range want {
			if got[k] != v {
				continue metrics
			}
		}
		for k, v := range got {
			if _, ok := want[k]; !ok && v != "" {
				continue metrics
			}
		}
		return m
	}
	return nil
}

// counter returns a counter's value, 0 when the series does not exist.
func counter(families map[string]*dto.MetricFamily, name string, labels ...string) float64 {
	return sample(families, name, labels...).GetCounter().GetValue()
}

// total sums every series of a counter family.
func total(families map[string]*dto.MetricFamily, name string) float64 {
	var sum float64
	for _, m := range families[name].GetMetric() {
		sum += m.GetCounter().GetValue()
	}
	return sum
}

// TestMetrics makes successful, failing (NoSuchEntity, AccessDenied by an
// explicit and an implicit deny, InvalidAction), root and IAM user
// requests, then checks what GET /metrics on the main listener counted.
func TestMetrics(t *testing.T) {
	p := mustServe(t)
	root := func(params url.Values) (int, []byte) { return p.iam(t, serveKeyID, serveSecret, params) }
	mustOK := func(status int, body []byte) []byte {
		t.Helper()
		if status != 200 {
			t.Fatalf("HTTP %d %s", status, body)
		}
		return body
	}
	// wantCode checks that a request was answered the AWS error code.
	wantCode := func(code string) func(status int, body []byte) {
		return func(status int, body []byte) {
			t.Helper()
			if !strings.Contains(string(body), "<Code>"+code+"</Code>") {
				t.Errorf("want %s, got HTTP %d %s", code, status, body)
			}
		}
	}

	// Root: two ListUsers with no write between (the second finds the key
	// in the identity cache), a NoSuchEntity, and the setup of alice.
	mustOK(root(url.Values{"Action": {"ListUsers"}}))
	wantCode("NoSuchEntity")(root(url.Values{"Action": {"GetUser"}, "UserName": {"nobody"}}))
	mustOK(root(url.Values{"Action": {"CreateUser"}, "UserName": {"alice"}}))
	mustOK(root(url.Values{"Action": {"PutUserPolicy"}, "UserName": {"alice"}, "PolicyName": {"p"}, "PolicyDocument": {`{"Version":"2012-10-17","Statement":[` +
		`{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*"},{"Effect":"Deny","Action":"iam:GetUser","Resource":"*"}]}`}}))
	var key struct {
		ID     string `xml:"CreateAccessKeyResult>AccessKey>AccessKeyId"`
		Secret string `xml:"CreateAccessKeyResult>AccessKey>SecretAccessKey"`
	}
	if err := xml.Unmarshal(mustOK(root(url.Values{"Action": {"CreateAccessKey"}, "UserName": {"alice"}})), &key); err != nil || key.ID == "" {
		t.Fatalf("CreateAccessKey: %v %+v", err, key.ID)
	}
	// Alice: allowed by her policy, explicitly denied by it, implicitly
	// denied (no policy allows).
	alice := func(params url.Values) (int, []byte) { return p.iam(t, key.ID, key.Secret, params) }
	mustOK(alice(url.Values{"Action": {"ListUsers"}}))
	wantCode("AccessDenied")(alice(url.Values{"Action": {"GetUser"}}))
	wantCode("AccessDenied")(alice(url.Values{"Action": {"ListGroups"}}))
	// An operation IAM does not have: no service or operation label.
	wantCode("InvalidAction")(root(url.Values{"Action": {"NoSuchOperation"}}))
	// Root sign-ins, with the right password and a wrong one, and one
	// for an address that is no root user's.
	signIn := func(email, password string) (int, []byte) {
		r, _ := http.NewRequest("POST", p.url+"/_gatehouse/signin", strings.NewReader(`{"Email":"`+email+`","Password":"`+password+`"}`))
		r.Header.Set("Content-Type", "application/json")
		return get(t, r)
	}
	mustOK(signIn("root@gatehouse.local", "serve test root password"))
	if status, body := signIn("root@gatehouse.local", "wrong password"); status == 200 {
		t.Errorf("sign-in with a wrong password: HTTP %d %s", status, body)
	}
	if status, body := signIn("nobody@example.com", "wrong password"); status == 200 {
		t.Errorf("sign-in of nobody: HTTP %d %s", status, body)
	}

	f := scrape(t, p.url+"/metrics")
	const requests = "gatehouse_requests_total"
	for _, c := range []struct {
		service, op, code string
		want              float64
	}{
		{"iam", "ListUsers", "", 2},
		{"iam", "GetUser", "NoSuchEntity", 1},
		{"iam", "CreateUser", "", 1},
		{"iam", "PutUserPolicy", "", 1},
		{"iam", "CreateAccessKey", "", 1},
		{"iam", "GetUser", "AccessDenied", 1},
		{"iam", "ListGroups", "AccessDenied", 1},
		{"", "", "InvalidAction", 1},
	} {
		if got := counter(f, requests, "service", c.service, "operation", c.op, "error_code", c.code); got != c.want {
			t.Errorf("%s{service=%q,operation=%q,error_code=%q} = %v, want %v", requests, c.service, c.op, c.code, got, c.want)
		}
	}
	if got := counter(f, requests, "service", "signin", "operation", "ConsoleLogin", "error_code", ""); got != 1 {
		t.Errorf("%s: %v successful sign-ins, want 1", requests, got)
	}
	if got := total(f, requests); got != 12 {
		t.Errorf("%s: %v requests in all, want 12", requests, got)
	}
	// Root made five requests that named an operation (InvalidAction's
	// caller is not looked up) and two sign-ins.
	if got := counter(f, "gatehouse_root_requests_total", "service", "signin", "operation", "ConsoleLogin"); got != 2 {
		t.Errorf("root sign-ins: %v, want 2 (the attempt for an unknown address is not root's)", got)
	}
	const rootRequests = "gatehouse_root_requests_total"
	for op, want := range map[string]float64{"ListUsers": 1, "GetUser": 1, "CreateUser": 1, "PutUserPolicy": 1, "CreateAccessKey": 1} {
		if got := counter(f, rootRequests, "service", "iam", "operation", op); got != want {
			t.Errorf("%s{operation=%q} = %v, want %v", rootRequests, op, got, want)
		}
	}
	if got := total(f, rootRequests); got != 7 {
		t.Errorf("%s: %v in all, want 7", rootRequests, got)
	}
	h := sample(f, "gatehouse_request_duration_seconds", "service", "iam", "operation", "ListUsers").GetHistogram()
	if h.GetSampleCount() != 2 || h.GetSampleSum() <= 0 || len(h.GetBucket()) == 0 {
		t.Errorf("latency of ListUsers: %v", h)
	}

	const decisions = "gatehouse_authz_decisions_total"
	for _, c := range []struct {
		result, by string
		want       float64
	}{
		{"allowed", "root_user", 5}, // ListUsers, GetUser nobody, CreateUser, PutUserPolicy, CreateAccessKey
		{"allowed", "identity", 1},
		{"explicit_deny", "identity", 1},
		{"implicit_deny", "identity", 1},
	} {
		if got := counter(f, decisions, "result", c.result, "policy_type", c.by); got != c.want {
			t.Errorf("%s{result=%q,policy_type=%q} = %v, want %v", decisions, c.result, c.by, got, c.want)
		}
	}
	if got := total(f, decisions); got != 8 {
		t.Errorf("%s: %v in all, want 8", decisions, got)
	}

	const lookups = "gatehouse_cache_lookups_total"
	for _, c := range []struct{ cache, result string }{
		{"access_keys", "hit"}, {"access_keys", "miss"}, {"policy_sets", "miss"}, {"compiled_policies", "miss"},
	} {
		if got := counter(f, lookups, "cache", c.cache, "result", c.result); got < 1 {
			t.Errorf("%s{cache=%q,result=%q} = %v, want at least 1", lookups, c.cache, c.result, got)
		}
	}
	const tx = "gatehouse_store_transaction_duration_seconds"
	if n := sample(f, tx, "kind", "update").GetHistogram().GetSampleCount(); n < 3 {
		t.Errorf("%s{kind=update}: %d transactions, want at least 3 (CreateUser, PutUserPolicy, CreateAccessKey)", tx, n)
	}
	if n := sample(f, tx, "kind", "view").GetHistogram().GetSampleCount(); n < 1 {
		t.Errorf("%s{kind=view}: %d transactions", tx, n)
	}
	for _, name := range []string{"go_goroutines", "process_cpu_seconds_total"} {
		if f[name] == nil {
			t.Errorf("no %s: the Go and process collectors are missing", name)
		}
	}
	// No secret reaches the metrics.
	r, _ := http.NewRequest("GET", p.url+"/metrics", nil)
	_, body := get(t, r)
	for _, secret := range []string{serveSecret, key.Secret, key.ID, serveKeyID} {
		if strings.Contains(string(body), secret) {
			t.Errorf("/metrics shows %q", secret)
		}
	}
}

// TestMetricsOff: --metrics-addr off serves no /metrics (the path is then
// an unsigned AWS request, refused).
func TestMetricsOff(t *testing.T) {
	p := mustServe(t, "--metrics-addr", "off")
	if p.metricsURL != "" {
		t.Errorf("metrics listener %s with --metrics-addr off", p.metricsURL)
	}
	if status, _ := p.iam(t, serveKeyID, serveSecret, url.Values{"Action": {"ListUsers"}}); status != 200 {
		t.Fatalf("ListUsers: HTTP %d", status)
	}
	r, _ := http.NewRequest("GET", p.url+"/metrics", nil)
	if status, body := get(t, r); status == 200 || strings.Contains(string(body), "gatehouse_") {
		t.Errorf("GET /metrics with metrics off: HTTP %d %s", status, body)
	}
}

// TestMetricsOwnAddr: --metrics-addr HOST:PORT serves /metrics there and
// not on the main listener.
func TestMetricsOwnAddr(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	p := mustServe(t, "--metrics-addr", addr)
	if p.metricsURL != "http://"+addr+"/metrics" {
		t.Fatalf("metrics on %q, want on %s\n%s", p.metricsURL, addr, p.stdout)
	}
	if status, _ := p.iam(t, serveKeyID, serveSecret, url.Values{"Action": {"ListUsers"}}); status != 200 {
		t.Fatalf("ListUsers: HTTP %d", status)
	}
	f := scrape(t, p.metricsURL)
	if got := counter(f, "gatehouse_requests_total", "service", "iam", "operation", "ListUsers", "error_code", ""); got != 1 {
		t.Errorf("ListUsers counted %v times, want 1", got)
	}
	r, _ := http.NewRequest("GET", p.url+"/metrics", nil)
	if status, body := get(t, r); status == 200 || strings.Contains(string(body), "gatehouse_") {
		t.Errorf("GET /metrics on the main listener: HTTP %d %s", status, body)
	}
	// The metrics listener serves nothing else.
	r, _ = http.NewRequest("GET", "http://"+addr+"/_gatehouse/health", nil)
	if status, _ := get(t, r); status != 404 {
		t.Errorf("health on the metrics listener: HTTP %d", status)
	}
}

func TestMetricsAddrInvalid(t *testing.T) {
	code, _, errOut := runCLI(t, "", "serve", "--ephemeral", "--metrics-addr", "9090")
	if code != exitUsage || !strings.Contains(errOut, "--metrics-addr") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

// TestHealthCommand: gatehouse health exits 0 for a healthy server and 1
// when nothing answers.
func TestHealthCommand(t *testing.T) {
	p := mustServe(t, "--metrics-addr", "off")
	code, out, errOut := runCLI(t, "", "health", "--addr", strings.TrimPrefix(p.url, "http://"))
	if code != 0 || !strings.Contains(out, `"status":"ok"`) {
		t.Errorf("health: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	if code, _, errOut := runCLI(t, "", "health", "--addr", addr, "--timeout", "2s"); code != 1 || errOut == "" {
		t.Errorf("health of nothing: exit %d, stderr %q", code, errOut)
	}
}

// lockedBuffer is a bytes.Buffer safe for a writer and a reader at once.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
