package e2e

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The docs tests run every shell example of README.md and docs/*.md, as
// written, against a fresh server, and compare the output each example
// shows with what the commands print.
//
// How a page is read:
//   - A fenced block tagged sh, bash or shell is a script: its commands
//     run in order and each must succeed; what they print is not compared.
//   - A block tagged console, or an untagged block whose first line starts
//     with "$ ", is a terminal session: each "$ " line is a command (a
//     line ending in "\" continues it, on a line that may start with the
//     shell's "> "), and the lines up to the next
//     command are what it must print, stdout and stderr together.
//   - Other blocks (json, python, text, untagged without "$ ") are not run.
//   - <!-- docs-test: skip: REASON --> on the line before a block skips it
//     (make run and make test themselves); the reason is required.
//   - <!-- docs-test: setup ... --> runs the shell lines it holds at that
//     point without showing them (none is needed today; kept for pages
//     whose state cannot be built by the commands they show).
//
// How a page runs: in one bash session (so exports, aliases and eval carry over),
// in a directory that looks like the checkout (its files, less bin and
// gatehouse-data), where a fresh "gatehouse serve" started with no flags
// keeps its data (127.0.0.1:4590, ./gatehouse-data), with HOME empty and no
// AWS_* variable set. The server is the known server of the README: account
// 123456789012, root user root@example.com, and the root credentials below,
// which commands name with the placeholders <root-password>,
// <root-access-key-id> and <root-secret-access-key>, as a reader types
// what the first start printed. README.md runs once with each aws CLI and
// boto3 that make test installs.
//
// How output compares: trailing blanks and runs of inner blanks do not
// count; timestamps, access key IDs, unique IDs and UUIDs compare by their
// shape; "..." in a line stands for any text, and a line that is only
// "..." for any number of lines.

// The known server the docs pages run against.
const (
	docsAccount   = "123456789012"
	docsEmail     = "root@example.com"
	docsPassword  = "docs-Root-Passw0rd-4Kz"
	docsKeyID     = "AKIADOCSROOTKEY00001"
	docsSecret    = "docsRootSecretFixed/4Pq+HxWn3Lk8Pm2Rt5Yb"
	docsAddr      = "127.0.0.1:4590"
	docsPageLimit = 4 * time.Minute
)

// docsPlaceholders are what the pages write where a reader puts what the
// first start printed.
var docsPlaceholders = strings.NewReplacer(
	"<root-password>", docsPassword,
	"<root-access-key-id>", docsKeyID,
	"<root-secret-access-key>", docsSecret,
)

// docStep is one thing a page runs: a script block or one session command.
type docStep struct {
	line    int    // where it starts in the page
	kind    string // "script", "command" or "setup"
	code    string // the shell text
	want    []string
	compare bool // a session command: its output is compared
}

// docPage is one Markdown file's steps.
type docPage struct {
	path  string
	steps []docStep
}

var (
	fenceOpen   = regexp.MustCompile("^```([A-Za-z0-9_-]*)\\s*$")
	skipMarker  = regexp.MustCompile(`^<!-- docs-test: skip: (\S.*) -->$`)
	setupMarker = regexp.MustCompile(`^<!-- docs-test: setup$`)
	// unfenced catches the indented code blocks a page must fence.
	unfenced = regexp.MustCompile(`^ {4}(\$ |aws |gatehouse |curl |make )`)
)

// parseDocPage reads a page's steps.
func parseDocPage(path string) (docPage, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return docPage{}, err
	}
	lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	page := docPage{path: path}
	prevBlank := true
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if setupMarker.MatchString(line) {
			start := i
			var code []string
			for i++; i < len(lines) && lines[i] != "-->"; i++ {
				code = append(code, lines[i])
			}
			if i == len(lines) {
				return page, fmt.Errorf("%s:%d: docs-test setup without -->", path, start+1)
			}
			page.steps = append(page.steps, docStep{line: start + 1, kind: "setup", code: strings.Join(code, "\n")})
			continue
		}
		m := fenceOpen.FindStringSubmatch(line)
		if m == nil {
			if prevBlank && unfenced.MatchString(line) {
				return page, fmt.Errorf("%s:%d: an indented shell example; fence it as ```sh or ```console so the docs tests run it", path, i+1)
			}
			prevBlank = strings.TrimSpace(line) == ""
			continue
		}
		lang, start := m[1], i
		var body []string
		for i++; i < len(lines) && strings.TrimSpace(lines[i]) != "```"; i++ {
			body = append(body, lines[i])
		}
		if i == len(lines) {
			return page, fmt.Errorf("%s:%d: unclosed code block", path, start+1)
		}
		prevBlank = true
		skipped := start > 0 && skipMarker.MatchString(lines[start-1])
		if strings.HasPrefix(lines[max(start-1, 0)], "<!-- docs-test: skip") && !skipped {
			return page, fmt.Errorf("%s:%d: write <!-- docs-test: skip: REASON -->", path, start)
		}
		session := lang == "console" || lang == "" && len(body) > 0 && strings.HasPrefix(body[0], "$ ")
		switch {
		case skipped:
		case lang == "sh" || lang == "bash" || lang == "shell":
			page.steps = append(page.steps, docStep{line: start + 2, kind: "script", code: strings.Join(body, "\n")})
		case session:
			steps, err := parseSession(path, start+2, body)
			if err != nil {
				return page, err
			}
			page.steps = append(page.steps, steps...)
		}
	}
	return page, nil
}

// parseSession splits a console block into commands and their output.
func parseSession(path string, first int, body []string) ([]docStep, error) {
	var steps []docStep
	for j := 0; j < len(body); j++ {
		line := body[j]
		if !strings.HasPrefix(line, "$ ") {
			if len(steps) == 0 {
				return nil, fmt.Errorf("%s:%d: a console block must start with a \"$ \" command", path, first+j)
			}
			steps[len(steps)-1].want = append(steps[len(steps)-1].want, line)
			continue
		}
		st := docStep{line: first + j, kind: "command", compare: true}
		cmd := strings.TrimPrefix(line, "$ ")
		for strings.HasSuffix(cmd, "\\") && j+1 < len(body) {
			j++
			cmd += "\n" + strings.TrimPrefix(body[j], "> ") // the shell's PS2
		}
		st.code = cmd
		steps = append(steps, st)
	}
	return steps, nil
}

// Shapes that differ from run to run and compare by their shape.
var volatile = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)`), "<time>"},
	{regexp.MustCompile(`\b(AKIA|ASIA)[A-Z0-9]{16}\b`), "$1<key>"},
	{regexp.MustCompile(`\bA(IDA|ROA|GPA|NPA|NPA|NCA)[A-Z0-9]{17}\b`), "A$1<id>"},
	{regexp.MustCompile(`\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b`), "<uuid>"},
}

var innerBlanks = regexp.MustCompile(`(\S)[ \t]{2,}`)

// normalizeOutput makes output comparable: shapes for volatile values,
// no trailing blanks, one blank between words.
func normalizeOutput(lines []string) []string {
	out := make([]string, 0, len(lines))
	for _, l := range lines {
		l = strings.TrimRight(l, " \t\r")
		for _, v := range volatile {
			l = v.re.ReplaceAllString(l, v.with)
		}
		out = append(out, innerBlanks.ReplaceAllString(l, "$1 "))
	}
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return out
}

// outputPattern is the regular expression the shown output stands for.
func outputPattern(want []string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString(`\A`)
	for _, l := range normalizeOutput(want) {
		if l == "..." {
			b.WriteString(`(?:[^\n]*\n)*?`)
			continue
		}
		parts := strings.Split(l, "...")
		for i, p := range parts {
			if i > 0 {
				b.WriteString(`[^\n]*?`)
			}
			b.WriteString(regexp.QuoteMeta(p))
		}
		b.WriteString(`\n`)
	}
	b.WriteString(`\z`)
	return regexp.MustCompile(b.String())
}

// matchOutput reports whether got is what want shows.
func matchOutput(want []string, got string) bool {
	lines := normalizeOutput(strings.Split(got, "\n"))
	text := strings.Join(lines, "\n")
	if len(lines) > 0 {
		text += "\n"
	}
	return outputPattern(want).MatchString(text)
}

// docsClients are the client sets a page that uses them runs with: each
// aws CLI and boto3 that make test installs.
type docsClients struct {
	name   string
	aws    string // the aws command
	python string // a python3 with boto3
}

func findDocsClients(t *testing.T) []docsClients {
	t.Helper()
	v1, err := exec.LookPath("aws")
	if err != nil {
		t.Fatalf("the aws CLI is not on PATH; %s", installHint)
	}
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Fatalf("python3 is not on PATH")
	}
	sets := []docsClients{{name: "path", aws: unshim("aws", v1), python: unshim("python3", py)}}
	if _, err := os.Stat(awsV2Path); err != nil {
		t.Fatalf("aws CLI v2 is not at %s; %s", awsV2Path, installHint)
	}
	debianPy := "/usr/bin/python3"
	if out, err := exec.Command(debianPy, "-c", "import boto3").CombinedOutput(); err != nil {
		t.Fatalf("%s has no boto3 (%v: %s); %s", debianPy, err, out, installHint)
	}
	if v1 != awsV2Path || py != debianPy {
		sets = append(sets, docsClients{name: "debian", aws: awsV2Path, python: debianPy})
	}
	return sets
}

// unshim returns the executable a pyenv shim at path runs, so that a
// page's commands do not pay the shim's second or so per call; any other
// path is returned as it is.
func unshim(name, path string) string {
	if filepath.Base(filepath.Dir(path)) != "shims" {
		return path
	}
	out, err := exec.Command("pyenv", "which", name).Output()
	if real := strings.TrimSpace(string(out)); err == nil && filepath.IsAbs(real) {
		return real
	}
	return path
}

// TestDocs runs every page's shell examples (see the top of this file).
func TestDocs(t *testing.T) {
	root := ".."
	paths, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(paths)
	paths = append([]string{filepath.Join(root, "README.md")}, paths...)
	clients := findDocsClients(t)
	for _, path := range paths {
		page, err := parseDocPage(path)
		if err != nil {
			// A page that cannot be read fails its own test, so that
			// -run selects it with the page's name.
			t.Run(filepath.Base(path), func(t *testing.T) { t.Error(err) })
			continue
		}
		sets := clients[:1]
		if filepath.Base(path) == "README.md" {
			sets = clients
		}
		for _, cs := range sets {
			name := filepath.Base(path)
			if len(sets) > 1 {
				name += "/" + cs.name
			}
			t.Run(name, func(t *testing.T) { runDocPage(t, page, cs) })
		}
	}
}

// runDocPage runs one page against a fresh server.
func runDocPage(t *testing.T, page docPage, cs docsClients) {
	if len(page.steps) == 0 {
		return
	}
	dir := t.TempDir()
	work, home, bin, out := filepath.Join(dir, "work"), filepath.Join(dir, "home"), filepath.Join(dir, "bin"), filepath.Join(dir, "out")
	for _, d := range []string{work, home, bin, out} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// The page's commands find gatehouse, and this client set's aws and
	// python3, first on PATH.
	for name, target := range map[string]string{"gatehouse": gatehouseBin, "aws": cs.aws, "python3": cs.python} {
		if err := os.Symlink(target, filepath.Join(bin, name)); err != nil {
			t.Fatal(err)
		}
	}
	// The directory looks like a checkout (pages name docs/examples and
	// policy/testdata), less what a server or build writes there.
	entries, err := os.ReadDir("..")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if n := e.Name(); n != "gatehouse-data" && n != "bin" && !strings.HasPrefix(n, ".") {
			if err := os.Symlink(mustAbs(t, filepath.Join("..", n)), filepath.Join(work, n)); err != nil {
				t.Fatal(err)
			}
		}
	}
	env := []string{"HOME=" + home, "PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH"), "LANG=C.UTF-8", "TERM=dumb"}
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if k == "HOME" || k == "PATH" || k == "LANG" || k == "TERM" || strings.HasPrefix(k, "AWS_") || strings.HasPrefix(k, "GATEHOUSE_") || strings.HasPrefix(k, "LC_") {
			continue
		}
		env = append(env, kv)
	}
	stop := startDocsServer(t, work, env)
	defer stop()

	var script strings.Builder
	// $? carries from one shown command to the next, so "echo $?" shows
	// the exit status of the command before it.
	// Aliases expand, as at a terminal.
	script.WriteString("exec </dev/null\nshopt -s expand_aliases\n__docs_rc=0\n")
	for i, st := range page.steps {
		code := docsPlaceholders.Replace(st.code)
		o := filepath.Join(out, strconv.Itoa(i))
		switch st.kind {
		case "command", "setup":
			fmt.Fprintf(&script, "(exit $__docs_rc)\n{\n%s\n} >%s 2>&1\n__docs_rc=$?\necho $__docs_rc >%s.rc\n", code, o, o)
		case "script":
			fmt.Fprintf(&script, "{\nset -o errtrace\ntrap 'echo \"docs: exit $? from: $BASH_COMMAND\" >&2; touch %s.failed' ERR\n%s\ntrap - ERR\n} >%s 2>&1\n", o, code, o)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), docsPageLimit)
	defer cancel()
	scriptPath := filepath.Join(dir, "page.sh")
	if err := os.WriteFile(scriptPath, []byte(script.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(ctx, "bash", "--noprofile", "--norc", scriptPath)
	cmd.Dir, cmd.Env = work, env
	if b, err := cmd.CombinedOutput(); err != nil && ctx.Err() != nil {
		t.Fatalf("%s did not finish within %v: %v\n%s", page.path, docsPageLimit, err, b)
	}
	failures := 0
	for i, st := range page.steps {
		o := filepath.Join(out, strconv.Itoa(i))
		got, err := os.ReadFile(o)
		if err != nil {
			t.Errorf("%s:%d: never ran (an earlier command ended the shell?)", page.path, st.line)
			break
		}
		switch {
		case st.kind == "script":
			if _, err := os.Stat(o + ".failed"); err == nil {
				t.Errorf("%s:%d: a command of this block failed:\n%s\n--- output:\n%s", page.path, st.line, st.code, got)
				failures++
			}
		case st.kind == "setup":
			if rc, _ := os.ReadFile(o + ".rc"); strings.TrimSpace(string(rc)) != "0" {
				t.Errorf("%s:%d: docs-test setup failed (exit %s):\n%s", page.path, st.line, strings.TrimSpace(string(rc)), got)
				failures++
			}
		case st.compare && !matchOutput(st.want, string(got)):
			t.Errorf("%s:%d: $ %s\n--- the page shows:\n%s\n--- the command printed:\n%s", page.path, st.line, st.code, strings.Join(st.want, "\n"), got)
			failures++
		}
		if failures >= 5 {
			t.Errorf("%s: stopping after %d differences", page.path, failures)
			break
		}
	}
}

func mustAbs(t *testing.T, p string) string {
	t.Helper()
	a, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// startDocsServer starts "gatehouse serve" with no flags in dir, as the
// README's known server, and returns its stop function.
func startDocsServer(t *testing.T, dir string, env []string) func() {
	t.Helper()
	// The port may be taken by another checkout's docs tests for a while.
	for wait := time.Now().Add(3 * time.Minute); ; time.Sleep(time.Second) {
		ln, err := net.Listen("tcp", docsAddr)
		if err == nil {
			ln.Close()
			break
		}
		if time.Now().After(wait) {
			t.Fatalf("the docs tests serve on %s, as the docs do, and something has listened there for 3 minutes (a make run?): %v", docsAddr, err)
		}
	}
	cmd := exec.Command(gatehouseBin, "serve")
	cmd.Dir = dir
	cmd.Env = append(env[:len(env):len(env)],
		"GATEHOUSE_ACCOUNT_ID="+docsAccount, "GATEHOUSE_ROOT_EMAIL="+docsEmail, "GATEHOUSE_ROOT_PASSWORD="+docsPassword,
		"GATEHOUSE_ROOT_ACCESS_KEY_ID="+docsKeyID, "GATEHOUSE_ROOT_SECRET_ACCESS_KEY="+docsSecret)
	logs := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	stop := func() {
		cmd.Process.Signal(os.Interrupt)
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-done
		}
		if t.Failed() {
			t.Logf("server log (tail):\n%s", tail(logs.String(), 3000))
		}
	}
	client := &http.Client{Timeout: time.Second}
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		select {
		case <-done:
			t.Fatalf("gatehouse serve exited: %s", logs)
		default:
		}
		if resp, err := client.Get("http://" + docsAddr + "/_gatehouse/health"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return stop
			}
		}
	}
	stop()
	t.Fatalf("gatehouse serve not healthy on %s", docsAddr)
	return nil
}

// TestOutputPattern pins the comparison rules the docs tests use.
func TestOutputPattern(t *testing.T) {
	tests := []struct {
		want []string
		got  string
		ok   bool
	}{
		{[]string{"a", "b"}, "a\nb\n", true},
		{[]string{"a", "b"}, "a\nc\n", false},
		{[]string{"a"}, "a\nextra\n", false},
		{[]string{"a", "..."}, "a\nx\ny\n", true},
		{[]string{"...", "z"}, "x\ny\nz\n", true},
		{[]string{"key: ..."}, "key: anything at all\n", true},
		{[]string{"key: ..."}, "other: x\n", false},
		{[]string{`"CreateDate": "2026-01-01T00:00:00Z"`}, `"CreateDate": "2031-05-06T07:08:09Z"` + "\n", true},
		{[]string{"AKIAAAAAAAAAAAAAAAAA"}, "AKIAZZZZZZZZZZZZZZZZ\n", true},
		{[]string{"AKIAAAAAAAAAAAAAAAAA"}, "ASIAZZZZZZZZZZZZZZZZ\n", false},
		{[]string{"ID   NAME"}, "ID NAME   \n\n", true},
		{[]string{"a.b"}, "axb\n", false},
		{nil, "", true},
		{nil, "x\n", false},
	}
	for _, tc := range tests {
		if got := matchOutput(tc.want, tc.got); got != tc.ok {
			t.Errorf("matchOutput(%q, %q) = %t, want %t", tc.want, tc.got, got, tc.ok)
		}
	}
}

// TestParseDocPage pins how a page is read.
func TestParseDocPage(t *testing.T) {
	page := "intro\n\n```sh\nexport A=1\n```\n\n```console\n$ echo $A \\\n>   two\n1 two\n$ true\n```\n\n" +
		"<!-- docs-test: skip: it is make run -->\n```sh\nmake run\n```\n\n```json\n{}\n```\n\n```\n$ echo x\nx\n```\n" +
		"<!-- docs-test: setup\nexport B=2\n-->\n"
	path := filepath.Join(t.TempDir(), "p.md")
	os.WriteFile(path, []byte(page), 0o644)
	p, err := parseDocPage(path)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, s := range p.steps {
		kinds = append(kinds, s.kind+":"+strings.ReplaceAll(s.code, "\n", "|")+"="+strings.Join(s.want, "|"))
	}
	want := []string{"script:export A=1=", "command:echo $A \\|  two=1 two", "command:true=", "command:echo x=x", "setup:export B=2="}
	if strings.Join(kinds, ",") != strings.Join(want, ",") {
		t.Errorf("steps\n%q\nwant\n%q", kinds, want)
	}
	for _, bad := range []string{"```sh\nx\n", "text\n\n    gatehouse serve\n", "```console\nno prompt\n```\n", "<!-- docs-test: skip -->\n```sh\nx\n```\n"} {
		os.WriteFile(path, []byte(bad), 0o644)
		if _, err := parseDocPage(path); err == nil {
			t.Errorf("page %q: no error", bad)
		}
	}
}

// TestUnshim pins that only a pyenv shim is replaced, and only by what
// pyenv names.
func TestUnshim(t *testing.T) {
	if got := unshim("aws", "/usr/bin/aws"); got != "/usr/bin/aws" {
		t.Errorf("unshim of a plain path = %q", got)
	}
	t.Setenv("PATH", t.TempDir()) // no pyenv to ask
	if got := unshim("aws", "/opt/pyenv/shims/aws"); got != "/opt/pyenv/shims/aws" {
		t.Errorf("unshim without pyenv = %q", got)
	}
}
