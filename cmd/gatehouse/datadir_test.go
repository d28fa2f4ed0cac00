package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDataCommandsNeedAStore: every command with --data but serve works
// on an existing store. Given a directory that holds none (missing,
// empty, or the default ./gatehouse-data), it fails naming the directory
// and creates nothing.
func TestDataCommandsNeedAStore(t *testing.T) {
	invoices := filepath.Join(t.TempDir(), "invoices.json")
	if err := os.WriteFile(invoices, []byte("[]"), 0o600); err != nil {
		t.Fatal(err)
	}
	commands := map[string][]string{
		"account create":           {"account", "create", "--email", "ops@example.com"},
		"account list":             {"account", "list"},
		"account set":              {"account", "set", "--id", "123456789012", "--billing-permissions", "auto"},
		"outbox list":              {"outbox", "list"},
		"audit list":               {"audit", "list"},
		"support fulfill":          {"support", "fulfill", "--case", "case-1"},
		"root reset-credentials":   {"root", "reset-credentials", "--account", "123456789012"},
		"billing import":           {"billing", "import", "--account", "123456789012", invoices},
		"billing migrate-policies": {"billing", "migrate-policies"},
	}
	for name, args := range commands {
		t.Run(name, func(t *testing.T) {
			check := func(t *testing.T, args []string, dir string) {
				t.Helper()
				code, out, errOut := runCLI(t, "", args...)
				want := "gatehouse " + name + ": no Gatehouse data directory at " + dir + " (start one with gatehouse serve --data DIR)"
				if code != 1 || out != "" || !strings.Contains(errOut, want) {
					t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 1 and %q", args, code, out, errOut, want)
				}
			}
			t.Run("missing", func(t *testing.T) {
				dir := filepath.Join(t.TempDir(), "gatehouse-data")
				check(t, append(args, "--data", dir), dir)
				if _, err := os.Lstat(dir); !os.IsNotExist(err) {
					t.Errorf("%s exists after the command (%v)", dir, err)
				}
			})
			t.Run("empty", func(t *testing.T) {
				dir := t.TempDir()
				check(t, append(args, "--data", dir), dir)
				if entries, _ := os.ReadDir(dir); len(entries) != 0 {
					t.Errorf("%s holds %v after the command", dir, entries)
				}
			})
			t.Run("default", func(t *testing.T) {
				wd := t.TempDir()
				t.Chdir(wd)
				// t.TempDir may be under a symbolic link: name it as
				// the command sees it.
				cwd, err := os.Getwd()
				if err != nil {
					t.Fatal(err)
				}
				check(t, args, filepath.Join(cwd, "gatehouse-data"))
				if entries, _ := os.ReadDir(wd); len(entries) != 0 {
					t.Errorf("%s holds %v after the command", wd, entries)
				}
			})
		})
	}
}

// TestDataCommandsNeedTheKey: a store whose secret.key is missing is
// refused, not given a new key (which would make its secrets unreadable).
func TestDataCommandsNeedTheKey(t *testing.T) {
	dir := newDataDir(t)
	if err := os.Remove(filepath.Join(dir, keyFile)); err != nil {
		t.Fatal(err)
	}
	// serve too: it creates a store, never a key for an existing one.
	for _, args := range [][]string{{"account", "list"}, {"serve", "--addr", "127.0.0.1:0"}} {
		code, _, errOut := runCLI(t, "", append(args, "--data", dir)...)
		if code != 1 || !strings.Contains(errOut, dir) || !strings.Contains(errOut, "has no secret.key") {
			t.Errorf("%v: exit %d, stderr %q", args, code, errOut)
		}
		if _, err := os.Stat(filepath.Join(dir, keyFile)); !os.IsNotExist(err) {
			t.Errorf("%v: secret.key after the command: %v", args, err)
		}
	}
}
