package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/authz"
	"github.com/gatehouse-dev/gatehouse/policy"
	"github.com/gatehouse-dev/gatehouse/policy/simulation"
	"github.com/gatehouse-dev/gatehouse/store/sqlite"
)

// notPrincipalCorpus holds the decision corpus's NotPrincipal cases: a
// user and a role session, with and without a permissions boundary,
// listed fully, partly and not at all, in the resource's account and in
// another.
const notPrincipalCorpus = "../../policy/testdata/decisions/045_notprincipal.json"

// TestNotPrincipalAgreement decides every case of notPrincipalCorpus four
// ways and checks that each reaches the case's expected decision and
// deciding policy type:
//
//   - `gatehouse policy simulate --input` on the corpus file;
//   - a real authorization (authz.Authorize) by the case's caller, stored
//     with its identity policies and boundary, against the case's
//     resource policy;
//   - IAM's simulator as SimulatePrincipalPolicy runs it (authz.Simulate
//     with the stored user or role as the source);
//   - for users, as SimulateCustomPolicy runs it (the identity policies
//     and boundary passed as PolicyInputList and
//     PermissionsBoundaryPolicyInputList, the user as CallerArn).
//
// The simulator calls a role's session "SimulatedSession", so for role
// sessions the session ARN in the resource policy is renamed to match.
// Key-policy cases (requireResourceAllow) are decided by the command only:
// Gatehouse serves no KMS keys, so authz has no such resource.
func TestNotPrincipalAgreement(t *testing.T) {
	code, stdout, stderr := runCLI(t, "", "policy", "simulate", "--input", notPrincipalCorpus)
	switch code {
	case exitOK:
	case exitFindings: // some case missed its expectation: the subtests say which
		t.Errorf("gatehouse policy simulate: exit %d\n%s", code, stderr)
	default:
		t.Fatalf("gatehouse policy simulate: exit %d\n%s", code, stderr)
	}
	var outs []simulation.Output
	if err := json.Unmarshal([]byte(stdout), &outs); err != nil {
		t.Fatalf("simulate output: %v\n%s", err, stdout)
	}
	f, err := os.Open(notPrincipalCorpus)
	if err != nil {
		t.Fatal(err)
	}
	cases, err := simulation.DecodeAll(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if len(outs) != len(cases) || len(cases) == 0 {
		t.Fatalf("simulate printed %d results for %d cases", len(outs), len(cases))
	}
	for i := range cases {
		c := &cases[i]
		t.Run(c.Name, func(t *testing.T) {
			want := fmt.Sprintf("%s by %q", c.Expect.Decision, c.Expect.DecidedBy)
			if got := fmt.Sprintf("%s by %q", outs[i].Decision, outs[i].DecidedBy); got != want {
				t.Errorf("gatehouse policy simulate: %s, want %s", got, want)
			}
			if c.Policies.RequireResourceAllow {
				return
			}
			for leg, got := range decideStored(t, c) {
				if got != want {
					t.Errorf("%s: %s, want %s", leg, got, want)
				}
			}
		})
	}
}

// decideStored stores the case's caller with its policies in a new store
// and decides the case by authorization and by IAM's simulator; it
// returns each answer as "decision by \"type\"", by the path that gave it.
func decideStored(t *testing.T, c *simulation.Case) map[string]string {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, ":memory:", sqlite.Options{SecretKey: make([]byte, 32)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })

	p := c.Request.Principal
	account := &gatehouse.Account{ID: p.Account, Email: "root@example.com"}
	var identity, boundary []string
	for _, d := range c.Policies.Identity {
		identity = append(identity, string(d.Document))
	}
	for _, d := range c.Policies.Boundary {
		boundary = append(boundary, string(d.Document))
	}
	if len(boundary) > 1 {
		t.Fatalf("a stored user or role has one boundary, the case gives %d", len(boundary))
	}
	resourcePolicy := ""
	if len(c.Policies.Resource) == 1 {
		resourcePolicy = string(c.Policies.Resource[0].Document)
	} else if len(c.Policies.Resource) > 1 {
		t.Fatalf("a resource has one policy, the case gives %d", len(c.Policies.Resource))
	}
	var reqCtx policy.Context
	for k, v := range c.Request.Context {
		reqCtx.Set(k, v...)
	}

	var user *gatehouse.User
	var role *gatehouse.Role
	var session *gatehouse.Session
	err = st.Update(ctx, func(tx gatehouse.Tx) error {
		if err := tx.CreateAccount(account); err != nil {
			return err
		}
		boundaryARN := ""
		if len(boundary) == 1 {
			mp := &gatehouse.ManagedPolicy{AccountID: p.Account, Name: "Boundary", ID: "ANPAAGREEMENTBOUNDARY", Path: "/",
				DefaultVersionID: "v1", NextVersion: 2}
			if err := tx.CreatePolicy(mp, &gatehouse.PolicyVersion{PolicyARN: mp.ARN(), VersionID: "v1", Document: boundary[0]}); err != nil {
				return err
			}
			boundaryARN = mp.ARN()
		}
		var owner gatehouse.EntityRef
		switch p.Type {
		case "user":
			user = &gatehouse.User{AccountID: p.Account, Name: lastSegment(p.ARN), ID: "AIDAAGREEMENTUSER0001", Path: "/",
				PermissionsBoundary: boundaryARN}
			if err := tx.CreateUser(user); err != nil {
				return err
			}
			owner = gatehouse.EntityRef{Kind: gatehouse.KindUser, Name: user.Name}
		case "role-session":
			role = &gatehouse.Role{AccountID: p.Account, Name: lastSegment(p.IssuerARN), ID: "AROAAGREEMENTROLE0001", Path: "/",
				AssumeRolePolicy: `{}`, MaxSessionDuration: 3600, PermissionsBoundary: boundaryARN}
			if err := tx.CreateRole(role); err != nil {
				return err
			}
			owner = gatehouse.EntityRef{Kind: gatehouse.KindRole, Name: role.Name}
			session = &gatehouse.Session{AccessKeyID: "ASIAAGREEMENT0000001", AccountID: p.Account, Kind: gatehouse.SessionRole,
				RoleName: role.Name, RoleID: role.ID, SessionName: lastSegment(p.ARN), IssuedAt: time.Now(), Expiration: time.Now().Add(time.Hour)}
		default:
			return fmt.Errorf("principal type %q is not stored by this test", p.Type)
		}
		for i, d := range identity {
			if err := tx.PutInlinePolicy(&gatehouse.InlinePolicy{AccountID: p.Account, Owner: owner, Name: fmt.Sprintf("p%d", i), Document: d}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	a := &authz.Authorizer{Store: gatehouse.Narrow[authz.Tx](st)}
	answer := func(r policy.Result, by policy.PolicyType) string { return fmt.Sprintf("%s by %q", r, by) }
	got := map[string]string{}

	caller := &authz.Caller{Account: account, User: user, Role: role, Session: session}
	if session != nil {
		caller.AccessKeyID = session.AccessKeyID
	}
	d, err := a.Authorize(ctx, caller, &authz.Request{Action: c.Request.Action, Resource: c.Request.Resource,
		ResourceAccount: c.Request.ResourceAccount, ResourcePolicy: resourcePolicy, ResourcePolicyID: "resource",
		ResourceType: policy.ResourcePolicy, Context: reqCtx})
	if d.Result != policy.Allowed && gatehouse.ErrorCode(err) != gatehouse.CodeDenied {
		t.Fatalf("authorize: %v", err)
	}
	got["authz.Authorize"] = answer(d.Result, d.DecidedBy)

	simulate := func(leg string, in authz.SimulationInput) {
		in.AccountID, in.Actions, in.Resources = p.Account, []string{c.Request.Action}, []string{c.Request.Resource}
		in.ResourceOwner, in.Context = c.Request.ResourceAccount, reqCtx
		sim, err := a.PrepareSimulation(ctx, in)
		if err != nil {
			t.Fatalf("%s: %v", leg, err)
		}
		rs, _, err := sim.Page(0, 1)
		if err != nil || len(rs) != 1 {
			t.Fatalf("%s: %d results, %v", leg, len(rs), err)
		}
		got[leg] = answer(rs[0].Decision, rs[0].DecidedBy)
	}
	if user != nil {
		simulate("SimulatePrincipalPolicy", authz.SimulationInput{SourceUser: user, ResourcePolicy: resourcePolicy})
		simulate("SimulateCustomPolicy", authz.SimulationInput{PolicyInputs: identity, BoundaryInputs: boundary,
			CallerARN: p.ARN, ResourcePolicy: resourcePolicy})
	} else {
		simulated := authz.SessionARN("", p.Account, role.Name, "SimulatedSession")
		simulate("SimulatePrincipalPolicy", authz.SimulationInput{SourceRole: role,
			ResourcePolicy: strings.ReplaceAll(resourcePolicy, p.ARN, simulated)})
	}
	return got
}

// lastSegment returns what follows the last "/" of an ARN: a user's or
// role's name, or a role session's name.
func lastSegment(arn string) string { return arn[strings.LastIndexByte(arn, '/')+1:] }
