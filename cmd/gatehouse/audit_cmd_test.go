package main

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse"
)

// auditBase is the time of the first seeded record.
var auditBase = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

// seedAuditDir writes four records to a new data directory and returns
// it: r1 (acct 111…, alice, allowed), r2 (acct 222…, root, denied),
// r3 (acct 111…, root, allowed), r4 (failed authentication), a minute
// apart.
func seedAuditDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	sc := storeConfig{dataDir: dir, create: true}
	st, err := sc.open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	recs := []*gatehouse.AuditRecord{
		{RequestID: "r1", AccountID: "111111111111", PrincipalARN: "arn:aws:iam::111111111111:user/alice",
			PrincipalType: gatehouse.PrincipalIAMUser, AccessKeyID: "AKIAALICE0000000", Service: "iam", Action: "ListUsers",
			Resource: "*", Decision: gatehouse.DecisionAllowed, SourceIP: "192.0.2.1", UserAgent: "aws-cli/2"},
		{RequestID: "r2", AccountID: "222222222222", PrincipalARN: "arn:aws:iam::222222222222:root",
			PrincipalType: gatehouse.PrincipalRoot, Root: true, AccessKeyID: "AKIAROOT00000000", Service: "sts", Action: "AssumeRole",
			ErrorCode: "AccessDenied", SourceIP: "192.0.2.2"},
		{RequestID: "r3", AccountID: "111111111111", PrincipalARN: "arn:aws:iam::111111111111:root",
			PrincipalType: gatehouse.PrincipalRoot, Root: true, AccessKeyID: "ASIAROOT11111111", SignIn: true, MFA: true, Service: "iam", Action: "CreateUser",
			Resource: "arn:aws:iam::111111111111:user/bob", Decision: gatehouse.DecisionAllowed, SourceIP: "192.0.2.1"},
		{RequestID: "r4", PrincipalType: gatehouse.PrincipalAnonymous, AccessKeyID: "AKIAUNKNOWN00000", Service: "iam",
			ErrorCode: "InvalidClientTokenId", SourceIP: "198.51.100.7"},
	}
	err = st.Update(context.Background(), func(tx gatehouse.Tx) error {
		for i, r := range recs {
			r.Time = auditBase.Add(time.Duration(i) * time.Minute)
			if err := tx.AppendAudit(r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestAuditListTable(t *testing.T) {
	dir := seedAuditDir(t)
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"audit", "list", "--data", dir}, nil, &stdout, &stderr); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	lines := strings.Split(strings.TrimRight(stdout.String(), "\n"), "\n")
	if len(lines) != 5 {
		t.Fatalf("%d lines, want a header and 4 records:\n%s", len(lines), stdout.String())
	}
	wantFields := [][]string{
		{"TIME", "ACCOUNT", "PRINCIPAL", "TYPE", "CREDENTIAL", "ACTION", "RESOURCE", "DECISION", "ERROR", "SOURCE", "IP"},
		{"2025-06-01T12:03:00Z", "-", "(AKIAUNKNOWN00000)", "Anonymous", "key", "iam", "-", "-", "InvalidClientTokenId", "198.51.100.7"},
		{"2025-06-01T12:02:00Z", "111111111111", "arn:aws:iam::111111111111:root", "ROOT", "sign-in+mfa", "iam:CreateUser",
			"arn:aws:iam::111111111111:user/bob", "allowed", "-", "192.0.2.1"},
		{"2025-06-01T12:01:00Z", "222222222222", "arn:aws:iam::222222222222:root", "ROOT", "key", "sts:AssumeRole", "-", "-",
			"AccessDenied", "192.0.2.2"},
		{"2025-06-01T12:00:00Z", "111111111111", "arn:aws:iam::111111111111:user/alice", "IAMUser", "key", "iam:ListUsers", "*",
			"allowed", "-", "192.0.2.1"},
	}
	for i, line := range lines {
		if got := strings.Fields(line); !slices.Equal(got, wantFields[i]) {
			t.Errorf("line %d:\n got  %q\n want %q", i, got, wantFields[i])
		}
	}
	// The columns line up: every record starts its ACTION column where
	// the header does.
	col := strings.Index(lines[0], "ACTION")
	for _, line := range lines[1:] {
		if len(line) <= col || line[col-1] != ' ' || line[col] == ' ' {
			t.Errorf("ACTION column not at byte %d in %q", col, line)
		}
	}
}

func TestAuditListFilters(t *testing.T) {
	dir := seedAuditDir(t)
	now := func() time.Time { return auditBase.Add(150 * time.Second) } // 2.5 minutes after r1
	for _, tc := range []struct {
		name string
		args []string
		want []string // request IDs, newest first
	}{
		{"All", nil, []string{"r4", "r3", "r2", "r1"}},
		{"Account", []string{"--account", "111111111111"}, []string{"r3", "r1"}},
		{"RootOnly", []string{"--root-only"}, []string{"r3", "r2"}},
		{"AccountRootOnly", []string{"--account", "222222222222", "--root-only"}, []string{"r2"}},
		{"SinceTime", []string{"--since", "2025-06-01T12:02:00Z"}, []string{"r4", "r3"}},
		{"SinceOffset", []string{"--since", "2025-06-01T14:01:00+02:00"}, []string{"r4", "r3", "r2"}},
		{"SinceDuration", []string{"--since", "1m"}, []string{"r4", "r3"}},
		{"Limit", []string{"--limit", "1"}, []string{"r4"}},
		{"LimitZeroIsAll", []string{"--limit", "0"}, []string{"r4", "r3", "r2", "r1"}},
		{"Nothing", []string{"--account", "999999999999"}, []string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			args := append([]string{"list", "--data", dir, "--json"}, tc.args...)
			if code := runAuditWithClock(args, now, &stdout, &stderr); code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr.String())
			}
			var recs []auditRecordJSON
			if err := json.Unmarshal(stdout.Bytes(), &recs); err != nil {
				t.Fatalf("output is not a JSON array: %v\n%s", err, stdout.String())
			}
			ids := []string{}
			for _, r := range recs {
				ids = append(ids, r.RequestID)
			}
			if !slices.Equal(ids, tc.want) {
				t.Errorf("request IDs %q, want %q", ids, tc.want)
			}
		})
	}
}

// runAuditWithClock runs `gatehouse audit` with a fixed clock.
func runAuditWithClock(args []string, now func() time.Time, stdout, stderr *bytes.Buffer) int {
	if len(args) > 0 && args[0] == "list" {
		return auditList(context.Background(), args[1:], now, stdout, stderr)
	}
	return runAudit(context.Background(), args, stdout, stderr)
}

func TestAuditListUsage(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"NoSubcommand", nil},
		{"UnknownSubcommand", []string{"tail"}},
		{"BadSince", []string{"list", "--data", dir, "--since", "yesterday"}},
		{"NegativeSince", []string{"list", "--data", dir, "--since", "-1h"}},
		{"NegativeLimit", []string{"list", "--data", dir, "--limit", "-1"}},
		{"UnknownFlag", []string{"list", "--data", dir, "--principal", "x"}},
		{"ExtraArgument", []string{"list", "--data", dir, "extra"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := runAuditWithClock(tc.args, time.Now, &stdout, &stderr); code != exitUsage {
				t.Errorf("exit %d, want %d (usage); stderr: %s", code, exitUsage, stderr.String())
			}
		})
	}
}
