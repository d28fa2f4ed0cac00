// Package perf measures whole-server performance: an authorized
// iam:GetUser, signed with SigV4, by a user who holds ten managed
// policies of five statements each, against the real gatehouse binary
// and, in the same run, against moto_server with enforcement on.
// It reports requests per second and server CPU per request (read from
// /proc for the server process).
package perf

import (
	"bufio"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse/sigv4"
)

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "gatehouse-perf")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "gatehouse")
	build := exec.Command("go", "build", "-o", binary, "../cmd/gatehouse")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build gatehouse:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

const (
	rootKey    = "AKIAPERFROOT00000001"
	rootSecret = "perfrootsecretperfrootsecretperfrootsecr"
	accountID  = "111122223333"
)

func freePort(tb testing.TB) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// server is a server process under test.
type server struct {
	cmd      *exec.Cmd
	endpoint string
}

func (s *server) stop() {
	s.cmd.Process.Kill()
	s.cmd.Wait()
}

// cpu returns the process's user+system CPU time.
func (s *server) cpu(tb testing.TB) time.Duration {
	tb.Helper()
	return procCPU(tb, s.cmd.Process.Pid)
}

// procCPU reads utime+stime of a process and its reaped children.
func procCPU(tb testing.TB, pid int) time.Duration {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		tb.Fatal(err)
	}
	s := string(data)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	// fields[11] is utime, fields[12] stime (fields 14 and 15 of stat).
	var ticks int64
	for _, f := range fields[11:13] {
		n, _ := strconv.ParseInt(f, 10, 64)
		ticks += n
	}
	return time.Duration(ticks) * (time.Second / 100) // USER_HZ is 100 on Linux
}

func waitReady(tb testing.TB, url string) {
	tb.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	tb.Fatalf("server at %s did not start", url)
}

func startGatehouse(tb testing.TB) *server {
	addr := freePort(tb)
	cmd := exec.Command(binary, "serve", "--addr", addr, "--data", tb.TempDir(), "--log-level", "error")
	cmd.Env = append(os.Environ(), "GATEHOUSE_ACCOUNT_ID="+accountID,
		"GATEHOUSE_ROOT_ACCESS_KEY_ID="+rootKey, "GATEHOUSE_ROOT_SECRET_ACCESS_KEY="+rootSecret)
	cmd.Stdout, cmd.Stderr = io.Discard, os.Stderr
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	s := &server{cmd: cmd, endpoint: "http://" + addr}
	waitReady(tb, s.endpoint+"/_gatehouse/health")
	return s
}

// setupCalls is the number of calls setup makes before the benchmark
// user acts (moto enforces auth only after that many).
const setupCalls = 1 + 10 + 10 + 1

func startMoto(tb testing.TB) *server {
	return startMotoEnv(tb, "INITIAL_NO_AUTH_ACTION_COUNT="+strconv.Itoa(setupCalls))
}

// startMotoEnv starts moto_server with env added to the environment.
func startMotoEnv(tb testing.TB, env ...string) *server {
	path, err := exec.LookPath("moto_server")
	if err != nil {
		tb.Fatalf("moto_server not found: install moto 5 (pip install 'moto[server]') to compare: %v", err)
	}
	addr := freePort(tb)
	host, port, _ := net.SplitHostPort(addr)
	cmd := exec.Command(path, "-H", host, "-p", port)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	s := &server{cmd: cmd, endpoint: "http://" + addr}
	waitReady(tb, s.endpoint+"/moto-api/")
	return s
}

// client signs Query requests.
type client struct {
	http     *http.Client
	endpoint string
	signer   sigv4.Signer
}

func newClient(endpoint, key, secret string) *client {
	return &client{
		http:     &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16}},
		endpoint: endpoint,
		signer:   sigv4.Signer{AccessKeyID: key, SecretAccessKey: secret, Region: "us-east-1", Service: "iam"},
	}
}

// call sends an IAM Query request that must succeed.
func (c *client) call(tb testing.TB, params url.Values) []byte {
	params.Set("Version", "2010-05-08")
	return c.callVersioned(tb, params)
}

// callVersioned sends a Query request whose params name the API version.
func (c *client) callVersioned(tb testing.TB, params url.Values) []byte {
	body := []byte(params.Encode())
	req, err := http.NewRequest("POST", c.endpoint+"/", strings.NewReader(string(body)))
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	if err := c.signer.Sign(req, body); err != nil {
		tb.Fatal(err)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		tb.Fatalf("%s: %d %s", params.Get("Action"), resp.StatusCode, out)
	}
	return out
}

