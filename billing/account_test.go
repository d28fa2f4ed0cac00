package billing_test

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/billing"
	"github.com/gatehouse-dev/gatehouse/store/sqlite"
)

const acct = "123456789012"

func doc(stmts ...string) string {
	return `{"Version":"2012-10-17","Statement":[` + strings.Join(stmts, ",") + `]}`
}

func allow(action string) string {
	return `{"Effect":"Allow","Action":"` + action + `","Resource":"*"}`
}

// seed creates an account (created before the fine-grained launch) with
// managed and inline policies, some using retired actions.
func seed(t *testing.T) gatehouse.Store {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, ":memory:", sqlite.Options{SecretKey: make([]byte, 32)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	created := time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)
	err = st.Update(ctx, func(tx gatehouse.Tx) error {
		if err := tx.CreateAccount(&gatehouse.Account{ID: acct, Email: "a@example.com", Name: "a", CreatedAt: created}); err != nil {
			return err
		}
		mk := func(name string, docs []string, def int) error {
			p := &gatehouse.ManagedPolicy{AccountID: acct, Name: name, ID: "ANPA" + strings.ToUpper(name), Path: "/",
				DefaultVersionID: fmt.Sprintf("v%d", def), NextVersion: len(docs) + 1}
			if err := tx.CreatePolicy(p, &gatehouse.PolicyVersion{PolicyARN: p.ARN(), VersionID: "v1", Document: docs[0]}); err != nil {
				return err
			}
			for i, d := range docs[1:] {
				if err := tx.CreatePolicyVersion(&gatehouse.PolicyVersion{PolicyARN: p.ARN(), VersionID: fmt.Sprintf("v%d", i+2), Document: d}); err != nil {
					return err
				}
			}
			return nil
		}
		if err := mk("BillingView", []string{doc(allow("aws-portal:ViewBilling"))}, 1); err != nil {
			return err
		}
		full := []string{doc(allow("s3:*")), doc(allow("s3:Get*")), doc(allow("aws-portal:*")), doc(allow("ec2:*")), doc(allow("iam:*"))}
		if err := mk("FiveVersions", full, 3); err != nil {
			return err
		}
		if err := mk("Untouched", []string{doc(allow("s3:*"))}, 1); err != nil {
			return err
		}
		for _, e := range []gatehouse.EntityRef{{Kind: gatehouse.KindUser, Name: "alice"}, {Kind: gatehouse.KindUser, Name: "bob"}, {Kind: gatehouse.KindGroup, Name: "finance"}, {Kind: gatehouse.KindRole, Name: "ops"}} {
			var err error
			switch e.Kind {
			case gatehouse.KindUser:
				err = tx.CreateUser(&gatehouse.User{AccountID: acct, Name: e.Name, ID: "AIDA" + strings.ToUpper(e.Name), Path: "/"})
			case gatehouse.KindGroup:
				err = tx.CreateGroup(&gatehouse.Group{AccountID: acct, Name: e.Name, ID: "AGPAFINANCE", Path: "/"})
			case gatehouse.KindRole:
				err = tx.CreateRole(&gatehouse.Role{AccountID: acct, Name: e.Name, ID: "AROAOPS", Path: "/",
					AssumeRolePolicy:   `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`,
					MaxSessionDuration: 3600})
			}
			if err != nil {
				return err
			}
		}
		inline := []*gatehouse.InlinePolicy{
			{Owner: gatehouse.EntityRef{Kind: gatehouse.KindUser, Name: "alice"}, Name: "usage", Document: doc(allow("aws-portal:ViewUsage"))},
			// Fits in a user's 2048 characters only with the shorthand.
			{Owner: gatehouse.EntityRef{Kind: gatehouse.KindUser, Name: "alice"}, Name: "everything", Document: doc(allow("aws-portal:*"))},
			// bob's inline policies leave no room for the migration.
			{Owner: gatehouse.EntityRef{Kind: gatehouse.KindUser, Name: "bob"}, Name: "billing", Document: doc(allow("aws-portal:ViewBilling"))},
			{Owner: gatehouse.EntityRef{Kind: gatehouse.KindUser, Name: "bob"}, Name: "filler", Document: doc(allow("s3:" + strings.Repeat("x", 1850)))},
			{Owner: gatehouse.EntityRef{Kind: gatehouse.KindGroup, Name: "finance"}, Name: "no-billing",
				Document: `{"Version":"2012-10-17","Statement":{"Effect":"Deny","NotAction":["aws-portal:View*"],"Resource":"*"}}`},
			{Owner: gatehouse.EntityRef{Kind: gatehouse.KindRole, Name: "ops"}, Name: "po",
				Document: "{\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": \"purchase-orders:*\",\n      \"Resource\": \"*\"\n    }\n  ]\n}"},
			{Owner: gatehouse.EntityRef{Kind: gatehouse.KindRole, Name: "ops"}, Name: "plain", Document: doc(allow("s3:*"))},
		}
		for _, ip := range inline {
			ip.AccountID = acct
			if err := tx.PutInlinePolicy(ip); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// snapshot is every policy's default version, versions and documents.
func snapshot(t *testing.T, st gatehouse.Store) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := st.View(context.Background(), func(tx gatehouse.Tx) error {
		ps, err := tx.Policies(acct)
		if err != nil {
			return err
		}
		for _, p := range ps {
			vs, err := tx.PolicyVersions(p.ARN())
			if err != nil {
				return err
			}
			var ids []string
			for _, v := range vs {
				ids = append(ids, v.VersionID)
				if v.VersionID == p.DefaultVersionID {
					out[p.Name+" default"] = v.VersionID + " " + v.Document
				}
			}
			out[p.Name+" versions"] = strings.Join(ids, ",")
		}
		for _, o := range []gatehouse.EntityRef{{Kind: gatehouse.KindUser, Name: "alice"}, {Kind: gatehouse.KindUser, Name: "bob"}, {Kind: gatehouse.KindGroup, Name: "finance"}, {Kind: gatehouse.KindRole, Name: "ops"}} {
			ips, err := tx.InlinePolicies(acct, o)
			if err != nil {
				return err
			}
			for _, ip := range ips {
				out[string(o.Kind)+"/"+o.Name+" "+ip.Name] = ip.Document
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func find(t *testing.T, r *billing.Report, name string) billing.PolicyReport {
	t.Helper()
	for _, p := range r.Policies {
		if p.Name == name {
			return p
		}
	}
	t.Fatalf("policy %s not in report", name)
	return billing.PolicyReport{}
}

func TestMigrateAccountApplyRollback(t *testing.T) {
	ctx := context.Background()
	st := seed(t)
	now := time.Date(2023, 5, 1, 0, 0, 0, 0, time.UTC)
	before := snapshot(t, st)

	dry, err := billing.MigrateAccount(ctx, gatehouse.Narrow[billing.Tx](st), acct, billing.MigrateOptions{DeleteOldestVersion: true}, now)
	if err != nil {
		t.Fatal(err)
	}
	if dry.Applied || dry.Mode != billing.ModeDryRun || dry.Model != billing.Legacy || dry.Pinned != billing.Auto {
		t.Errorf("dry run: applied %v mode %s model %s pinned %s", dry.Applied, dry.Mode, dry.Model, dry.Pinned)
	}
	if fv := find(t, dry, "FiveVersions"); fv.Error != "" || fv.DeletedVersion != "v1" || !strings.Contains(fv.RollbackLimit, "cannot bring it back") {
		t.Errorf("dry run FiveVersions: %+v", fv)
	}
	if got := snapshot(t, st); !reflect.DeepEqual(got, before) {
		t.Fatal("dry run changed the store")
	}
	var names []string
	for _, p := range dry.Policies {
		names = append(names, p.Name)
	}
	if got, want := strings.Join(names, ","), "BillingView,FiveVersions,everything,usage,billing,no-billing,po"; got != want {
		t.Errorf("affected policies = %s, want %s", got, want)
	}

	r, err := billing.MigrateAccount(ctx, gatehouse.Narrow[billing.Tx](st), acct, billing.MigrateOptions{Apply: true, DeleteOldestVersion: true}, now)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Applied {
		t.Error("apply: Applied = false")
	}
	bv := find(t, r, "BillingView")
	if !bv.Applied || bv.PreviousDefaultVersion != "v1" || bv.NewDefaultVersion != "v2" || bv.ARN != "arn:aws:iam::"+acct+":policy/BillingView" {
		t.Errorf("BillingView: %+v", bv)
	}
	fv := find(t, r, "FiveVersions")
	if !fv.Applied || fv.PreviousDefaultVersion != "v3" || fv.NewDefaultVersion != "v6" || fv.DeletedVersion != "v1" ||
		fv.DeletedDocument != doc(allow("s3:*")) || fv.RollbackLimit == "" {
		t.Errorf("FiveVersions: %+v", fv)
	}
	if ev := find(t, r, "everything"); !ev.Applied || !ev.Statements[0].Shorthand {
		t.Errorf("everything: %+v", ev)
	}
	if b := find(t, r, "billing"); b.Applied || !strings.Contains(b.Error, "size limit") || b.Owner != "user/bob" {
		t.Errorf("bob's billing: %+v", b)
	}
	if nb := find(t, r, "no-billing"); !nb.Applied || nb.Owner != "group/finance" || nb.Statements[0].Element != "NotAction" {
		t.Errorf("no-billing: %+v", nb)
	}
	after := snapshot(t, st)
	if after["FiveVersions versions"] != "v6,v5,v4,v3,v2" {
		t.Errorf("FiveVersions versions = %s", after["FiveVersions versions"])
	}
	for _, k := range []string{"BillingView default", "FiveVersions default", "user/alice usage", "user/alice everything", "group/finance no-billing", "role/ops po"} {
		if !strings.Contains(after[k], billing.SidPrefix) {
			t.Errorf("%s not migrated: %s", k, after[k])
		}
	}
	for _, k := range []string{"Untouched default", "user/bob billing", "user/bob filler", "role/ops plain"} {
		if after[k] != before[k] {
			t.Errorf("%s changed", k)
		}
	}
	if b, err := json.Marshal(r); err != nil || !strings.Contains(string(b), `"retiredActions"`) {
		t.Errorf("report JSON: %s %v", b, err)
	}

	// A second apply appends nothing.
	again, err := billing.MigrateAccount(ctx, gatehouse.Narrow[billing.Tx](st), acct, billing.MigrateOptions{Apply: true}, now)
	if err != nil {
		t.Fatal(err)
	}
	if again.Applied {
		t.Error("second apply changed policies")
	}

	rb, err := billing.RollbackAccount(ctx, gatehouse.Narrow[billing.Tx](st), acct, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(rb.Policies) != 6 || !rb.Applied {
		t.Errorf("rollback touched %d policies: %+v", len(rb.Policies), rb.Policies)
	}
	restored := snapshot(t, st)
	for k, v := range before {
		if k == "FiveVersions versions" {
			continue // v1 was deleted to make room
		}
		if restored[k] != v {
			t.Errorf("after rollback %s =\n%s\nwant\n%s", k, restored[k], v)
		}
	}
	if restored["FiveVersions versions"] != "v5,v4,v3,v2" || restored["BillingView versions"] != "v1" {
		t.Errorf("versions after rollback: %s / %s", restored["FiveVersions versions"], restored["BillingView versions"])
	}
	// Rolling back again does nothing.
	rb2, err := billing.RollbackAccount(ctx, gatehouse.Narrow[billing.Tx](st), acct, now)
	if err != nil || rb2.Applied || len(rb2.Policies) != 0 {
		t.Errorf("second rollback: %+v %v", rb2, err)
	}
}

func TestRollbackAccountRecreatesMissingVersion(t *testing.T) {
	ctx := context.Background()
	st := seed(t)
	now := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	before := snapshot(t, st)
	if _, err := billing.MigrateAccount(ctx, gatehouse.Narrow[billing.Tx](st), acct, billing.MigrateOptions{Apply: true}, now); err != nil {
		t.Fatal(err)
	}
	// The operator deletes the old default after migrating.
	err := st.Update(ctx, func(tx gatehouse.Tx) error {
		return tx.DeletePolicyVersion("arn:aws:iam::"+acct+":policy/BillingView", "v1")
	})
	if err != nil {
		t.Fatal(err)
	}
	r, err := billing.RollbackAccount(ctx, gatehouse.Narrow[billing.Tx](st), acct, now)
	if err != nil {
		t.Fatal(err)
	}
	if bv := find(t, r, "BillingView"); bv.NewDefaultVersion != "v3" || bv.DeletedVersion != "v2" || bv.RollbackLimit == "" {
		t.Errorf("BillingView: %+v", bv)
	}
	got := snapshot(t, st)
	if want := strings.TrimPrefix(before["BillingView default"], "v1 "); got["BillingView default"] != "v3 "+want {
		t.Errorf("BillingView default = %s", got["BillingView default"])
	}
	if r.Model != billing.FineGrained {
		t.Errorf("model = %s", r.Model)
	}
}

func TestMigrateAccountUnknown(t *testing.T) {
	st := seed(t)
	if _, err := billing.MigrateAccount(context.Background(), gatehouse.Narrow[billing.Tx](st), "999999999999", billing.MigrateOptions{}, time.Now()); gatehouse.ErrorCode(err) != gatehouse.CodeNotFound {
		t.Errorf("err = %v", err)
	}
}

// TestMigrateFiveVersionsRefused: without DeleteOldestVersion a managed
// policy with five versions is not migrated, in the dry run as on apply,
// with the reason; everything else is, and rollback then restores the
// account exactly, versions included.
func TestMigrateFiveVersionsRefused(t *testing.T) {
	ctx := context.Background()
	st := seed(t)
	now := time.Date(2023, 5, 1, 0, 0, 0, 0, time.UTC)
	before := snapshot(t, st)
	for _, apply := range []bool{false, true} {
		r, err := billing.MigrateAccount(ctx, gatehouse.Narrow[billing.Tx](st), acct, billing.MigrateOptions{Apply: apply}, now)
		if err != nil {
			t.Fatal(err)
		}
		fv := find(t, r, "FiveVersions")
		if fv.Applied || fv.DeletedVersion != "" || fv.NewDefaultVersion != "" ||
			!strings.Contains(fv.Error, "the policy has 5 versions") || !strings.Contains(fv.Error, "would delete version v1") ||
			!strings.Contains(fv.Error, "a rollback cannot bring back") {
			t.Errorf("apply=%v FiveVersions: %+v", apply, fv)
		}
		if bv := find(t, r, "BillingView"); bv.Applied != apply || bv.Error != "" {
			t.Errorf("apply=%v BillingView: %+v", apply, bv)
		}
	}
	after := snapshot(t, st)
	if after["FiveVersions versions"] != before["FiveVersions versions"] || after["FiveVersions default"] != before["FiveVersions default"] {
		t.Errorf("FiveVersions changed: %s / %s", after["FiveVersions versions"], after["FiveVersions default"])
	}
	if _, err := billing.RollbackAccount(ctx, gatehouse.Narrow[billing.Tx](st), acct, now); err != nil {
		t.Fatal(err)
	}
	if got := snapshot(t, st); !reflect.DeepEqual(got, before) {
		t.Errorf("rollback did not restore the account exactly:\n%v\nwant\n%v", got, before)
	}
}

// TestMigrateReportPinnedModel: the report shows the model in force, the
// pinned one when the account is pinned, whatever its creation date says.
func TestMigrateReportPinnedModel(t *testing.T) {
	ctx := context.Background()
	st := seed(t)
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC) // after the cut-over: auto is fine-grained
	for _, tc := range []struct {
		stored        string
		pinned, model billing.PermissionModel
	}{
		{"", billing.Auto, billing.FineGrained},
		{"auto", billing.Auto, billing.FineGrained},
		{"legacy", billing.Legacy, billing.Legacy},
		{"fine-grained", billing.FineGrained, billing.FineGrained},
	} {
		err := st.Update(ctx, func(tx gatehouse.Tx) error {
			a, err := tx.Account(acct)
			if err != nil {
				return err
			}
			a.BillingPermissions = tc.stored
			return tx.UpdateAccount(a)
		})
		if err != nil {
			t.Fatal(err)
		}
		dry, err := billing.MigrateAccount(ctx, gatehouse.Narrow[billing.Tx](st), acct, billing.MigrateOptions{}, now)
		if err != nil {
			t.Fatal(err)
		}
		rb, err := billing.RollbackAccount(ctx, gatehouse.Narrow[billing.Tx](st), acct, now)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range []*billing.Report{dry, rb} {
			if r.Pinned != tc.pinned || r.Model != tc.model {
				t.Errorf("stored %q, %s: pinned %s, effectiveModel %s; want %s, %s", tc.stored, r.Mode, r.Pinned, r.Model, tc.pinned, tc.model)
			}
		}
		b, _ := json.Marshal(dry)
		if want := `"effectiveModel":"` + string(tc.model) + `"`; !strings.Contains(string(b), want) {
			t.Errorf("report JSON lacks %s: %s", want, b)
		}
	}
}

// TestRollbackAccountKeepsHandWrittenSid: a statement an operator wrote
// with the migrator's Sid prefix survives rollback and is reported.
func TestRollbackAccountKeepsHandWrittenSid(t *testing.T) {
	ctx := context.Background()
	st := seed(t)
	mine := `{"Sid":"BillingConsolePolicyMigratorAudit","Effect":"Allow","Action":"cur:DescribeReportDefinitions","Resource":"*"}`
	ip := &gatehouse.InlinePolicy{AccountID: acct, Owner: gatehouse.EntityRef{Kind: gatehouse.KindRole, Name: "ops"}, Name: "mine",
		Document: doc(mine, allow("aws-portal:ViewUsage"))}
	if err := st.Update(ctx, func(tx gatehouse.Tx) error { return tx.PutInlinePolicy(ip) }); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2023, 5, 1, 0, 0, 0, 0, time.UTC)
	r, err := billing.MigrateAccount(ctx, gatehouse.Narrow[billing.Tx](st), acct, billing.MigrateOptions{Apply: true}, now)
	if err != nil {
		t.Fatal(err)
	}
	if m := find(t, r, "mine"); !m.Applied || len(m.Unmatched) != 1 || m.Unmatched[0] != "BillingConsolePolicyMigratorAudit" {
		t.Errorf("apply: %+v", m)
	}
	rb, err := billing.RollbackAccount(ctx, gatehouse.Narrow[billing.Tx](st), acct, now)
	if err != nil {
		t.Fatal(err)
	}
	if m := find(t, rb, "mine"); !m.Applied || len(m.Unmatched) != 1 {
		t.Errorf("rollback: %+v", m)
	}
	if got := snapshot(t, st)["role/ops mine"]; got != ip.Document {
		t.Errorf("after rollback: %s\nwant %s", got, ip.Document)
	}
}
