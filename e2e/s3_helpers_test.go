package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// s3Region is the region the S3 tests' clients sign with and create their
// buckets in, unless a test says otherwise.
const s3Region = "us-east-1"

// mib is a mebibyte; bigSize is over the 8 MiB multipart threshold of the
// aws CLIs and boto3's transfer manager (three 8 MiB parts).
const (
	mib     = 1 << 20
	bigSize = 20 * mib
)

// s3 returns a path-style S3 client for c against s, signing for
// us-east-1; opts adjust it further.
func (s *server) s3(t testing.TB, c creds, opts ...func(*s3.Options)) *s3.Client {
	base := func(o *s3.Options) {
		o.HTTPClient = s.sdkHTTP()
		o.BaseEndpoint = aws.String(s.URL)
		o.Region = s3Region
		o.UsePathStyle = true
		o.Credentials = credentials.NewStaticCredentialsProvider(c.ID, c.Secret, c.Token)
	}
	return s3.NewFromConfig(sdkConfig(t), append([]func(*s3.Options){base}, opts...)...)
}

// s3Keys lists every key of a bucket (under prefix) with the SDK.
func s3Keys(t testing.TB, c *s3.Client, bucket, prefix string) []string {
	t.Helper()
	var keys []string
	p := s3.NewListObjectsV2Paginator(c, &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String(prefix)})
	for p.HasMorePages() {
		page := must(p.NextPage(context.Background()))(t)
		for _, o := range page.Contents {
			keys = append(keys, aws.ToString(o.Key))
		}
	}
	return keys
}

// awsCLIs are the aws CLIs the S3 tests run, by major version.
type awsCLIs struct{ v1, v2 string }

var (
	s3CLIsOnce sync.Once
	s3CLIsVal  awsCLIs
	s3CLIsErr  error
)

// findS3CLIs returns aws CLI v1 (the aws on PATH, without its pyenv shim)
// and v2 (/usr/bin/aws); both are part of the test environment (make
// deps), so a missing one fails the test.
func findS3CLIs(t *testing.T) awsCLIs {
	t.Helper()
	s3CLIsOnce.Do(func() {
		var seen []string
		for _, c := range []string{"aws", awsV2Path} {
			p, err := exec.LookPath(c)
			if err != nil {
				continue
			}
			out, err := exec.Command(p, "--version").CombinedOutput()
			v, ok := strings.CutPrefix(strings.TrimSpace(string(out)), "aws-cli/")
			if err != nil || !ok || v == "" {
				seen = append(seen, p+": "+strings.TrimSpace(string(out)))
				continue
			}
			switch v[:1] {
			case "1":
				if s3CLIsVal.v1 == "" {
					s3CLIsVal.v1 = unshim("aws", p)
				}
			case "2":
				if s3CLIsVal.v2 == "" {
					s3CLIsVal.v2 = p
				}
			}
			seen = append(seen, p+" is v"+v[:1])
		}
		if s3CLIsVal.v1 == "" || s3CLIsVal.v2 == "" {
			s3CLIsErr = errors.New("need aws CLI v1 on PATH and v2 at " + awsV2Path + " (" + strings.Join(seen, ", ") + ")")
		}
	})
	if s3CLIsErr != nil {
		t.Fatalf("%v: %s", s3CLIsErr, installHint)
	}
	return s3CLIsVal
}

// awsCLI runs one aws CLI against a server with a key, from a working
// directory, with no shared config or credentials file unless config is
// set.
type awsCLI struct {
	name   string // "v1" or "v2"
	path   string
	srv    *server
	key    creds
	region string // AWS_DEFAULT_REGION; s3Region when ""
	config string // AWS_CONFIG_FILE; none when ""
	dir    string
}

// newAWSCLI returns the CLI at path speaking to srv with root's key from a
// new temporary directory.
func newAWSCLI(t *testing.T, name, path string, srv *server) awsCLI {
	return awsCLI{name: name, path: path, srv: srv, key: rootCreds, dir: t.TempDir()}
}

// as returns the same CLI using key k.
func (c awsCLI) as(k creds) awsCLI {
	c.key = k
	return c
}

