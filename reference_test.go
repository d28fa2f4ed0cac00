package gatehouse_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestReferenceCitations: every "aws-reference §N" a comment or a page
// cites names a section of docs/reference/aws-reference.md, the AWS
// behaviour the code reproduces, with its sources.
func TestReferenceCitations(t *testing.T) {
	ref, err := os.ReadFile("docs/reference/aws-reference.md")
	if err != nil {
		t.Fatal(err)
	}
	sections := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^#{2,4} (\d+(?:\.\d+)*)[. ]`).FindAllStringSubmatch(string(ref), -1) {
		sections[m[1]] = true
	}
	if len(sections) < 30 {
		t.Fatalf("only %d numbered sections in the reference", len(sections))
	}
	cite := regexp.MustCompile(`aws-reference(?:\.md)?,? (?:§|section )(\d+(?:\.\d+)*)`)
	n := 0
	err = filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") && path != "." || d.Name() == "reference" || d.Name() == "gatehouse-data") {
			return filepath.SkipDir
		}
		if !strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, ".md") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range cite.FindAllStringSubmatch(string(data), -1) {
			n++
			if !sections[strings.TrimSuffix(m[1], ".")] {
				t.Errorf("%s cites aws-reference §%s, which docs/reference/aws-reference.md does not have", path, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 40 {
		t.Errorf("found only %d citations; the pattern no longer matches how the code cites the reference", n)
	}
}

// TestCommentsCiteExistingFiles: a Go comment that names a file of this
// repository by its path (api/server.go, docs/root-tasks.md,
// store/sqlite/migrations/...) names one that exists, so that moving
// code cannot leave a reader looking for a file that is gone. Paths are
// recognised by their first directory being one of the repository's
// top-level directories (or the team's shared docs, which readers of
// the repository do not have: docs/reference holds the copies).
func TestCommentsCiteExistingFiles(t *testing.T) {
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	var tops []string
	for _, e := range entries {
		if e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
			tops = append(tops, regexp.QuoteMeta(e.Name()))
		}
	}
	tops = append(tops, "shared")
	path := regexp.MustCompile(`(?:^|[\s(\x60"'])(?:\.\./)?((?:` + strings.Join(tops, "|") + `)/[\w./-]*\.(?:go|md|json|sql|sh|zip|txt))\b`)
	n := 0
	err = filepath.WalkDir(".", func(file string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") && file != "." || d.Name() == "testdata" || d.Name() == "gatehouse-data") {
			return filepath.SkipDir
		}
		if !strings.HasSuffix(file, ".go") {
			return nil
		}
		data, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(data), "\n") {
			_, comment, ok := strings.Cut(line, "//")
			if !ok {
				continue
			}
			for _, m := range path.FindAllStringSubmatch(" "+comment, -1) {
				n++
				_, err := os.Stat(m[1])
				if err != nil { // relative to the citing package
					_, err = os.Stat(filepath.Join(filepath.Dir(file), m[1]))
				}
				if err != nil {
					t.Errorf("%s:%d cites %s, which is not in the repository", file, i+1, m[1])
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 30 {
		t.Errorf("only %d file citations found: the pattern is broken", n)
	}
}
