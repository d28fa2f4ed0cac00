package iam

import (
	"context"
	"fmt"
	"strings"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/arn"
	"github.com/gatehouse-dev/gatehouse/policy"
)

// Role quotas and limits (aws-reference §7).
const (
	MaxRolesPerAccount     = 1000
	MaxManagedPerRole      = 10
	MaxInlineRoleSize      = 10240
	MaxTrustPolicySize     = 2048
	MinMaxSessionDuration  = 3600
	MaxMaxSessionDuration  = 43200
	MaxRoleDescriptionSize = 1000
)

// CreateRoleInput is the input of CreateRole.
type CreateRoleInput struct {
	RoleName                 string
	Path                     string
	AssumeRolePolicyDocument string
	Description              string
	MaxSessionDuration       *int
	PermissionsBoundary      string
	Tags                     []gatehouse.Tag
}

func checkMaxSessionDuration(d int) error {
	switch {
	case d < MinMaxSessionDuration:
		return validationError(fmt.Sprint(d), "maxSessionDuration", fmt.Sprintf("have value greater than or equal to %d", MinMaxSessionDuration))
	case d > MaxMaxSessionDuration:
		return validationError(fmt.Sprint(d), "maxSessionDuration", fmt.Sprintf("have value less than or equal to %d", MaxMaxSessionDuration))
	}
	return nil
}

// checkTrustPolicy validates a trust policy and checks that every IAM
// user or role it names in an account of this server exists, as AWS does
// ("Invalid principal in policy"). It returns the bindings of those
// principals to their unique IDs (gatehouse.Role.TrustBindings).
func checkTrustPolicy(tx Tx, doc string) (map[string]string, error) {
	if err := validateDocument(doc, policy.KindTrust, MaxTrustPolicySize, fmt.Sprintf("Cannot exceed quota for ACLSizePerRole: %d", MaxTrustPolicySize)); err != nil {
		return nil, err
	}
	parsed, err := policy.Parse([]byte(doc))
	if err != nil {
		return nil, gatehouse.Errorf(gatehouse.CodeMalformedPolicy, "%s", policy.MsgSyntax)
	}
	return BindPrincipals(tx, parsed)
}

// BindPrincipals resolves every IAM user and role ARN that doc names as
// an AWS principal (in Principal or NotPrincipal) in an account of this
// server to the entity's unique ID, and refuses a document that names one
// that does not exist there (MalformedPolicyDocument "Invalid principal
// in policy", as AWS). Account IDs, "*", session ARNs and principals of
// accounts this server does not host are not bound. The ARN must be the
// entity's own, path included.
func BindPrincipals(tx Tx, doc *policy.Document) (map[string]string, error) {
	return bindPrincipals(tx, doc, false)
}

// bindPrincipals is BindPrincipals; lenient leaves a principal that does
// not exist unbound instead of refusing the document.
func bindPrincipals(tx Tx, doc *policy.Document, lenient bool) (map[string]string, error) {
	var bindings map[string]string
	var failed error
	doc.EachAWSPrincipal(func(v *string) {
		if failed != nil {
			return
		}
		id, bound, err := principalID(tx, *v)
		switch {
		case err != nil && !(lenient && gatehouse.ErrorCode(err) == gatehouse.CodeMalformedPolicy):
			failed = err
		case bound:
			if bindings == nil {
				bindings = map[string]string{}
			}
			bindings[*v] = id
		}
	})
	return bindings, failed
}

