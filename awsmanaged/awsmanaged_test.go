package awsmanaged_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/awsmanaged"
	"github.com/gatehouse-dev/gatehouse/policy"
	"github.com/gatehouse-dev/gatehouse/store/sqlite"
)

func TestDefault(t *testing.T) {
	s := awsmanaged.Default()
	if s.Len() < 1500 {
		t.Fatalf("%d policies, want every AWS managed policy (about 1,600)", s.Len())
	}
	if awsmanaged.DataVersion == "" || awsmanaged.DataLicense != "MIT" {
		t.Errorf("data %s %s", awsmanaged.DataVersion, awsmanaged.DataLicense)
	}
	// The policies Gatehouse served before the whole set, where tests and
	// root tasks rely on them.
	for _, c := range []struct{ arn, description string }{
		{"arn:aws:iam::aws:policy/AdministratorAccess", "Provides full access to AWS services and resources."},
		{"arn:aws:iam::aws:policy/PowerUserAccess", ""},
		{"arn:aws:iam::aws:policy/IAMFullAccess", ""},
		{"arn:aws:iam::aws:policy/IAMReadOnlyAccess", "Provides read only access to IAM via the AWS Management Console."},
		{"arn:aws:iam::aws:policy/IAMUserChangePassword", ""},
		{"arn:aws:iam::aws:policy/job-function/Billing", ""},
		{"arn:aws:iam::aws:policy/AWSBillingReadOnlyAccess", ""},
		{"arn:aws:iam::aws:policy/AWSAccountManagementFullAccess", ""},
		{"arn:aws:iam::aws:policy/AWSAccountManagementReadOnlyAccess", ""},
		{"arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials", ""},
		{"arn:aws:iam::aws:policy/root-task/IAMCreateRootUserPassword", ""},
		{"arn:aws:iam::aws:policy/root-task/IAMDeleteRootUserCredentials", ""},
		{"arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy", ""},
		{"arn:aws:iam::aws:policy/root-task/SQSUnlockQueuePolicy", ""},
		{"arn:aws:iam::aws:policy/ReadOnlyAccess", ""},
		{"arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", ""},
	} {
		p, ok := s.Policy(c.arn)
		if !ok {
			t.Errorf("%s missing", c.arn)
			continue
		}
		if p.ARN() != c.arn || p.AccountID != gatehouse.AWSManagedAccount || !strings.HasPrefix(p.ID, "ANPA") || len(p.ID) != 21 {
			t.Errorf("%s: %+v", c.arn, p)
		}
		if c.description != "" && p.Description != c.description {
			t.Errorf("%s: description %q, want %q", c.arn, p.Description, c.description)
		}
		if p.CreatedAt.Before(time.Date(2014, 1, 1, 0, 0, 0, 0, time.UTC)) || p.UpdatedAt.Before(p.CreatedAt) {
			t.Errorf("%s: created %v, updated %v", c.arn, p.CreatedAt, p.UpdatedAt)
		}
		v, ok, err := s.Version(c.arn, p.DefaultVersionID)
		if err != nil || !ok || !strings.HasPrefix(v.Document, "{\n    ") || v.PolicyARN != c.arn {
			t.Errorf("%s default version %s: %v %v %+v", c.arn, p.DefaultVersionID, ok, err, v)
		}
	}
	admin, _, _ := s.Version("arn:aws:iam::aws:policy/AdministratorAccess", "v1")
	if want := "{\n    \"Version\": \"2012-10-17\",\n    \"Statement\": [\n        {\n            \"Effect\": \"Allow\",\n            \"Action\": \"*\",\n            \"Resource\": \"*\"\n        }\n    ]\n}"; admin.Document != want {
		t.Errorf("AdministratorAccess v1:\n%s", admin.Document)
	}
}

