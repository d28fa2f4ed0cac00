// Command testprogress runs go test and shows its progress while it runs:
// a line when each package starts and finishes, one when each top-level
// test finishes (with its duration), a note of what is still running
// when nothing has finished for a while, and the whole output of
// failing tests only. It exits with go test's exit status.
//
//	go run ./internal/testprogress [-go go] [-quiet 30s] -- [go test flags] [packages]
//
// It runs go test -json with the arguments and reads its events
// (go doc test2json). Package result lines keep go test's own form
// (ok, FAIL, ?), and the last line counts the top-level tests as
// "N passed, N failed, N skipped".
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sort"
	"strings"
	"sync"
	"time"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is main without the process: it returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("testprogress", flag.ContinueOnError)
	fs.SetOutput(stderr)
	goTool := fs.String("go", "go", "the go command")
	quiet := fs.Duration("quiet", 30*time.Second, "say what is still running after this long without a line (0: never)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	cmd := exec.Command(*goTool, append([]string{"test", "-json"}, fs.Args()...)...)
	cmd.Stderr = stderr
	events, err := cmd.StdoutPipe()
	if err != nil {
		fmt.Fprintln(stderr, "testprogress:", err)
		return 2
	}
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(stderr, "testprogress:", err)
		return 2
	}
	r := newReport(stdout, time.Now)
	stop := r.remind(*quiet)
	r.read(events)
	stop()
	err = cmd.Wait()
	r.summary()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		return exit.ExitCode()
	case err != nil:
		fmt.Fprintln(stderr, "testprogress:", err)
		return 2
	case r.failed > 0 || len(r.failedPkgs) > 0:
		return 1 // go test said 0, yet reported a failure: never pass it
	}
	return 0
}

// event is one go test -json event (cmd/test2json).
type event struct {
	Time    time.Time
	Action  string
	Package string
	Test    string
	Elapsed float64 // seconds
	Output  string
}

// maxKept bounds the output kept for one test or package, so a test that
// prints without end cannot exhaust memory; a failure shows the end.
const maxKept = 4 << 20

// report turns events into progress lines.
type report struct {
	mu   sync.Mutex
	out  io.Writer
	now  func() time.Time
	last time.Time // when a line was last written

	// kept is the output of each running top-level test ("pkg\x00Test")
	// and of each package outside tests ("pkg\x00").
	kept    map[string]*strings.Builder
	running map[string]time.Time // top-level test → its start
	started map[string]time.Time // package → its start

	passed, failed, skipped int
	failures                []string // "pkg TestX"
	failedPkgs              []string
}

func newReport(out io.Writer, now func() time.Time) *report {
	return &report{out: out, now: now, last: now(), kept: map[string]*strings.Builder{},
		running: map[string]time.Time{}, started: map[string]time.Time{}}
}

// read handles every event of r; a line that is not an event is printed
// as it is.
func (r *report) read(in io.Reader) {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for sc.Scan() {
		line := sc.Bytes()
		var e event
		if len(line) == 0 || line[0] != '{' || json.Unmarshal(line, &e) != nil {
			r.mu.Lock()
			r.printf("%s\n", line)
			r.mu.Unlock()
			continue
		}
		r.handle(e)
	}
}

// topLevel returns the top-level test of a test or subtest name.
func topLevel(test string) string {
	name, _, _ := strings.Cut(test, "/")
	return name
}

func (r *report) keep(key, output string) {
	b := r.kept[key]
	if b == nil {
		b = &strings.Builder{}
		r.kept[key] = b
	}
	if b.Len()+len(output) > maxKept {
		s := b.String()
		s = s[len(s)/2:]
		b.Reset()
		b.WriteString("... (earlier output dropped)\n" + s)
	}
	b.WriteString(output)
}

// flush prints and forgets the output kept under key.
func (r *report) flush(key string) {
	if b := r.kept[key]; b != nil {
		r.printf("%s", b.String())
		delete(r.kept, key)
	}
}