// BindTrustPolicies binds the trust policies written before Gatehouse
// bound principals to unique IDs (roles without TrustBindings) to the
// users and roles that hold the names they trust now, so that a name
// reused later is not trusted. Principals that no longer exist stay
// unbound. It runs at server start; a role already bound is left alone.
func (s *Service) BindTrustPolicies(ctx context.Context) error {
	return s.Store.Update(ctx, func(tx Tx) error {
		accounts, err := tx.Accounts()
		if err != nil {
			return err
		}
		for _, a := range accounts {
			roles, err := tx.Roles(a.ID)
			if err != nil {
				return err
			}
			for _, r := range roles {
				if r.TrustBindings != nil || !strings.Contains(r.AssumeRolePolicy, ":iam::") {
					continue
				}
				doc, err := policy.Parse([]byte(r.AssumeRolePolicy))
				if err != nil {
					continue
				}
				bindings, err := bindPrincipals(tx, doc, true)
				if err != nil {
					return err
				}
				if len(bindings) == 0 {
					continue
				}
				r.TrustBindings = bindings
				if err := tx.UpdateRole(r.Name, r); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// ShownTrustPolicy returns a role's trust policy as AWS shows it: a
// principal whose bound user or role is gone (deleted, or the name now
// another entity's) appears as the unique ID it was bound to.
func (s *Service) ShownTrustPolicy(ctx context.Context, r *gatehouse.Role) (string, error) {
	if len(r.TrustBindings) == 0 {
		return r.AssumeRolePolicy, nil
	}
	doc := r.AssumeRolePolicy
	err := s.Store.View(ctx, func(tx Tx) error {
		for arn, id := range r.TrustBindings {
			now, _, err := principalID(tx, arn)
			if err != nil && gatehouse.ErrorCode(err) != gatehouse.CodeMalformedPolicy {
				return err
			}
			if now != id {
				doc = strings.ReplaceAll(doc, `"`+arn+`"`, `"`+id+`"`)
			}
		}
		return nil
	})
	return doc, err
}

// principalID returns the unique ID of the IAM user or role principal
// names, and whether it names one in an account of this server.
func principalID(tx Tx, principal string) (string, bool, error) {
	a, err := arn.Parse(principal)
	if err != nil || a.Service != "iam" {
		return "", false, nil // account IDs, "*": nothing to look up
	}
	if _, err := tx.Account(a.Account); err != nil {
		return "", false, nil // an account this server does not host
	}
	kind, rest, _ := strings.Cut(a.Resource, "/")
	name := rest
	if i := strings.LastIndexByte(rest, '/'); i >= 0 {
		name = rest[i+1:]
	}
	invalid := gatehouse.Errorf(gatehouse.CodeMalformedPolicy, `Invalid principal in policy: "AWS":"%s"`, principal)
	switch kind {
	case "user":
		u, err := tx.User(a.Account, name)
		if gatehouse.ErrorCode(err) == gatehouse.CodeNotFound || (err == nil && u.ARN() != principal) {
			return "", false, invalid
		}
		if err != nil {
			return "", false, err
		}
		return u.ID, true, nil
	case "role":
		r, err := tx.Role(a.Account, name)
		if gatehouse.ErrorCode(err) == gatehouse.CodeNotFound || (err == nil && r.ARN() != principal) {
			return "", false, invalid
		}
		if err != nil {
			return "", false, err
		}
		return r.ID, true, nil
	}
	return "", false, nil // root, and kinds this server has no entities of
}

// CreateRole creates an IAM role.
func (s *Service) CreateRole(ctx context.Context, account string, in CreateRoleInput) (*gatehouse.Role, error) {
	if err := checkName(in.RoleName, "roleName", 64); err != nil {
		return nil, err
	}
	path := orSlash(in.Path)
	if err := checkPath(path, "path"); err != nil {
		return nil, err
	}
	if err := checkDescription(in.Description); err != nil {
		return nil, err
	}
	maxDur := gatehouse.DefaultMaxSessionDuration
	if in.MaxSessionDuration != nil {
		if err := checkMaxSessionDuration(*in.MaxSessionDuration); err != nil {
			return nil, err
		}
		maxDur = *in.MaxSessionDuration
	}
	if err := checkTags(in.Tags); err != nil {
		return nil, err
	}
	if err := CheckDocumentLength(in.AssumeRolePolicyDocument, "assumeRolePolicyDocument"); err != nil {
		return nil, err
	}
	id, err := s.NewID("AROA")
	if err != nil {
		return nil, err
	}
	r := &gatehouse.Role{
		AccountID: account, Name: in.RoleName, ID: id, Path: path, AssumeRolePolicy: in.AssumeRolePolicyDocument,
		Description: in.Description, MaxSessionDuration: maxDur, PermissionsBoundary: in.PermissionsBoundary,
		CreatedAt: s.now(), Tags: in.Tags,
	}
	err = s.Store.Update(ctx, func(tx Tx) error {
		if r.TrustBindings, err = checkTrustPolicy(tx, in.AssumeRolePolicyDocument); err != nil {
			return err
		}
		roles, err := tx.Roles(account)
		if err != nil {
			return err
		}
		if len(roles) >= MaxRolesPerAccount {
			return gatehouse.Errorf(gatehouse.CodeLimit, "Cannot exceed quota for RolesPerAccount: %d", MaxRolesPerAccount)
		}
		if in.PermissionsBoundary != "" {
			if err := requireAttachable(tx, account, in.PermissionsBoundary); err != nil {
				return err
			}
		}
		err = tx.CreateRole(r)
		if gatehouse.ErrorCode(err) == gatehouse.CodeAlreadyExists {
			return gatehouse.Errorf(gatehouse.CodeAlreadyExists, "Role with name %s already exists.", in.RoleName)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

func getRole(tx Tx, account, name string) (*gatehouse.Role, error) {
	r, err := tx.Role(account, name)
	if gatehouse.ErrorCode(err) == gatehouse.CodeNotFound {
		return nil, gatehouse.Errorf(gatehouse.CodeNotFound, "The role with name %s cannot be found.", name)
	}
	return r, err
}

// Role returns a role of the account.
func (s *Service) Role(ctx context.Context, account, name string) (*gatehouse.Role, error) {
	var r *gatehouse.Role
	err := s.Store.View(ctx, func(tx Tx) error {
		var err error
		r, err = getRole(tx, account, name)
		return err
	})
	return r, err
}

// Roles lists the roles whose path starts with pathPrefix.
func (s *Service) Roles(ctx context.Context, account, pathPrefix string) ([]*gatehouse.Role, error) {
	var out []*gatehouse.Role
	err := s.Store.View(ctx, func(tx Tx) error {
		roles, err := tx.Roles(account)
		for _, r := range roles {
			if strings.HasPrefix(r.Path, orSlash(pathPrefix)) {
				out = append(out, r)
			}
		}
		return err
	})
	return out, err
}

// updateRole applies change to a role in one transaction.
func (s *Service) updateRole(ctx context.Context, account, name string, change func(tx Tx, r *gatehouse.Role) error) error {
	return s.Store.Update(ctx, func(tx Tx) error {
		r, err := getRole(tx, account, name)
		if err != nil {
			return err
		}
		if err := change(tx, r); err != nil {
			return err
		}
		return tx.UpdateRole(r.Name, r)
	})
}

// UpdateRole changes a role's description and maximum session duration.
func (s *Service) UpdateRole(ctx context.Context, account, name string, description *string, maxSessionDuration *int) error {
	if description != nil {
		if err := checkDescription(*description); err != nil {
			return err
		}
	}
	if maxSessionDuration != nil {
		if err := checkMaxSessionDuration(*maxSessionDuration); err != nil {
			return err
		}
	}
	return s.updateRole(ctx, account, name, func(_ Tx, r *gatehouse.Role) error {
		if description != nil {
			r.Description = *description
		}
		if maxSessionDuration != nil {
			r.MaxSessionDuration = *maxSessionDuration
		}
		return nil
	})
}

// UpdateAssumeRolePolicy replaces a role's trust policy.
func (s *Service) UpdateAssumeRolePolicy(ctx context.Context, account, name, document string) error {
	if err := CheckDocumentLength(document, "policyDocument"); err != nil {
		return err
	}
	return s.updateRole(ctx, account, name, func(tx Tx, r *gatehouse.Role) error {
		bindings, err := checkTrustPolicy(tx, document)
		if err != nil {
			return err
		}
		r.AssumeRolePolicy, r.TrustBindings = document, bindings
		return nil
	})
}

// DeleteRole deletes a role without policies.
func (s *Service) DeleteRole(ctx context.Context, account, name string) error {
	return s.Store.Update(ctx, func(tx Tx) error {
		r, err := getRole(tx, account, name)
		if err != nil {
			return err
		}
		ref := gatehouse.EntityRef{Kind: gatehouse.KindRole, Name: r.Name}
		if err := checkNoPolicies(tx, account, ref); err != nil {
			return err
		}
		return tx.DeleteRole(account, r.Name)
	})
}

// TagRole adds or replaces tags on a role.
func (s *Service) TagRole(ctx context.Context, account, name string, tags []gatehouse.Tag) error {
	if err := checkTags(tags); err != nil {
		return err
	}
	return s.updateRole(ctx, account, name, func(_ Tx, r *gatehouse.Role) error {
		var err error
		r.Tags, err = addTags(r.Tags, tags)
		return err
	})
}

// UntagRole removes tags from a role by key.
func (s *Service) UntagRole(ctx context.Context, account, name string, keys []string) error {
	if err := checkTagKeys(keys); err != nil {
		return err
	}
	return s.updateRole(ctx, account, name, func(_ Tx, r *gatehouse.Role) error {
		r.Tags = removeTags(r.Tags, keys)
		return nil
	})
}

// PutRolePermissionsBoundary sets a role's permissions boundary.
func (s *Service) PutRolePermissionsBoundary(ctx context.Context, account, name, policyARN string) error {
	return s.updateRole(ctx, account, name, func(tx Tx, r *gatehouse.Role) error {
		if err := requireAttachable(tx, account, policyARN); err != nil {
			return err
		}
		r.PermissionsBoundary = policyARN
		return nil
	})
}

// DeleteRolePermissionsBoundary removes a role's permissions boundary.
func (s *Service) DeleteRolePermissionsBoundary(ctx context.Context, account, name string) error {
	return s.updateRole(ctx, account, name, func(_ Tx, r *gatehouse.Role) error {
		r.PermissionsBoundary = ""
		return nil
	})
}
