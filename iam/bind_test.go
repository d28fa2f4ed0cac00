package iam_test

import (
	"context"
	"maps"
	"testing"

	"github.com/gatehouse-dev/gatehouse"
)

// TestBindTrustPolicies: a role stored before principals were bound gets
// bindings for the users and roles it names that exist; principals that
// are gone, and accounts, stay unbound; a bound role is left alone.
func TestBindTrustPolicies(t *testing.T) {
	env := newMFAEnv(t)
	ctx := context.Background()
	alice, err := env.svc.User(ctx, acct, "alice")
	if err != nil {
		t.Fatal(err)
	}
	carol, err := env.svc.User(ctx, other, "carol")
	if err != nil {
		t.Fatal(err)
	}
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":[` +
		`"arn:aws:iam::` + acct + `:user/alice","arn:aws:iam::` + other + `:user/carol",` +
		`"arn:aws:iam::` + acct + `:user/gone","` + acct + `"]},"Action":"sts:AssumeRole"}]}`
	legacy := &gatehouse.Role{AccountID: acct, Name: "legacy", ID: "AROALEGACY0000000001", Path: "/", AssumeRolePolicy: trust,
		MaxSessionDuration: 3600}
	bound := &gatehouse.Role{AccountID: acct, Name: "bound", ID: "AROABOUND00000000001", Path: "/", AssumeRolePolicy: trust,
		MaxSessionDuration: 3600, TrustBindings: map[string]string{"arn:aws:iam::" + acct + ":user/alice": "AIDAOLDALICE00000001"}}
	if err := env.svc.Store.Update(ctx, whole(func(tx gatehouse.Tx) error {
		if err := tx.CreateRole(legacy); err != nil {
			return err
		}
		return tx.CreateRole(bound)
	})); err != nil {
		t.Fatal(err)
	}
	if err := env.svc.BindTrustPolicies(ctx); err != nil {
		t.Fatal(err)
	}
	want := map[string]map[string]string{
		"legacy": {"arn:aws:iam::" + acct + ":user/alice": alice.ID, "arn:aws:iam::" + other + ":user/carol": carol.ID},
		"bound":  bound.TrustBindings,
	}
	for name, w := range want {
		r, err := env.svc.Role(ctx, acct, name)
		if err != nil {
			t.Fatal(err)
		}
		if !maps.Equal(r.TrustBindings, w) {
			t.Errorf("%s: bindings %v, want %v", name, r.TrustBindings, w)
		}
	}
}