func (r *report) handle(e event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	pkg := e.Package
	switch e.Action {
	case "build-output":
		r.printf("%s", e.Output)
		return
	case "build-fail":
		return // the package's own fail event follows
	}
	if e.Test == "" {
		switch e.Action {
		case "start":
			r.started[pkg] = e.Time
			r.printf("=== %s\n", pkg)
		case "output":
			r.keep(pkg+"\x00", e.Output)
		case "pass":
			r.printf("ok  \t%s\t%.3fs\n", pkg, e.Elapsed)
			r.forget(pkg)
		case "skip":
			r.printf("?   \t%s\t[no test files]\n", pkg)
			r.forget(pkg)
		case "fail":
			// A package that failed outside a test (a panic, a timeout,
			// TestMain) has its story in the package output, and in the
			// output of the tests it cut off.
			for key := range r.kept {
				if strings.HasPrefix(key, pkg+"\x00") && key != pkg+"\x00" {
					r.flush(key)
				}
			}
			r.flush(pkg + "\x00")
			r.printf("FAIL\t%s\t%.3fs\n", pkg, e.Elapsed)
			r.failedPkgs = append(r.failedPkgs, pkg)
			r.forget(pkg)
		}
		return
	}
	top := topLevel(e.Test)
	key := pkg + "\x00" + top
	switch e.Action {
	case "run":
		if e.Test == top {
			r.running[key] = e.Time
		}
	case "output":
		r.keep(key, e.Output)
	case "pass", "skip", "fail":
		if e.Test != top {
			return // a subtest: its output stays with its top-level test
		}
		delete(r.running, key)
		switch e.Action {
		case "pass":
			r.passed++
			r.printf("    pass %s %s (%.2fs)\n", short(pkg), top, e.Elapsed)
			delete(r.kept, key)
		case "skip":
			r.skipped++
			r.printf("    skip %s %s\n", short(pkg), top)
			delete(r.kept, key)
		case "fail":
			r.failed++
			r.failures = append(r.failures, pkg+" "+top)
			r.printf("--- FAIL %s %s (%.2fs), its output:\n", short(pkg), top, e.Elapsed)
			r.flush(key)
		}
	}
}

// forget drops what is kept of a finished package.
func (r *report) forget(pkg string) {
	for key := range r.kept {
		if strings.HasPrefix(key, pkg+"\x00") {
			delete(r.kept, key)
		}
	}
	for key := range r.running {
		if strings.HasPrefix(key, pkg+"\x00") {
			delete(r.running, key)
		}
	}
	delete(r.started, pkg)
}

// short is a package path without the module path of this repository.
func short(pkg string) string {
	const module = "github.com/gatehouse-dev/gatehouse"
	if s, ok := strings.CutPrefix(pkg, module+"/"); ok {
		return s
	}
	if pkg == module {
		return "."
	}
	return pkg
}

func (r *report) printf(format string, args ...any) {
	fmt.Fprintf(r.out, format, args...)
	r.last = r.now()
}

// remind says what is still running whenever nothing was printed for
// quiet; the returned func stops it.
func (r *report) remind(quiet time.Duration) (stop func()) {
	if quiet <= 0 {
		return func() {}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(quiet / 4)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				r.mu.Lock()
				if r.now().Sub(r.last) >= quiet {
					r.stillRunning()
				}
				r.mu.Unlock()
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

// stillRunning prints the running packages and top-level tests.
func (r *report) stillRunning() {
	now := r.now()
	var parts []string
	for key, start := range r.running {
		pkg, test, _ := strings.Cut(key, "\x00")
		parts = append(parts, fmt.Sprintf("%s %s (%.0fs)", short(pkg), test, now.Sub(start).Seconds()))
	}
	if len(parts) == 0 {
		for pkg, start := range r.started {
			parts = append(parts, fmt.Sprintf("%s (%.0fs)", short(pkg), now.Sub(start).Seconds()))
		}
	}
	if len(parts) == 0 {
		return
	}
	sort.Strings(parts)
	r.printf("    ... still running: %s\n", strings.Join(parts, ", "))
}

// summary prints the failures again and the closing count.
func (r *report) summary() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.failures) > 0 || len(r.failedPkgs) > 0 {
		r.printf("\nFailed:\n")
		for _, f := range r.failures {
			r.printf("  %s\n", f)
		}
		for _, p := range r.failedPkgs {
			r.printf("  %s (package)\n", p)
		}
	}
	r.printf("%d passed, %d failed, %d skipped\n", r.passed, r.failed, r.skipped)
}
