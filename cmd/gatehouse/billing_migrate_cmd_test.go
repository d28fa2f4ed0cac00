package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse"
)

const (
	migAcct1 = "111111111111"
	migAcct2 = "222222222222"
	migDoc   = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": \"aws-portal:ViewUsage\",\n      \"Resource\": \"*\"\n    }\n  ]\n}\n"
)

// seedMigrateDir writes two accounts: the first with a managed policy
// and a user inline policy that use retired actions, the second with a
// role inline policy that uses purchase-orders:ModifyPurchaseOrders.
func seedMigrateDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	st, err := (&storeConfig{dataDir: dir, create: true}).open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	err = st.Update(context.Background(), func(tx gatehouse.Tx) error {
		for _, id := range []string{migAcct1, migAcct2} {
			if err := tx.CreateAccount(&gatehouse.Account{ID: id, Email: id + "@example.com", CreatedAt: time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
				return err
			}
		}
		p := &gatehouse.ManagedPolicy{AccountID: migAcct1, Name: "Usage", ID: "ANPAUSAGE", Path: "/", DefaultVersionID: "v1", NextVersion: 2}
		if err := tx.CreatePolicy(p, &gatehouse.PolicyVersion{PolicyARN: p.ARN(), VersionID: "v1", Document: migDoc}); err != nil {
			return err
		}
		if err := tx.CreateUser(&gatehouse.User{AccountID: migAcct1, Name: "alice", ID: "AIDAALICE", Path: "/"}); err != nil {
			return err
		}
		if err := tx.PutInlinePolicy(&gatehouse.InlinePolicy{AccountID: migAcct1, Owner: gatehouse.EntityRef{Kind: gatehouse.KindUser, Name: "alice"},
			Name: "acct", Document: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"aws-portal:ModifyAccount","Resource":"*"}]}`}); err != nil {
			return err
		}
		if err := tx.CreateRole(&gatehouse.Role{AccountID: migAcct2, Name: "po", ID: "AROAPO", Path: "/", MaxSessionDuration: 3600,
			AssumeRolePolicy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`}); err != nil {
			return err
		}
		return tx.PutInlinePolicy(&gatehouse.InlinePolicy{AccountID: migAcct2, Owner: gatehouse.EntityRef{Kind: gatehouse.KindRole, Name: "po"},
			Name: "orders", Document: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"purchase-orders:ModifyPurchaseOrders","Resource":"arn:aws:purchase-orders::222222222222:purchase-order/*"}]}`})
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

type migrateJSON struct {
	Mode     string `json:"mode"`
	Applied  bool   `json:"applied"`
	Accounts []struct {
		AccountID string `json:"accountId"`
		Pinned    string `json:"billingPermissions"`
		Model     string `json:"effectiveModel"`
		Applied   bool   `json:"applied"`
		Policies  []struct {
			Kind                   string   `json:"kind"`
			ARN                    string   `json:"arn"`
			Owner                  string   `json:"owner"`
			Name                   string   `json:"name"`
			RetiredActions         []string `json:"retiredActions"`
			Applied                bool     `json:"applied"`
			PreviousDefaultVersion string   `json:"previousDefaultVersion"`
			NewDefaultVersion      string   `json:"newDefaultVersion"`
			Error                  string   `json:"error"`
			Statements             []struct {
				Sid   string   `json:"sid"`
				Added []string `json:"added"`
			} `json:"statements"`
		} `json:"policies"`
	} `json:"accounts"`
}

func runMigrate(t *testing.T, wantCode int, args ...string) migrateJSON {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), append([]string{"billing", "migrate-policies"}, args...), nil, &stdout, &stderr)
	if code != wantCode {
		t.Fatalf("%v: exit %d, want %d; stderr: %s", args, code, wantCode, stderr.String())
	}
	var out migrateJSON
	if wantCode != exitUsage && stdout.Len() > 0 {
		if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, stdout.String())
		}
	}
	return out
}

func managedDefault(t *testing.T, dir string) (string, string) {
	t.Helper()
	st, err := (&storeConfig{dataDir: dir}).open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var id, doc string
	err = st.View(context.Background(), func(tx gatehouse.Tx) error {
		p, err := tx.Policy("arn:aws:iam::" + migAcct1 + ":policy/Usage")
		if err != nil {
			return err
		}
		v, err := tx.PolicyVersion(p.ARN(), p.DefaultVersionID)
		if err != nil {
			return err
		}
		id, doc = v.VersionID, v.Document
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return id, doc
}

func TestBillingMigratePolicies(t *testing.T) {
	dir := seedMigrateDir(t)

	dry := runMigrate(t, exitOK, "--data", dir)
	if dry.Mode != "dry-run" || dry.Applied || len(dry.Accounts) != 2 {
		t.Fatalf("dry run: %+v", dry)
	}
	a1 := dry.Accounts[0]
	if a1.AccountID != migAcct1 || len(a1.Policies) != 2 || a1.Policies[0].ARN != "arn:aws:iam::111111111111:policy/Usage" ||
		a1.Policies[1].Owner != "user/alice" || a1.Policies[0].Statements[0].Sid != "BillingConsolePolicyMigrator0" {
		t.Errorf("account 1: %+v", a1)
	}
	if id, doc := managedDefault(t, dir); id != "v1" || doc != migDoc {
		t.Fatalf("dry run changed the policy: %s %s", id, doc)
	}

	one := runMigrate(t, exitOK, "--data", dir, "--account", migAcct2, "--apply")
	if one.Mode != "apply" || !one.Applied || len(one.Accounts) != 1 || one.Accounts[0].Policies[0].Name != "orders" {
		t.Errorf("apply to account 2: %+v", one)
	}
	if id, _ := managedDefault(t, dir); id != "v1" {
		t.Error("--account 222… changed account 111…")
	}

	all := runMigrate(t, exitOK, "--data", dir, "--apply")
	if !all.Applied || all.Accounts[0].Policies[0].NewDefaultVersion != "v2" || all.Accounts[1].Applied {
		t.Errorf("apply: %+v", all)
	}
	id, doc := managedDefault(t, dir)
	if id != "v2" || !strings.HasPrefix(doc, strings.TrimSuffix(migDoc, "\n  ]\n}\n")) || !strings.Contains(doc, "cur:GetUsageReport") {
		t.Errorf("after apply: %s %s", id, doc)
	}

	rb := runMigrate(t, exitOK, "--data", dir, "--rollback")
	if rb.Mode != "rollback" || !rb.Applied || len(rb.Accounts[0].Policies) != 2 || len(rb.Accounts[1].Policies) != 1 {
		t.Errorf("rollback: %+v", rb)
	}
	if id, doc := managedDefault(t, dir); id != "v1" || doc != migDoc {
		t.Errorf("after rollback: %s %s", id, doc)
	}
}

func TestBillingMigratePoliciesUsage(t *testing.T) {
	dir := seedMigrateDir(t)
	runMigrate(t, exitUsage, "--data", dir, "--apply", "--rollback")
	runMigrate(t, exitUsage, "--data", dir, "extra")
	runMigrate(t, 1, "--data", dir, "--account", "999999999999")
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"billing"}, nil, &stdout, &stderr); code != exitUsage || !strings.Contains(stderr.String(), "migrate-policies") {
		t.Errorf("billing: exit %d, %s", code, stderr.String())
	}
	if code := run(context.Background(), []string{"billing", "nope"}, nil, &stdout, &stderr); code != exitUsage {
		t.Errorf("billing nope: exit %d", code)
	}
}

// TestBillingMigratePoliciesPinnedModel: the report shows the model in
// force for an account pinned with gatehouse account set.
func TestBillingMigratePoliciesPinnedModel(t *testing.T) {
	dir := seedMigrateDir(t)
	// Both accounts were created in 2022: fine-grained by now under auto.
	out := runMigrate(t, exitOK, "--data", dir, "--account", migAcct1)
	if a := out.Accounts[0]; a.Pinned != "auto" || a.Model != "fine-grained" {
		t.Errorf("auto: billingPermissions %s, effectiveModel %s", a.Pinned, a.Model)
	}
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"account", "set", "--data", dir, "--id", migAcct1, "--billing-permissions", "legacy"}, nil, &stdout, &stderr); code != exitOK {
		t.Fatalf("account set: exit %d: %s", code, stderr.String())
	}
	for _, args := range [][]string{{"--data", dir}, {"--data", dir, "--rollback"}} {
		out := runMigrate(t, exitOK, args...)
		if a := out.Accounts[0]; a.AccountID != migAcct1 || a.Pinned != "legacy" || a.Model != "legacy" {
			t.Errorf("%v: pinned account: billingPermissions %s, effectiveModel %s", args, a.Pinned, a.Model)
		}
		if a := out.Accounts[1]; a.Pinned != "auto" || a.Model != "fine-grained" {
			t.Errorf("%v: other account: billingPermissions %s, effectiveModel %s", args, a.Pinned, a.Model)
		}
	}
}

// TestBillingMigratePoliciesFiveVersions: a managed policy with five
// versions is refused (exit status 1, the reason in the report) unless
// --delete-oldest-version is given; --help states what --rollback
// cannot undo.
func TestBillingMigratePoliciesFiveVersions(t *testing.T) {
	dir := seedMigrateDir(t)
	st, err := (&storeConfig{dataDir: dir, create: true}).open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	err = st.Update(context.Background(), func(tx gatehouse.Tx) error {
		p, err := tx.Policy("arn:aws:iam::" + migAcct1 + ":policy/Usage")
		if err != nil {
			return err
		}
		for i := 2; i <= 5; i++ {
			if err := tx.CreatePolicyVersion(&gatehouse.PolicyVersion{PolicyARN: p.ARN(), VersionID: "v" + string(rune('0'+i)), Document: migDoc}); err != nil {
				return err
			}
		}
		p.NextVersion = 6
		return tx.UpdatePolicy(p)
	})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	out := runMigrate(t, exitFindings, "--data", dir, "--account", migAcct1, "--apply")
	if p := out.Accounts[0].Policies[0]; p.Applied || !strings.Contains(p.Error, "would delete version v2") {
		t.Errorf("apply: %+v", p)
	}
	if id, doc := managedDefault(t, dir); id != "v1" || doc != migDoc {
		t.Errorf("refused policy changed: %s %s", id, doc)
	}
	runMigrate(t, exitUsage, "--data", dir, "--delete-oldest-version")
	out = runMigrate(t, exitOK, "--data", dir, "--account", migAcct1, "--apply", "--delete-oldest-version")
	if p := out.Accounts[0].Policies[0]; !p.Applied || p.NewDefaultVersion != "v6" {
		t.Errorf("apply --delete-oldest-version: %+v", p)
	}
	var stdout, stderr bytes.Buffer
	run(context.Background(), []string{"billing", "migrate-policies", "--help"}, nil, &stdout, &stderr)
	if help := stdout.String() + stderr.String(); !strings.Contains(help, "--rollback cannot undo") || !strings.Contains(help, "-delete-oldest-version") {
		t.Errorf("--help does not state the rollback limits:\n%s", help)
	}
}
