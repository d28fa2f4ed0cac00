package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"
)

// TestReadPasswordsNotATerminal: when stdin is not a terminal (a reader,
// a pipe), passwords are read one a line, with no prompt.
func TestReadPasswordsNotATerminal(t *testing.T) {
	pipe := func(s string) *os.File {
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { r.Close() })
		go func() { w.WriteString(s); w.Close() }()
		return r
	}
	for _, tc := range []struct {
		name  string
		stdin func(string) io.Reader
	}{
		{"reader", func(s string) io.Reader { return strings.NewReader(s) }},
		{"pipe", func(s string) io.Reader { return pipe(s) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stderr bytes.Buffer
			got, err := readPasswords(tc.stdin("old pw\r\nnew pw\nextra\n"), &stderr, "Current: ", "New: ")
			if err != nil || !reflect.DeepEqual(got, []string{"old pw", "new pw"}) {
				t.Errorf("two lines: %q, %v", got, err)
			}
			got, err = readPasswords(tc.stdin("\n"), &stderr, "Root password: ")
			if err != nil || !reflect.DeepEqual(got, []string{""}) {
				t.Errorf("an empty line: %q, %v", got, err)
			}
			if _, err := readPasswords(tc.stdin("only one\n"), &stderr, "Current: ", "New: "); !errors.Is(err, errShortInput) {
				t.Errorf("one line for two passwords: %v", err)
			}
			if stderr.Len() != 0 {
				t.Errorf("prompted although stdin is not a terminal: %q", stderr.String())
			}
		})
	}
}
