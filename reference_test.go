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
