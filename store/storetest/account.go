package storetest

import (
	"testing"

	"github.com/gatehouse-dev/gatehouse"
)

func accountTests() []test {
	return []test{
		{"Partition", func(t *testing.T, s gatehouse.Store) {
			// A linked GovCloud account: its partition is kept, its ARNs
			// name it, and policy ARNs resolve in its partition only (AWS
			// managed policies in either).
			const gov = "444444444444"
			a := newAccount(gov, 0)
			a.Partition = gatehouse.PartitionGovCloud
			mustUpdate(t, s, func(tx gatehouse.Tx) error {
				if err := tx.CreateAccount(a); err != nil {
					return err
				}
				return tx.CreateAccount(newAccount(acct1, 1))
			})
			mustView(t, s, func(tx gatehouse.Tx) error {
				got, err := tx.Account(gov)
				if err != nil {
					return err
				}
				wantEqual(t, "partition", got.Partition, gatehouse.PartitionGovCloud)
				wantEqual(t, "root ARN", got.RootARN(), "arn:aws-us-gov:iam::"+gov+":root")
				std, err := tx.Account(acct1)
				if err != nil {
					return err
				}
				wantEqual(t, "standard partition", std.Partition, "")
				wantEqual(t, "standard root ARN", std.RootARN(), "arn:aws:iam::"+acct1+":root")
				return nil
			})
			p := newPolicy(gov, "gov-policy")
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.CreatePolicy(p, firstVersion(p)) })
			wantEqual(t, "policy ARN", p.ARN(), "arn:aws-us-gov:iam::"+gov+":policy/gov-policy")
			mustView(t, s, func(tx gatehouse.Tx) error {
				for arn, want := range map[string]gatehouse.Code{
					"arn:aws-us-gov:iam::" + gov + ":policy/gov-policy": "",
					"arn:aws:iam::" + gov + ":policy/gov-policy":        gatehouse.CodeNotFound,
					// The store holds no AWS managed policy (see AWSManagedAttachments).
					"arn:aws-us-gov:iam::aws:policy/ReadOnlyAccess":       gatehouse.CodeNotFound,
					"arn:aws-us-gov:iam::" + acct1 + ":policy/gov-policy": gatehouse.CodeNotFound,
				} {
					_, err := tx.Policy(arn)
					if gatehouse.ErrorCode(err) != want && !(want == "" && err == nil) {
						t.Errorf("Policy(%s): %v, want %q", arn, err, want)
					}
				}
				return nil
			})
		}},
		{"EntityPartition", func(t *testing.T, s gatehouse.Store) {
			// The users, groups, roles and policies of a GovCloud account
			// read back with its partition, by every read; a standard
			// account's with none.
			const gov = "444444444444"
			a := newAccount(gov, 0)
			a.Partition = gatehouse.PartitionGovCloud
			var created []interface{ ARN() string }
			mustUpdate(t, s, func(tx gatehouse.Tx) error {
				if err := tx.CreateAccount(a); err != nil {
					return err
				}
				if err := tx.CreateAccount(newAccount(acct1, 1)); err != nil {
					return err
				}
				for _, acct := range []string{gov, acct1} {
					u, g, r, p := newUser(acct, "kim"), newGroup(acct, "ops"), newRole(acct, "app"), newPolicy(acct, "pol")
					for _, err := range []error{tx.CreateUser(u), tx.CreateGroup(g), tx.CreateRole(r), tx.CreatePolicy(p, firstVersion(p)),
						tx.AddUserToGroup(acct, "ops", "kim")} {
						if err != nil {
							return err
						}
					}
					created = append(created, u, g, r, p)
				}
				return nil
			})
			for _, e := range created[:4] {
				if arn := e.ARN(); arn[:15] != "arn:aws-us-gov:" {
					t.Errorf("created in GovCloud: %s", arn)
				}
			}
			mustView(t, s, func(tx gatehouse.Tx) error {
				for acct, want := range map[string]string{gov: gatehouse.PartitionGovCloud, acct1: ""} {
					prefix := "arn:" + gatehouse.PartitionName(want) + ":iam::" + acct + ":"
					u, err := tx.User(acct, "kim")
					if err != nil {
						return err
					}
					users, err := tx.Users(acct)
					if err != nil {
						return err
					}
					members, err := tx.GroupMembers(acct, "ops")
					if err != nil {
						return err
					}
					g, err := tx.Group(acct, "ops")
					if err != nil {
						return err
					}
					groups, err := tx.Groups(acct)
					if err != nil {
						return err
					}
					userGroups, err := tx.GroupsForUser(acct, "kim")
					if err != nil {
						return err
					}
					r, err := tx.Role(acct, "app")
					if err != nil {
						return err
					}
					roles, err := tx.Roles(acct)
					if err != nil {
						return err
					}
					p, err := tx.Policy(prefix + "policy/pol")
					if err != nil {
						return err
					}
					policies, err := tx.Policies(acct)
					if err != nil {
						return err
					}
					for _, got := range []struct {
						read, partition, arn, want string
					}{
						{"User", u.Partition, u.ARN(), prefix + "user/kim"},
						{"Users", users[0].Partition, users[0].ARN(), prefix + "user/kim"},
						{"GroupMembers", members[0].Partition, members[0].ARN(), prefix + "user/kim"},
						{"Group", g.Partition, g.ARN(), prefix + "group/ops"},
						{"Groups", groups[0].Partition, groups[0].ARN(), prefix + "group/ops"},
						{"GroupsForUser", userGroups[0].Partition, userGroups[0].ARN(), prefix + "group/ops"},
						{"Role", r.Partition, r.ARN(), prefix + "role/app"},
						{"Roles", roles[0].Partition, roles[0].ARN(), prefix + "role/app"},
						{"Policy", p.Partition, p.ARN(), prefix + "policy/pol"},
						{"Policies", policies[0].Partition, policies[0].ARN(), prefix + "policy/pol"},
					} {
						wantEqual(t, acct+" "+got.read+" partition", got.partition, want)
						wantEqual(t, acct+" "+got.read+" ARN", got.arn, got.want)
					}
				}
				return nil
			})
		}},
		{"CreateGet", func(t *testing.T, s gatehouse.Store) {
			want := newAccount(acct1, 0)
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.CreateAccount(want) })
			mustView(t, s, func(tx gatehouse.Tx) error {
				got, err := tx.Account(acct1)
				if err != nil {
					return err
				}
				wantEqual(t, "account", normAccount(got), normAccount(want))
				return nil
			})
		}},
		{"ListSortedByID", func(t *testing.T, s gatehouse.Store) {
			mustUpdate(t, s, func(tx gatehouse.Tx) error {
				for i, a := range []string{"333333333333", acct1, acct2} {
					if err := tx.CreateAccount(newAccount(a, i)); err != nil {
						return err
					}
				}
				return nil
			})
			mustView(t, s, func(tx gatehouse.Tx) error {
				accounts, err := tx.Accounts()
				if err != nil {
					return err
				}
				var ids []string
				for _, a := range accounts {
					ids = append(ids, a.ID)
				}
				wantEqual(t, "account IDs", ids, []string{acct1, acct2, "333333333333"})
				return nil
			})
		}},
		{"ListEmpty", func(t *testing.T, s gatehouse.Store) {
			mustView(t, s, func(tx gatehouse.Tx) error {
				accounts, err := tx.Accounts()
				if err != nil {
					return err
				}
				if len(accounts) != 0 {
					t.Errorf("Accounts() on an empty store = %s", show(accounts))
				}
				return nil
			})
		}},
		{"Update", func(t *testing.T, s gatehouse.Store) {
			seedAccounts(t, s)
			want := newAccount(acct1, 0)
			want.Email, want.Name, want.RootPasswordHash = "new@example.com", "renamed", ""
			want.BillingPermissions = "legacy"
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.UpdateAccount(want) })
			mustView(t, s, func(tx gatehouse.Tx) error {
				got, err := tx.Account(acct1)
				if err != nil {
					return err
				}
				wantEqual(t, "account", normAccount(got), normAccount(want))
				other, err := tx.Account(acct2)
				if err != nil {
					return err
				}
				wantEqual(t, "other account", normAccount(other), normAccount(newAccount(acct2, 1)))
				return nil
			})
		}},
		{"Errors", func(t *testing.T, s gatehouse.Store) {
			seedAccounts(t, s)
			runErrorCases(t, s, []errorCase{
				{"CreateDuplicate", func(tx gatehouse.Tx) error { return tx.CreateAccount(newAccount(acct1, 5)) },
					gatehouse.CodeAlreadyExists},
				{"GetUnknown", func(tx gatehouse.Tx) error { _, err := tx.Account("999999999999"); return err },
					gatehouse.CodeNotFound},
				{"UpdateUnknown", func(tx gatehouse.Tx) error { return tx.UpdateAccount(newAccount("999999999999", 0)) },
					gatehouse.CodeNotFound},
			})
		}},
	}
}

