package iam_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/iam"
)

func TestCredentialReport(t *testing.T) {
	env := newPasswordEnv(t) // account acct with user pat
	ctx := context.Background()
	if _, err := env.svc.CredentialReport(ctx, acct); gatehouse.ErrorCode(err) != gatehouse.CodeReportNotPresent {
		t.Fatalf("before any report: %v", err)
	}
	if err := env.svc.UpdatePasswordPolicy(ctx, acct, iam.PasswordPolicyInput{MaxPasswordAge: intp(10)}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.svc.CreateLoginProfile(ctx, acct, "pat", "a-Passw0rd", false); err != nil {
		t.Fatal(err)
	}
	if _, err := env.svc.CreateAccessKey(ctx, acct, "pat"); err != nil {
		t.Fatal(err)
	}
	state, desc, err := env.svc.GenerateCredentialReport(ctx, acct)
	if err != nil || state != iam.ReportStarted || desc == "" {
		t.Fatalf("first generate: %s %q %v", state, desc, err)
	}
	r, err := env.svc.CredentialReport(ctx, acct)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(r.Content)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || len(rows[0]) != 22 || rows[1][0] != "<root_account>" || rows[2][0] != "pat" {
		t.Fatalf("report rows: %q", rows)
	}
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	pat := rows[2]
	for name, want := range map[string]string{
		"password_enabled":          "true",
		"password_last_changed":     "2026-01-01T00:00:00+00:00",
		"password_next_rotation":    "2026-01-11T00:00:00+00:00",
		"mfa_active":                "false",
		"access_key_1_active":       "true",
		"access_key_2_active":       "false",
		"access_key_2_last_rotated": "N/A",
	} {
		if got := pat[col[name]]; got != want {
			t.Errorf("pat %s = %q, want %q", name, got, want)
		}
	}
	if got := rows[1][col["password_enabled"]]; got != "not_supported" {
		t.Errorf("root password_enabled = %q", got)
	}
	// Within four hours the report stands; after them it has expired and
	// a new one is made.
	*env.now = env.now.Add(time.Hour)
	if state, _, _ := env.svc.GenerateCredentialReport(ctx, acct); state != iam.ReportComplete {
		t.Errorf("generate within four hours: %s", state)
	}
	*env.now = env.now.Add(3 * time.Hour)
	if _, err := env.svc.CredentialReport(ctx, acct); gatehouse.ErrorCode(err) != gatehouse.CodeReportExpired {
		t.Errorf("after four hours: %v", err)
	}
	if state, _, _ := env.svc.GenerateCredentialReport(ctx, acct); state != iam.ReportStarted {
		t.Errorf("generate after four hours: %s", state)
	}
	if r2, err := env.svc.CredentialReport(ctx, acct); err != nil || !r2.GeneratedAt.After(r.GeneratedAt) {
		t.Errorf("new report: %v %v", r2, err)
	}
}
