package main

import (
	"context"
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse"
)

// newDataDir returns a data directory with an empty store, as gatehouse
// serve creates it.
func newDataDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	st, err := (&storeConfig{dataDir: dir, create: true}).open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestAccountSetBillingPermissions(t *testing.T) {
	dir := newDataDir(t)
	const id = "333333333333"
	if code, _, errOut := runCLI(t, "", "account", "create", "--data", dir, "--email", "r@example.com", "--id", id,
		"--created-at", "2023-01-01T00:00:00Z"); code != 0 {
		t.Fatalf("account create: %d %s", code, errOut)
	}
	stored := func() string {
		t.Helper()
		st, err := (&storeConfig{dataDir: dir}).open(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		var a *gatehouse.Account
		if err := st.View(context.Background(), func(tx gatehouse.Tx) error {
			var err error
			a, err = tx.Account(id)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return a.BillingPermissions
	}
	if got := stored(); got != "" {
		t.Fatalf("new account: BillingPermissions %q, want \"\" (auto)", got)
	}
	for _, tc := range []struct {
		name       string
		args       []string
		code       int
		stored     string // want BillingPermissions after the command
		out, error string // substrings of stdout, stderr
	}{
		{"legacy", []string{"--id", id, "--billing-permissions", "legacy"}, exitOK, "legacy", "billing permissions:    legacy (in force: legacy)", ""},
		{"fine-grained", []string{"--id", id, "--billing-permissions", "fine-grained"}, exitOK, "fine-grained", "fine-grained (in force: fine-grained)", ""},
		// Created before 2023-03-06 and now after the July 2023 cut-over.
		{"auto", []string{"--id", id, "--billing-permissions", "auto"}, exitOK, "", "auto (in force: fine-grained)", ""},
		{"legacy again", []string{"--billing-permissions", "legacy", "--id", id}, exitOK, "legacy", "in force: legacy", ""},
		{"bad model", []string{"--id", id, "--billing-permissions", "aws-portal"}, exitUsage, "legacy", "", `"aws-portal" is not legacy, fine-grained or auto`},
		{"no id", []string{"--billing-permissions", "auto"}, exitUsage, "legacy", "", "--id is required"},
		{"nothing to set", []string{"--id", id}, exitUsage, "legacy", "", "nothing to set"},
		{"extra argument", []string{"--id", id, "--billing-permissions", "auto", "extra"}, exitUsage, "legacy", "", "--id is required"},
		{"unknown account", []string{"--id", "999999999999", "--billing-permissions", "auto"}, 1, "legacy", "", "999999999999"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"account", "set", "--data", dir}, tc.args...)
			code, out, errOut := runCLI(t, "", args...)
			if code != tc.code {
				t.Fatalf("%v: exit %d, want %d; stderr %s", args, code, tc.code, errOut)
			}
			if !strings.Contains(out, tc.out) || !strings.Contains(errOut, tc.error) {
				t.Errorf("%v: stdout %q (want %q), stderr %q (want %q)", args, out, tc.out, errOut, tc.error)
			}
			if got := stored(); got != tc.stored {
				t.Errorf("%v: BillingPermissions %q, want %q", args, got, tc.stored)
			}
		})
	}
}
