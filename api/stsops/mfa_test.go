package stsops

import (
	"context"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/op"
	"github.com/gatehouse-dev/gatehouse/authz"
	"github.com/gatehouse-dev/gatehouse/policy"
	"github.com/gatehouse-dev/gatehouse/sts"
)

// fakeIAM verifies every code of any device, at time at, and records
// whose device was asked for.
type fakeIAM struct {
	at   time.Time
	user string
}

func (f *fakeIAM) Role(context.Context, string, string) (*gatehouse.Role, error) {
	return nil, gatehouse.Errorf(gatehouse.CodeNotFound, "no role")
}

func (f *fakeIAM) VerifyMFA(_ context.Context, _, user, _, _ string) (time.Time, error) {
	f.user = user
	return f.at, nil
}

// TestVerifySessionMFA: the code is checked against the calling user's
// device (root's for root), a role has none, and a caller's own session
// carries the proof for the rest of the request without changing the
// session the edge cached.
func TestVerifySessionMFA(t *testing.T) {
	at := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	acct := &gatehouse.Account{ID: "123456789012"}
	alice := &gatehouse.User{AccountID: acct.ID, Name: "alice"}
	sess := &gatehouse.Session{AccountID: acct.ID, Kind: gatehouse.SessionUser, UserName: "alice"}
	for _, c := range []struct {
		name     string
		caller   authz.Caller
		serial   string
		code     string
		err      error
		wantUser string
	}{
		{name: "user", caller: authz.Caller{Account: acct, User: alice}, serial: "s", code: "123456", wantUser: "alice"},
		{name: "root", caller: authz.Caller{Account: acct}, serial: "s", code: "123456", wantUser: gatehouse.RootUserName},
		{name: "user session", caller: authz.Caller{Account: acct, User: alice, Session: sess}, serial: "s", code: "123456", wantUser: "alice"},
		{name: "role", caller: authz.Caller{Account: acct, Role: &gatehouse.Role{Name: "r"}}, serial: "s", code: "123456", err: sts.ErrMFA},
		{name: "no serial", caller: authz.Caller{Account: acct, User: alice}, code: "123456", err: sts.ErrMFA},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := &fakeIAM{at: at}
			caller := c.caller
			call := &op.Call{Ctx: context.Background(), Caller: &caller, Clock: func() time.Time { return at.Add(90 * time.Second) }}
			p, err := Deps{IAM: f}.verifySessionMFA(call, c.serial, c.code)
			if err != c.err {
				t.Fatalf("error %v, want %v", err, c.err)
			}
			if err != nil {
				if p.verified || call.Caller != &caller {
					t.Errorf("failed proof %+v changed the caller", p)
				}
				return
			}
			if !p.verified || !p.at.Equal(at) || f.user != c.wantUser {
				t.Errorf("proof %+v for %q, want %v for %q", p, f.user, at, c.wantUser)
			}
			if caller.Session != nil {
				if s := call.Caller.Session; s == caller.Session || !s.MFAAuthenticated || !s.MFAAuthTime.Equal(at) {
					t.Errorf("request's session %+v, want a copy with MFA at %v", s, at)
				}
				if caller.Session.MFAAuthenticated {
					t.Errorf("the cached session was changed")
				}
			}
			var ctx policy.Context
			mfaContext(call, p, &ctx)
			if v, _ := ctx.Get("aws:MultiFactorAuthAge"); len(v) != 1 || v[0] != "90" {
				t.Errorf("aws:MultiFactorAuthAge %v, want 90", v)
			}
			if v, _ := ctx.Get("aws:MultiFactorAuthPresent"); len(v) != 1 || v[0] != "true" {
				t.Errorf("aws:MultiFactorAuthPresent %v, want true", v)
			}
		})
	}
}
