package iam

import (
	"context"
	"sort"

	"github.com/gatehouse-dev/gatehouse"
)

// AuthorizationDetails is a snapshot of an account's IAM configuration
// (GetAccountAuthorizationDetails): every user, group and role with its
// policies and relationships, and the managed policies with all their
// versions.
type AuthorizationDetails struct {
	Users    []UserDetail
	Groups   []GroupDetail
	Roles    []RoleDetail
	Policies []PolicyDetail
}

// UserDetail is a user with its inline policies, groups and attached
// policies.
type UserDetail struct {
	User     *gatehouse.User
	Inline   []*gatehouse.InlinePolicy
	Groups   []string
	Attached []*gatehouse.ManagedPolicy
}

// GroupDetail is a group with its inline and attached policies.
type GroupDetail struct {
	Group    *gatehouse.Group
	Inline   []*gatehouse.InlinePolicy
	Attached []*gatehouse.ManagedPolicy
}

// RoleDetail is a role with its inline and attached policies.
type RoleDetail struct {
	Role     *gatehouse.Role
	Inline   []*gatehouse.InlinePolicy
	Attached []*gatehouse.ManagedPolicy
}

// PolicyDetail is a managed policy with its usage counts and versions.
type PolicyDetail struct {
	*PolicyInfo
	Versions []*gatehouse.PolicyVersion
}

// AuthorizationDetails reads the account's IAM configuration in one
// snapshot. filter holds the entity types to include (User, Group, Role,
// LocalManagedPolicy, AWSManagedPolicy); empty means all. AWS managed
// policies are included only when the account uses them (attached, or as
// a permissions boundary).
func (s *Service) AuthorizationDetails(ctx context.Context, account string, filter []string) (*AuthorizationDetails, error) {
	want := map[string]bool{}
	for _, f := range filter {
		switch f {
		case EntityUser, EntityGroup, EntityRole, EntityLocalManagedPolicy, EntityAWSManagedPolicy:
			want[f] = true
		default:
			return nil, validationError(f, "filter.member", "satisfy enum value set: [User, Role, Group, LocalManagedPolicy, AWSManagedPolicy]")
		}
	}
	all := len(want) == 0
	out := &AuthorizationDetails{}
	err := s.Store.View(ctx, func(tx Tx) error {
		policies := map[string]*gatehouse.ManagedPolicy{}
		attached := func(ref gatehouse.EntityRef) ([]*gatehouse.ManagedPolicy, error) {
			arns, err := tx.AttachedPolicies(account, ref)
			if err != nil {
				return nil, err
			}
			var ps []*gatehouse.ManagedPolicy
			for _, a := range arns {
				p, ok := policies[a]
				if !ok {
					if p, err = tx.Policy(a); err != nil {
						return nil, err
					}
					policies[a] = p
				}
				ps = append(ps, p)
			}
			return ps, nil
		}
		used := map[string]bool{} // AWS managed policies the account uses
		users, err := tx.Users(account)
		if err != nil {
			return err
		}
		for _, u := range users {
			ref := gatehouse.EntityRef{Kind: gatehouse.KindUser, Name: u.Name}
			d := UserDetail{User: u}
			if d.Inline, err = tx.InlinePolicies(account, ref); err != nil {
				return err
			}
			if d.Attached, err = attached(ref); err != nil {
				return err
			}
			groups, err := tx.GroupsForUser(account, u.Name)
			if err != nil {
				return err
			}
			for _, g := range groups {
				d.Groups = append(d.Groups, g.Name)
			}
			markUsed(used, d.Attached, u.PermissionsBoundary)
			if all || want[EntityUser] {
				out.Users = append(out.Users, d)
			}
		}
		groups, err := tx.Groups(account)
		if err != nil {
			return err
		}
		for _, g := range groups {
			ref := gatehouse.EntityRef{Kind: gatehouse.KindGroup, Name: g.Name}
			d := GroupDetail{Group: g}
			if d.Inline, err = tx.InlinePolicies(account, ref); err != nil {
				return err
			}
			if d.Attached, err = attached(ref); err != nil {
				return err
			}
			markUsed(used, d.Attached, "")
			if all || want[EntityGroup] {
				out.Groups = append(out.Groups, d)
			}
		}
		roles, err := tx.Roles(account)
		if err != nil {
			return err
		}
		for _, r := range roles {
			ref := gatehouse.EntityRef{Kind: gatehouse.KindRole, Name: r.Name}
			d := RoleDetail{Role: r}
			if d.Inline, err = tx.InlinePolicies(account, ref); err != nil {
				return err
			}
			if d.Attached, err = attached(ref); err != nil {
				return err
			}
			markUsed(used, d.Attached, r.PermissionsBoundary)
			if all || want[EntityRole] {
				out.Roles = append(out.Roles, d)
			}
		}
		var managed []*gatehouse.ManagedPolicy
		if all || want[EntityLocalManagedPolicy] {
			local, err := tx.Policies(account)
			if err != nil {
				return err
			}
			managed = append(managed, local...)
		}
		if all || want[EntityAWSManagedPolicy] {
			aws, err := tx.Policies(gatehouse.AWSManagedAccount)
			if err != nil {
				return err
			}
			for _, p := range aws {
				if used[p.ARN()] {
					managed = append(managed, p)
				}
			}
		}
		sort.SliceStable(managed, func(i, j int) bool { return managed[i].Name < managed[j].Name })
		for _, p := range managed {
			info, err := s.info(tx, account, p)
			if err != nil {
				return err
			}
			versions, err := tx.PolicyVersions(p.ARN())
			if err != nil {
				return err
			}
			out.Policies = append(out.Policies, PolicyDetail{PolicyInfo: info, Versions: versions})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// markUsed records the AWS managed policies among attached and boundary.
func markUsed(used map[string]bool, attached []*gatehouse.ManagedPolicy, boundary string) {
	for _, p := range attached {
		if p.AccountID == gatehouse.AWSManagedAccount {
			used[p.ARN()] = true
		}
	}
	if boundary != "" {
		used[boundary] = true
	}
}