func TestLookup(t *testing.T) {
	s := awsmanaged.Default()
	for arn, want := range map[string]bool{
		"arn:aws:iam::aws:policy/job-function/Billing":          true,
		"arn:aws-us-gov:iam::aws:policy/job-function/Billing":   true,
		"arn:aws:iam::aws:policy/job-function/BILLING":          true, // names ignore case, as in the store
		"arn:aws:iam::aws:policy/Billing":                       false,
		"arn:aws:iam::aws:policy/job-function/":                 false,
		"arn:aws-cn:iam::aws:policy/job-function/Billing":       false,
		"arn:aws:iam::123456789012:policy/job-function/Billing": false,
		"arn:aws:iam::aws:role/job-function/Billing":            false,
		"": false,
	} {
		p, ok := s.Policy(arn)
		if ok != want {
			t.Errorf("Policy(%q): %v, want %v", arn, ok, want)
		}
		if ok && p.ARN() != "arn:aws:iam::aws:policy/job-function/Billing" {
			t.Errorf("Policy(%q) = %s", arn, p.ARN())
		}
	}
	// Every version, newest (highest number) first. Dates are the data's
	// as they are: its history is not always in date order.
	vs, ok, err := s.Versions("arn:aws:iam::aws:policy/ReadOnlyAccess")
	if err != nil || !ok || len(vs) < 100 {
		t.Fatalf("ReadOnlyAccess versions: %d %v %v", len(vs), ok, err)
	}
	p, _ := s.Policy("arn:aws:iam::aws:policy/ReadOnlyAccess")
	if vs[0].VersionID != p.DefaultVersionID {
		t.Errorf("newest version %s, default %s", vs[0].VersionID, p.DefaultVersionID)
	}
	for i := 1; i < len(vs); i++ {
		a, _ := strconv.Atoi(vs[i-1].VersionID[1:])
		b, _ := strconv.Atoi(vs[i].VersionID[1:])
		if a <= b || vs[i].CreatedAt.IsZero() || vs[i].Document == vs[i-1].Document && vs[i].Document == "" {
			t.Errorf("version %s listed after %s", vs[i].VersionID, vs[i-1].VersionID)
		}
	}
	if _, ok, err := s.Version("arn:aws:iam::aws:policy/ReadOnlyAccess", "v100000"); ok || err != nil {
		t.Errorf("unknown version: %v %v", ok, err)
	}
	// Policies are values: changing one changes nothing in the set.
	all := s.Policies()
	if len(all) != s.Len() {
		t.Fatalf("Policies: %d, Len %d", len(all), s.Len())
	}
	all[0].DefaultVersionID = "v0"
	if again := s.Policies(); again[0].DefaultVersionID == "v0" {
		t.Error("Policies shares its values")
	}
}