func aliasTests() []test {
	return []test{
		{"NoneByDefault", func(t *testing.T, s gatehouse.Store) {
			seedAccounts(t, s)
			mustView(t, s, func(tx gatehouse.Tx) error {
				alias, err := tx.AccountAlias(acct1)
				if err != nil {
					return err
				}
				if alias != "" {
					t.Errorf("AccountAlias = %q, want none", alias)
				}
				return nil
			})
		}},
		{"SetReplaceDelete", func(t *testing.T, s gatehouse.Store) {
			seedAccounts(t, s)
			wantAlias := func(want string) {
				t.Helper()
				mustView(t, s, func(tx gatehouse.Tx) error {
					got, err := tx.AccountAlias(acct1)
					if err != nil {
						return err
					}
					if got != want {
						t.Errorf("AccountAlias = %q, want %q", got, want)
					}
					return nil
				})
			}
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.SetAccountAlias(acct1, "first") })
			wantAlias("first")
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.SetAccountAlias(acct1, "first") })
			wantAlias("first")
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.SetAccountAlias(acct1, "second") })
			wantAlias("second")
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.DeleteAccountAlias(acct1) })
			wantAlias("")
		}},
		{"UniqueAcrossAccounts", func(t *testing.T, s gatehouse.Store) {
			seedAccounts(t, s)
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.SetAccountAlias(acct1, "taken") })
			runErrorCases(t, s, []errorCase{
				{"SetTaken", func(tx gatehouse.Tx) error { return tx.SetAccountAlias(acct2, "taken") },
					gatehouse.CodeAlreadyExists},
			})
			// Once released, the alias is free for another account.
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.SetAccountAlias(acct1, "other") })
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.SetAccountAlias(acct2, "taken") })
			mustView(t, s, func(tx gatehouse.Tx) error {
				a1, err := tx.AccountAlias(acct1)
				if err != nil {
					return err
				}
				a2, err := tx.AccountAlias(acct2)
				if err != nil {
					return err
				}
				wantEqual(t, "aliases", []string{a1, a2}, []string{"other", "taken"})
				return nil
			})
		}},
		{"Errors", func(t *testing.T, s gatehouse.Store) {
			seedAccounts(t, s)
			runErrorCases(t, s, []errorCase{
				{"DeleteNone", func(tx gatehouse.Tx) error { return tx.DeleteAccountAlias(acct1) },
					gatehouse.CodeNotFound},
				{"SetUnknownAccount", func(tx gatehouse.Tx) error { return tx.SetAccountAlias("999999999999", "x") },
					gatehouse.CodeNotFound},
				{"GetUnknownAccount", func(tx gatehouse.Tx) error { _, err := tx.AccountAlias("999999999999"); return err },
					gatehouse.CodeNotFound},
			})
		}},
	}
}
