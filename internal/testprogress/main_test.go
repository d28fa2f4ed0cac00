package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestRunFailing runs the tool on a module with a passing, a failing and
// a skipped test, and a package that does not build: go test's exit
// status comes through, failing output is shown whole, passing output
// is not.
func TestRunFailing(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	files := map[string]string{
		"go.mod": "module example.test/m\n\ngo 1.22\n",
		"a/a_test.go": `package a

import "testing"

func TestGood(t *testing.T) { t.Log("quiet success") }

func TestBad(t *testing.T) {
	t.Run("sub", func(t *testing.T) { t.Log("the reason it failed") ; t.Fail() })
}

func TestSkipped(t *testing.T) { t.Skip("not today") }
`,
		"b/b_test.go": "package b\n\nimport \"testing\"\n\nfunc TestFine(t *testing.T) {}\n",
		"c/c_test.go": "package c\n\nimport \"testing\"\n\nfunc TestBroken(t *testing.T) { undefined() }\n",
	}
	for name, body := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	var out, errOut bytes.Buffer
	code := run([]string{"-go", goTool, "--", "-count=1", "./..."}, &out, &errOut)
	s := out.String()
	if code != 1 {
		t.Errorf("exit status %d, want go test's 1\n%s\n%s", code, s, errOut.String())
	}
	for _, want := range []string{
		"=== example.test/m/a\n",
		"    pass example.test/m/a TestGood (",
		"    skip example.test/m/a TestSkipped\n",
		"--- FAIL example.test/m/a TestBad (",
		"the reason it failed",
		"FAIL\texample.test/m/a\t",
		"ok  \texample.test/m/b\t",
		"undefined: undefined",
		"FAIL\texample.test/m/c",
		"  example.test/m/a TestBad\n",
		"\n2 passed, 1 failed, 1 skipped\n",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "quiet success") {
		t.Errorf("a passing test's output is shown:\n%s", s)
	}
}

// TestRunPassing: a passing run exits 0.
func TestRunPassing(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.test/p\n\ngo 1.22\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "p_test.go"), []byte("package p\n\nimport \"testing\"\n\nfunc TestOK(t *testing.T) {}\n"), 0o644)
	t.Chdir(dir)
	var out, errOut bytes.Buffer
	if code := run([]string{"-go", goTool, "--", "-count=1", "."}, &out, &errOut); code != 0 || !strings.HasSuffix(out.String(), "1 passed, 0 failed, 0 skipped\n") {
		t.Errorf("exit %d\n%s\n%s", code, out.String(), errOut.String())
	}
}

// TestStillRunning: after a quiet spell the running top-level tests are
// named with how long they have run.
func TestStillRunning(t *testing.T) {
	var out bytes.Buffer
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	r := newReport(&out, func() time.Time { return now })
	r.handle(event{Time: now, Action: "start", Package: "github.com/gatehouse-dev/gatehouse/e2e"})
	r.handle(event{Time: now, Action: "run", Package: "github.com/gatehouse-dev/gatehouse/e2e", Test: "TestSDK"})
	r.handle(event{Time: now, Action: "run", Package: "github.com/gatehouse-dev/gatehouse/e2e", Test: "TestSDK/sub"})
	now = now.Add(45 * time.Second)
	r.stillRunning()
	if want := "=== github.com/gatehouse-dev/gatehouse/e2e\n    ... still running: e2e TestSDK (45s)\n"; out.String() != want {
		t.Errorf("got %q, want %q", out.String(), want)
	}
}