// policyDoc is one of the ten managed policies: five statements about
// IAM users, one of which allows iam:GetUser on the benchmark user.
// The grant is in the last policy and uses "Resource": "*" because
// moto authorizes every IAM call against "*".
func policyDoc(n int) string {
	readResource := fmt.Sprintf(`"arn:aws:iam::*:user/team%d/*"`, n)
	if n == 9 {
		readResource = `"*"`
	}
	return fmt.Sprintf(`{"Version":"2012-10-17","Statement":[
{"Sid":"Read%[1]d","Effect":"Allow","Action":["iam:GetUser","iam:ListAccessKeys"],"Resource":%[2]s},
{"Sid":"Tags%[1]d","Effect":"Allow","Action":"iam:ListUserTags","Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"us-east-1"}}},
{"Sid":"Self%[1]d","Effect":"Allow","Action":["iam:GetUser","iam:ChangePassword"],"Resource":"arn:aws:iam::*:user/${aws:username}"},
{"Sid":"NoDelete%[1]d","Effect":"Deny","Action":"iam:DeleteUser","Resource":"*"},
{"Sid":"Net%[1]d","Effect":"Allow","Action":"iam:List*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":["127.0.0.0/8","10.%[1]d.0.0/16"]}}}]}`, n, readResource)
}

// setup creates the benchmark user with ten attached policies and a key,
// using exactly setupCalls calls, and returns the user's credentials.
func setup(tb testing.TB, endpoint string) (key, secret string) {
	root := newClient(endpoint, rootKey, rootSecret)
	root.call(tb, url.Values{"Action": {"CreateUser"}, "UserName": {"bench"}})
	for i := 0; i < 10; i++ {
		out := root.call(tb, url.Values{"Action": {"CreatePolicy"}, "PolicyName": {fmt.Sprintf("p%d", i)}, "PolicyDocument": {policyDoc(i)}})
		var r struct {
			Arn string `xml:"CreatePolicyResult>Policy>Arn"`
		}
		if err := xml.Unmarshal(out, &r); err != nil || r.Arn == "" {
			tb.Fatalf("CreatePolicy: %v %s", err, out)
		}
		root.call(tb, url.Values{"Action": {"AttachUserPolicy"}, "UserName": {"bench"}, "PolicyArn": {r.Arn}})
	}
	out := root.call(tb, url.Values{"Action": {"CreateAccessKey"}, "UserName": {"bench"}})
	var k struct {
		ID     string `xml:"CreateAccessKeyResult>AccessKey>AccessKeyId"`
		Secret string `xml:"CreateAccessKeyResult>AccessKey>SecretAccessKey"`
	}
	if err := xml.Unmarshal(out, &k); err != nil || k.ID == "" {
		tb.Fatalf("CreateAccessKey: %v", err)
	}
	return k.ID, k.Secret
}

// benchGetUser runs b.N authorized GetUser calls from 4 concurrent
// clients and reports throughput and server CPU per request.
func benchGetUser(b *testing.B, s *server) {
	key, secret := setup(b, s.endpoint)
	c := newClient(s.endpoint, key, secret)
	params := url.Values{"Action": {"GetUser"}, "UserName": {"bench"}}
	c.call(b, params) // warm up, and prove the call is allowed
	const workers = 4
	b.ResetTimer()
	cpu0, start := s.cpu(b), time.Now()
	var wg sync.WaitGroup
	var next sync.Mutex
	n := b.N
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				next.Lock()
				if n == 0 {
					next.Unlock()
					return
				}
				n--
				next.Unlock()
				c.call(b, url.Values{"Action": {"GetUser"}, "UserName": {"bench"}})
			}
		}()
	}
	wg.Wait()
	elapsed, cpu := time.Since(start), s.cpu(b)-cpu0
	b.StopTimer()
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "req/s")
	b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "server-cpu-µs/op")
}

// BenchmarkGetUser compares Gatehouse and moto_server in one run.
func BenchmarkGetUser(b *testing.B) {
	b.Run("gatehouse", func(b *testing.B) {
		s := startGatehouse(b)
		defer s.stop()
		benchGetUser(b, s)
	})
	b.Run("moto", func(b *testing.B) {
		s := startMoto(b)
		defer s.stop()
		benchGetUser(b, s)
	})
}

// TestGatehouseDeniesOutsidePolicies checks the benchmark's premise on
// Gatehouse: the same user is denied what its policies do not allow.
func TestGatehouseDeniesOutsidePolicies(t *testing.T) {
	s := startGatehouse(t)
	defer s.stop()
	key, secret := setup(t, s.endpoint)
	c := newClient(s.endpoint, key, secret)
	params := url.Values{"Action": {"CreateUser"}, "UserName": {"x"}, "Version": {"2010-05-08"}}
	body := []byte(params.Encode())
	req, _ := http.NewRequestWithContext(context.Background(), "POST", s.endpoint+"/", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	c.signer.Sign(req, body)
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Scan()
	if resp.StatusCode != 403 || !strings.Contains(sc.Text(), "AccessDenied") {
		t.Fatalf("got %d %s", resp.StatusCode, sc.Text())
	}
}
