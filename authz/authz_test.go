package authz_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/authz"
	"github.com/gatehouse-dev/gatehouse/policy"
	"github.com/gatehouse-dev/gatehouse/store/sqlite"
)

const acct = "111122223333"

func doc(effect, action string) string {
	return fmt.Sprintf(`{"Version":"2012-10-17","Statement":{"Effect":%q,"Action":%q,"Resource":"*"}}`, effect, action)
}

// TestIdentityBoundarySession crosses identity policy × permissions
// boundary × session policy for a role session and checks the decision
// and the policy type named in the AccessDenied message (§4.2, §5.3).
func TestIdentityBoundarySession(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, ":memory:", sqlite.Options{SecretKey: make([]byte, 32)})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	a := &authz.Authorizer{Store: gatehouse.Narrow[authz.Tx](st)}
	account := &gatehouse.Account{ID: acct, Email: "r@example.com"}

	// none: no policy of that type; allow / deny: one allowing or
	// explicitly denying s3:GetObject; other: allows only s3:PutObject.
	kinds := []string{"none", "allow", "deny", "other"}
	n := 0
	for _, id := range kinds {
		for _, bound := range kinds {
			for _, sess := range kinds {
				name := fmt.Sprintf("identity=%s/boundary=%s/session=%s", id, bound, sess)
				n++
				roleID := fmt.Sprintf("AROA%017d", n)
				t.Run(name, func(t *testing.T) {
					role := &gatehouse.Role{AccountID: acct, Name: strings.ReplaceAll(strings.ReplaceAll(name, "/", "-"), "=", "_"),
						ID: roleID, Path: "/", AssumeRolePolicy: `{}`, MaxSessionDuration: 3600}
					session := &gatehouse.Session{AccessKeyID: "ASIATEST", AccountID: acct, Kind: gatehouse.SessionRole,
						RoleName: role.Name, SessionName: "s", IssuedAt: time.Now(), Expiration: time.Now().Add(time.Hour)}
					err := st.Update(ctx, func(tx gatehouse.Tx) error {
						if _, err := tx.Account(acct); err != nil {
							if err := tx.CreateAccount(account); err != nil {
								return err
							}
						}
						role.ID = roleID
						if err := tx.CreateRole(role); err != nil {
							return err
						}
						ref := gatehouse.EntityRef{Kind: gatehouse.KindRole, Name: role.Name}
						switch id {
						case "allow":
							return tx.PutInlinePolicy(&gatehouse.InlinePolicy{AccountID: acct, Owner: ref, Name: "p", Document: doc("Allow", "s3:GetObject")})
						case "deny":
							if err := tx.PutInlinePolicy(&gatehouse.InlinePolicy{AccountID: acct, Owner: ref, Name: "all", Document: doc("Allow", "*")}); err != nil {
								return err
							}
							return tx.PutInlinePolicy(&gatehouse.InlinePolicy{AccountID: acct, Owner: ref, Name: "p", Document: doc("Deny", "s3:GetObject")})
						case "other":
							return tx.PutInlinePolicy(&gatehouse.InlinePolicy{AccountID: acct, Owner: ref, Name: "p", Document: doc("Allow", "s3:PutObject")})
						}
						return nil
					})
					if err != nil {
						t.Fatal(err)
					}
					if bound != "none" {
						boundaryARN := setBoundary(t, st, role, bound)
						role.PermissionsBoundary = boundaryARN
					}
					switch sess {
					case "allow":
						session.SessionPolicy = doc("Allow", "s3:GetObject")
					case "deny":
						session.SessionPolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"s3:GetObject","Resource":"*"}]}`
					case "other":
						session.SessionPolicy = doc("Allow", "s3:PutObject")
					}
					caller := &authz.Caller{Account: account, Role: role, Session: session, AccessKeyID: "ASIATEST"}
					d, err := a.Authorize(ctx, caller, &authz.Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k"})

					// What AWS decides (§4.2): an explicit deny anywhere wins; then
					// identity must allow, the boundary (if any) must allow, and the
					// session policy (if any) must allow.
					wantResult, wantType := policy.Allowed, policy.IdentityPolicy
					switch {
					case id == "deny":
						wantResult, wantType = policy.ExplicitDeny, policy.IdentityPolicy
					case bound == "deny":
						wantResult, wantType = policy.ExplicitDeny, policy.PermissionsBoundary
					case sess == "deny":
						wantResult, wantType = policy.ExplicitDeny, policy.SessionPolicy
					case id != "allow":
						wantResult, wantType = policy.ImplicitDeny, policy.IdentityPolicy
					case bound == "other":
						wantResult, wantType = policy.ImplicitDeny, policy.PermissionsBoundary
					case sess == "other":
						wantResult, wantType = policy.ImplicitDeny, policy.SessionPolicy
					}
					if d.Result != wantResult || d.DecidedBy != wantType {
						t.Fatalf("got %v by %v, want %v by %v", d.Result, d.DecidedBy, wantResult, wantType)
					}
					if wantResult == policy.Allowed {
						if err != nil {
							t.Fatalf("allowed but error %v", err)
						}
						return
					}
					msg := gatehouse.ErrorMessage(err)
					wantMsg := "User: arn:aws:sts::" + acct + ":assumed-role/" + role.Name + "/s is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::b/k "
					if wantResult == policy.ExplicitDeny {
						wantMsg += "with an explicit deny in a"
						if wantType == policy.IdentityPolicy {
							wantMsg += "n"
						}
						wantMsg += " " + wantType.String()
					} else {
						wantMsg += "because no " + wantType.String() + " allows the s3:GetObject action"
					}
					if gatehouse.ErrorCode(err) != gatehouse.CodeDenied || msg != wantMsg {
						t.Fatalf("error %v\nwant AccessDenied: %s", err, wantMsg)
					}
				})
			}
		}
	}
}

// setBoundary stores a managed policy for the boundary kind and sets it
// on the role.
func setBoundary(t *testing.T, st gatehouse.Store, role *gatehouse.Role, kind string) string {
	t.Helper()
	var d string
	switch kind {
	case "allow":
		d = doc("Allow", "s3:GetObject")
	case "deny":
		d = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"s3:GetObject","Resource":"*"}]}`
	case "other":
		d = doc("Allow", "s3:PutObject")
	}
	p := &gatehouse.ManagedPolicy{AccountID: acct, Name: "b-" + role.ID, ID: "ANPA" + role.ID[4:], Path: "/", DefaultVersionID: "v1", NextVersion: 2}
	err := st.Update(context.Background(), func(tx gatehouse.Tx) error {
		if err := tx.CreatePolicy(p, &gatehouse.PolicyVersion{PolicyARN: p.ARN(), VersionID: "v1", Document: d}); err != nil {
			return err
		}
		role.PermissionsBoundary = p.ARN()
		return tx.UpdateRole(role.Name, role)
	})
	if err != nil {
		t.Fatal(err)
	}
	return p.ARN()
}