// TestEveryDefaultVersionCompiles checks that the engine can evaluate
// every AWS managed policy a user or role can have attached.
func TestEveryDefaultVersionCompiles(t *testing.T) {
	s := awsmanaged.Default()
	for _, p := range s.Policies() {
		v, ok, err := s.Version(p.ARN(), p.DefaultVersionID)
		if err != nil || !ok {
			t.Fatalf("%s: %v %v", p.ARN(), ok, err)
		}
		if _, err := policy.CompileJSON(p.ARN(), []byte(v.Document)); err != nil {
			t.Errorf("%s %s: %v", p.ARN(), p.DefaultVersionID, err)
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	archive := func(files map[string]string) []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for name, body := range files {
			w, err := zw.Create(name)
			if err != nil {
				t.Fatal(err)
			}
			w.Write([]byte(body))
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	const index = `{"policies":[{"name":"P","path":"/","id":"ANPAP","default":"v2","versions":[{"id":"v2"},{"id":"v1"}]}]}`
	for name, data := range map[string][]byte{
		"not a zip":       []byte("not a zip"),
		"no index":        archive(map[string]string{"P/v1.json": "{}"}),
		"version missing": archive(map[string]string{"index.json": index, "P/v2.json": "{}"}),
		"default missing": archive(map[string]string{"index.json": strings.Replace(index, `"default":"v2"`, `"default":"v3"`, 1), "P/v2.json": "{}", "P/v1.json": "{}"}),
		"path":            archive(map[string]string{"index.json": strings.Replace(index, `"path":"/"`, `"path":"x"`, 1), "P/v2.json": "{}", "P/v1.json": "{}"}),
		"bad index":       archive(map[string]string{"index.json": "{"}),
	} {
		if _, err := awsmanaged.Decode(data); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	s, err := awsmanaged.Decode(archive(map[string]string{"index.json": index, "P/v2.json": `{"a":2}`, "P/v1.json": `{"a":1}`}))
	if err != nil || s.Len() != 1 {
		t.Fatalf("a good archive: %v", err)
	}
	if v, ok, err := s.Version("arn:aws:iam::aws:policy/P", "v1"); err != nil || !ok || v.Document != `{"a":1}` {
		t.Errorf("P v1: %v %v %+v", ok, err, v)
	}
}

// newStore returns an in-memory store with AWS managed policies in front
// and account 123456789012 with user alice.
func newStore(t *testing.T) *awsmanaged.Store {
	t.Helper()
	db, err := sqlite.Open(t.Context(), sqlite.MemoryPath, sqlite.Options{SecretKey: make([]byte, 32)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	s := awsmanaged.Wrap(db, nil)
	err = s.Update(t.Context(), func(tx gatehouse.Tx) error {
		if err := tx.CreateAccount(&gatehouse.Account{ID: "123456789012", Name: "a", CreatedAt: time.Now()}); err != nil {
			return err
		}
		return tx.CreateUser(&gatehouse.User{AccountID: "123456789012", Name: "alice", ID: "AIDAALICE", Path: "/"})
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestStore(t *testing.T) {
	s := newStore(t)
	const acct, arn = "123456789012", "arn:aws:iam::aws:policy/job-function/Billing"
	alice := gatehouse.EntityRef{Kind: gatehouse.KindUser, Name: "alice"}
	err := s.Update(t.Context(), func(tx gatehouse.Tx) error {
		// Attached under the set's spelling, whatever the request's.
		if err := tx.AttachPolicy(acct, alice, "arn:aws-us-gov:iam::aws:policy/job-function/billing"); err != nil {
			return err
		}
		err := tx.AttachPolicy(acct, alice, "arn:aws:iam::aws:policy/job-function/NoSuchPolicy")
		if gatehouse.ErrorCode(err) != gatehouse.CodeNotFound {
			t.Errorf("attaching an unknown AWS managed policy: %v", err)
		}
		for name, err := range map[string]error{
			"CreatePolicy":        tx.CreatePolicy(&gatehouse.ManagedPolicy{AccountID: gatehouse.AWSManagedAccount, Name: "X", Path: "/"}, nil),
			"UpdatePolicy":        tx.UpdatePolicy(&gatehouse.ManagedPolicy{AccountID: gatehouse.AWSManagedAccount, Name: "Billing", Path: "/job-function/"}),
			"DeletePolicy":        tx.DeletePolicy(arn),
			"CreatePolicyVersion": tx.CreatePolicyVersion(&gatehouse.PolicyVersion{PolicyARN: arn, VersionID: "v99", Document: "{}"}),
			"DeletePolicyVersion": tx.DeletePolicyVersion(arn, "v1"),
		} {
			if !errors.Is(err, awsmanaged.ErrReadOnly) {
				t.Errorf("%s of an AWS managed policy: %v, want ErrReadOnly", name, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = s.View(t.Context(), func(tx gatehouse.Tx) error {
		got, err := tx.AttachedPolicies(acct, alice)
		if err != nil || len(got) != 1 || got[0] != arn {
			t.Errorf("attached: %v %v", got, err)
		}
		refs, err := tx.PolicyAttachments(acct, "arn:aws-us-gov:iam::aws:policy/job-function/Billing")
		if err != nil || len(refs) != 1 {
			t.Errorf("attachments: %v %v", refs, err)
		}
		counts, err := tx.AttachmentCounts(acct)
		if err != nil || counts[arn] != 1 {
			t.Errorf("counts: %v %v", counts, err)
		}
		all, err := tx.Policies(gatehouse.AWSManagedAccount)
		if err != nil || len(all) != awsmanaged.Default().Len() {
			t.Errorf("Policies(aws): %d %v", len(all), err)
		}
		own, err := tx.Policies(acct)
		if err != nil || len(own) != 0 {
			t.Errorf("Policies(account): %d %v", len(own), err)
		}
		_, err = tx.PolicyVersion(arn, "v100000")
		if want := "Policy " + arn + " version v100000 does not exist or is not attachable."; gatehouse.ErrorCode(err) != gatehouse.CodeNotFound || gatehouse.ErrorMessage(err) != want {
			t.Errorf("unknown version: %v", err)
		}
		_, err = tx.Policy("arn:aws:iam::aws:policy/NoSuchPolicy")
		if gatehouse.ErrorCode(err) != gatehouse.CodeNotFound {
			t.Errorf("unknown policy: %v", err)
		}
		vs, err := tx.PolicyVersions(arn)
		if err != nil || len(vs) == 0 {
			t.Errorf("versions: %d %v", len(vs), err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = s.Update(t.Context(), func(tx gatehouse.Tx) error {
		return tx.DetachPolicy(acct, alice, "arn:aws:iam::aws:policy/job-function/BILLING")
	})
	if err != nil {
		t.Errorf("detach: %v", err)
	}
}

// BenchmarkDecode measures loading the embedded set: what the first
// request that needs an AWS managed policy pays once.
func BenchmarkDecode(b *testing.B) {
	data := awsmanaged.Embedded()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := awsmanaged.Decode(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVersion measures reading one version's document (ReadOnlyAccess,
// one of the largest) from the compressed archive.
func BenchmarkVersion(b *testing.B) {
	s := awsmanaged.Default()
	p, _ := s.Policy("arn:aws:iam::aws:policy/ReadOnlyAccess")
	b.ReportAllocs()
	for b.Loop() {
		if _, ok, err := s.Version(p.ARN(), p.DefaultVersionID); !ok || err != nil {
			b.Fatal(ok, err)
		}
	}
}