// withConfig returns the same CLI reading a config file with content.
func (c awsCLI) withConfig(t *testing.T, content string) awsCLI {
	t.Helper()
	c.config = filepath.Join(t.TempDir(), "config")
	if err := os.WriteFile(c.config, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return c
}

// slowCommand is how long a CLI command may take before the test logs it.
const slowCommand = 5 * time.Second

// cliRun is what one CLI command did.
type cliRun struct {
	args           []string
	stdout, stderr string
	err            error
	elapsed        time.Duration
}

func (r cliRun) String() string {
	return "aws " + strings.Join(r.args, " ") + ": " + errString(r.err) + "\nstdout:\n" + r.stdout + "\nstderr:\n" + r.stderr
}

func errString(err error) string {
	if err == nil {
		return "exit 0"
	}
	return err.Error()
}

// run runs the CLI with --endpoint-url and args.
func (c awsCLI) run(t testing.TB, args ...string) cliRun {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	missing := filepath.Join(c.dir, ".absent")
	config := c.config
	if config == "" {
		config = missing
	}
	region := c.region
	if region == "" {
		region = s3Region
	}
	cmd := exec.CommandContext(ctx, c.path, append([]string{"--endpoint-url", c.srv.URL}, args...)...)
	cmd.Dir = c.dir
	cmd.Env = append(clientEnviron(),
		"AWS_ACCESS_KEY_ID="+c.key.ID,
		"AWS_SECRET_ACCESS_KEY="+c.key.Secret,
		"AWS_DEFAULT_REGION="+region,
		"AWS_CONFIG_FILE="+config,
		"AWS_SHARED_CREDENTIALS_FILE="+missing,
		"AWS_EC2_METADATA_DISABLED=true",
		"AWS_PAGER=",
	)
	if c.key.Token != "" {
		cmd.Env = append(cmd.Env, "AWS_SESSION_TOKEN="+c.key.Token)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	r := cliRun{args: args, stdout: stdout.String(), stderr: stderr.String(), err: err, elapsed: time.Since(start)}
	if r.elapsed > slowCommand {
		t.Logf("%s took %s: aws %s", c.name, r.elapsed.Round(time.Millisecond), strings.Join(args, " "))
	}
	return r
}

// ok runs the CLI and fails the test unless it exits 0; it returns stdout.
func (c awsCLI) ok(t testing.TB, args ...string) string {
	t.Helper()
	r := c.run(t, args...)
	if r.err != nil {
		t.Fatalf("%s %s", c.name, r)
	}
	return r.stdout
}

// json runs the CLI with --output json and decodes its stdout into v.
func (c awsCLI) json(t testing.TB, v any, args ...string) {
	t.Helper()
	out := c.ok(t, append(args, "--output", "json")...)
	if err := json.Unmarshal([]byte(out), v); err != nil {
		t.Fatalf("%s aws %s: stdout is not the JSON expected (%v):\n%s", c.name, strings.Join(args, " "), err, out)
	}
}

// fails runs the CLI and fails the test unless it exits non-zero with
// every one of wants in its stderr; it returns stderr.
func (c awsCLI) fails(t testing.TB, wants []string, args ...string) string {
	t.Helper()
	r := c.run(t, args...)
	if r.err == nil {
		t.Errorf("%s succeeded; want a failure with %q\n%s", c.name, wants, r)
		return r.stderr
	}
	for _, w := range wants {
		if !strings.Contains(r.stderr, w) {
			t.Errorf("%s: stderr lacks %q\n%s", c.name, w, r)
			break
		}
	}
	return r.stderr
}

// randomBytes returns n pseudo-random bytes from seed.
func randomBytes(seed uint64, n int) []byte {
	var s [32]byte
	s[0], s[1] = byte(seed), byte(seed>>8)
	r := rand.NewChaCha8(s)
	b := make([]byte, n)
	r.Read(b)
	return b
}

// writeFile writes b to path, making its directories.
func writeFile(t testing.TB, path string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// sameBytes fails the test when the file at path does not hold want.
func sameBytes(t testing.TB, path string, want []byte) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil {
		t.Errorf("read %s: %v", path, err)
		return
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s: %d bytes differ from the %d bytes sent", path, len(got), len(want))
	}
}

// readTree returns the regular files under dir: relative slash path to
// content.
func readTree(t testing.TB, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatalf("walk %s: %v", dir, err)
	}
	return files
}

// diffTrees fails the test unless the two maps from readTree are equal.
func diffTrees(t testing.TB, got, want map[string]string) {
	t.Helper()
	for name, content := range want {
		g, ok := got[name]
		switch {
		case !ok:
			t.Errorf("missing %q", name)
		case g != content:
			t.Errorf("%q: content %q, want %q", name, g, content)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("unexpected %q", name)
		}
	}
}

// requestLine is one request as the server logged it.
type requestLine struct {
	Msg       string `json:"msg"`
	Method    string `json:"method"`
	Service   string `json:"service"`
	Action    string `json:"action"`
	AccessKey string `json:"access_key"`
	Status    int    `json:"status"`
	ErrorCode string `json:"error_code"`
}

// requests returns the requests the server has logged so far.
func (s *server) requests(t testing.TB) []requestLine {
	t.Helper()
	var out []requestLine
	for _, line := range strings.Split(s.stderr.String(), "\n") {
		var r requestLine
		if json.Unmarshal([]byte(line), &r) == nil && r.Msg == "request" {
			out = append(out, r)
		}
	}
	return out
}

// countRequests returns how many logged requests signed with key had
// action (any when "") and status.
func (s *server) countRequests(t testing.TB, key, action string, status int) int {
	t.Helper()
	n := 0
	for _, r := range s.requests(t) {
		if r.AccessKey == key && (action == "" || r.Action == action) && r.Status == status {
			n++
		}
	}
	return n
}

// waitCount polls countRequests until it is at least want (the log line
// of a request the client has seen answered may reach the test a moment
// later) or two seconds have passed, and returns the last count.
func (s *server) waitCount(t testing.TB, key, action string, status, want int) int {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for {
		n := s.countRequests(t, key, action, status)
		if n >= want || time.Now().After(deadline) {
			return n
		}
		time.Sleep(20 * time.Millisecond)
	}
}
