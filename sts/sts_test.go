package sts_test

import (
	"context"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/store/sqlite"
	"github.com/gatehouse-dev/gatehouse/sts"
)

const acct = "123456789012"

// newService returns an STS service on an in-memory store holding
// account acct with a role "reader" and a root access key.
func newService(t *testing.T) (*sts.Service, *gatehouse.Role) {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, sqlite.MemoryPath, sqlite.Options{SecretKey: make([]byte, 32)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	role := &gatehouse.Role{AccountID: acct, Name: "reader", ID: "AROAEXAMPLEREADER001", Path: "/",
		AssumeRolePolicy:   `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"` + acct + `"},"Action":"sts:AssumeRole"}}`,
		MaxSessionDuration: 3600, CreatedAt: now}
	err = st.Update(ctx, func(tx gatehouse.Tx) error {
		if err := tx.CreateAccount(&gatehouse.Account{ID: acct, Email: "root@example.com", CreatedAt: now}); err != nil {
			return err
		}
		if err := tx.CreateAccessKey(&gatehouse.AccessKey{ID: "AKIAEXAMPLEROOTKEY01", AccountID: acct, Status: gatehouse.KeyActive,
			Secret: "secret", CreatedAt: now}); err != nil {
			return err
		}
		return tx.CreateRole(role)
	})
	if err != nil {
		t.Fatal(err)
	}
	return &sts.Service{Store: gatehouse.Narrow[sts.Tx](st), Now: func() time.Time { return now }}, role
}

// TestAssumeRoleSessionPolicies: AssumeRole refuses a malformed inline
// session policy before it issues anything, and reports the
// PackedPolicySize of the session policies it was passed.
func TestAssumeRoleSessionPolicies(t *testing.T) {
	ctx := context.Background()
	s, role := newService(t)
	const readOnly = "arn:aws:iam::aws:policy/ReadOnlyAccess"
	for _, c := range []struct {
		name     string
		policy   string
		arns     []string
		code     gatehouse.Code
		wantSize int // -1: no PackedPolicySize
	}{
		{name: "none", wantSize: -1},
		{name: "inline", policy: `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`, wantSize: 4},
		{name: "ARNs", arns: []string{readOnly, readOnly}, wantSize: 9},
		{name: "malformed", policy: `{"Version":"2012-10-17","Statement":{"Effect":"Allow"}}`, code: gatehouse.CodeMalformedPolicy},
		{name: "too many ARNs", arns: make([]string, 11), code: gatehouse.CodeInvalid},
	} {
		t.Run(c.name, func(t *testing.T) {
			cr, err := s.AssumeRole(ctx, sts.AssumeRoleInput{Role: role, RoleSessionName: "s1", Policy: c.policy, PolicyARNs: c.arns})
			if c.code != "" {
				if gatehouse.ErrorCode(err) != c.code || cr != nil {
					t.Fatalf("AssumeRole: %v %v, want %s", cr, err, c.code)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case c.wantSize < 0 && cr.PackedPolicySize != nil:
				t.Errorf("PackedPolicySize %d, want none", *cr.PackedPolicySize)
			case c.wantSize >= 0 && cr.PackedPolicySize == nil:
				t.Errorf("no PackedPolicySize, want %d", c.wantSize)
			case c.wantSize >= 0 && *cr.PackedPolicySize != c.wantSize:
				t.Errorf("PackedPolicySize %d, want %d", *cr.PackedPolicySize, c.wantSize)
			}
			if cr.Session.SessionPolicy != c.policy || len(cr.Session.PolicyARNs) != len(c.arns) {
				t.Errorf("session policies %q %v, want %q %v", cr.Session.SessionPolicy, cr.Session.PolicyARNs, c.policy, c.arns)
			}
		})
	}
}

func TestAccessKeyAccount(t *testing.T) {
	ctx := context.Background()
	s, role := newService(t)
	cr, err := s.AssumeRole(ctx, sts.AssumeRoleInput{Role: role, RoleSessionName: "s1"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		id, account string
		code        gatehouse.Code
	}{
		{"AKIAEXAMPLEROOTKEY01", acct, ""},
		{cr.Session.AccessKeyID, acct, ""},
		{"AKIANOSUCHKEY0000001", "", gatehouse.CodeInvalidParameter},
		{"ASIANOSUCHKEY0000001", "", gatehouse.CodeInvalidParameter},
	} {
		got, err := s.AccessKeyAccount(ctx, c.id)
		if got != c.account || gatehouse.ErrorCode(err) != c.code {
			t.Errorf("AccessKeyAccount(%s) = %q, %v; want %q, %s", c.id, got, err, c.account, c.code)
		}
	}
	_, err = s.AccessKeyAccount(ctx, "AKIANOSUCHKEY0000001")
	if want := "The access key ID AKIANOSUCHKEY0000001 does not belong to an account of this server."; gatehouse.ErrorMessage(err) != want {
		t.Errorf("message %q, want %q", gatehouse.ErrorMessage(err), want)
	}
}
