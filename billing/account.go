package billing

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/policy"
)

// Policy size quotas (the iam package's MaxManagedPolicySize and inline
// limits, repeated here because billing does not import iam). Inline
// limits apply to the sum of an entity's inline policies.
const (
	maxManagedPolicySize = 6144
	maxInlineUserSize    = 2048
	maxInlineGroupSize   = 5120
	maxInlineRoleSize    = 10240
	maxVersionsPerPolicy = 5
)

// Report modes.
const (
	ModeDryRun   = "dry-run"
	ModeApply    = "apply"
	ModeRollback = "rollback"
)

// Report is what [MigrateAccount] and [RollbackAccount] did, or would do,
// to one account's policies.
type Report struct {
	AccountID string `json:"accountId"`
	// Model is the account's billing permission model at the time of the
	// run (by creation date; see [EffectiveModel]).
	Model PermissionModel `json:"effectiveModel"`
	Mode  string          `json:"mode"`
	// Applied reports whether the store was changed.
	Applied  bool           `json:"applied"`
	Policies []PolicyReport `json:"policies"`
}

// PolicyReport is one affected policy: a customer managed policy (ARN)
// or an inline policy (Owner and Name).
type PolicyReport struct {
	Kind  string `json:"kind"` // "managed" or "inline"
	ARN   string `json:"arn,omitempty"`
	Owner string `json:"owner,omitempty"` // "user/alice", "group/admins", "role/ops"
	Name  string `json:"name"`
	// RetiredActions are the retired actions the policy uses.
	RetiredActions []string `json:"retiredActions,omitempty"`
	// Statements are the per-statement changes (see [StatementChange]).
	Statements []StatementChange `json:"statements,omitempty"`
	// Changed reports whether the migration changes (or, for rollback,
	// restores) the document.
	Changed bool `json:"changed"`
	Applied bool `json:"applied"`
	// PreviousDefaultVersion is the managed policy's default version
	// before the run; NewDefaultVersion the one after (the migrated
	// version, or for rollback the restored one).
	PreviousDefaultVersion string `json:"previousDefaultVersion,omitempty"`
	NewDefaultVersion      string `json:"newDefaultVersion,omitempty"`
	// DeletedVersion is a version deleted to stay within the limit of
	// five versions (the oldest non-default one, on apply) or the
	// migrated version (on rollback), with its document.
	DeletedVersion  string `json:"deletedVersion,omitempty"`
	DeletedDocument string `json:"deletedDocument,omitempty"`
	Error           string `json:"error,omitempty"`
}

// MigrateAccount runs the migrator over an account's customer managed
// policies (their default versions) and the inline policies of its
// users, groups and roles, and reports every policy that uses retired
// actions. With apply, in one transaction, each migrated managed
// document becomes a new version set as default (the oldest non-default
// version is deleted first when the policy already has five; the report
// records it and the previous default), and each migrated inline policy
// is replaced. A policy that cannot be migrated (too large, or the
// result fails validation) is reported with Error and left alone. now
// decides the reported permission model and stamps new versions.
func MigrateAccount(ctx context.Context, store gatehouse.Store, accountID string, apply bool, now time.Time) (*Report, error) {
	r := &Report{AccountID: accountID, Mode: ModeDryRun, Policies: []PolicyReport{}}
	run := store.View
	if apply {
		run, r.Mode = store.Update, ModeApply
	}
	err := run(ctx, func(tx gatehouse.Tx) error {
		r.Policies = r.Policies[:0]
		a, err := tx.Account(accountID)
		if err != nil {
			return err
		}
		r.Model = EffectiveModel(a.CreatedAt, Auto, now)
		if err := migrateManaged(tx, r, apply, now); err != nil {
			return err
		}
		return forEachInline(tx, accountID, func(owner gatehouse.EntityRef, limit int, all []*gatehouse.InlinePolicy) error {
			return migrateInline(tx, r, owner, limit, all, apply)
		})
	})
	if err != nil {
		return nil, err
	}
	r.Applied = apply && changedAny(r)
	return r, nil
}

func changedAny(r *Report) bool {
	for _, p := range r.Policies {
		if p.Applied {
			return true
		}
	}
	return false
}

// validationError returns the first validation error of the migrated
// identity policy that the original document did not already have (a
// stored document may predate a rule), or "".
func validationError(orig, doc string, limit int) string {
	opts := policy.ValidateOptions{Kind: policy.KindIdentity, MaxSize: limit}
	had := map[string]bool{}
	for _, f := range policy.Validate([]byte(orig), opts) {
		had[f.Code+f.Message] = true
	}
	for _, f := range policy.Validate([]byte(doc), opts) {
		if f.Severity == policy.SeverityError && !had[f.Code+f.Message] {
			return "the migrated document fails validation: " + f.Message
		}
	}
	return ""
}

func migrateManaged(tx gatehouse.Tx, r *Report, apply bool, now time.Time) error {
	policies, err := tx.Policies(r.AccountID)
	if err != nil {
		return err
	}
	for _, p := range policies {
		if p.AccountID == gatehouse.AWSManagedAccount {
			continue
		}
		v, err := tx.PolicyVersion(p.ARN(), p.DefaultVersionID)
		if err != nil {
			return err
		}
		m, merr := MigrateDocument(v.Document, maxManagedPolicySize)
		if merr == nil && len(m.RetiredActions) == 0 {
			continue
		}
		pr := PolicyReport{Kind: "managed", ARN: p.ARN(), Name: p.Name, RetiredActions: m.RetiredActions,
			Statements: m.Statements, Changed: m.Changed, PreviousDefaultVersion: p.DefaultVersionID}
		if merr != nil {
			pr.Error = merr.Error()
		} else if m.Changed {
			pr.Error = validationError(v.Document, m.Document, maxManagedPolicySize)
		}
		if apply && m.Changed && pr.Error == "" {
			versions, err := tx.PolicyVersions(p.ARN()) // newest first
			if err != nil {
				return err
			}
			if len(versions) >= maxVersionsPerPolicy {
				for i := len(versions) - 1; i >= 0; i-- {
					if old := versions[i]; old.VersionID != p.DefaultVersionID {
						if err := tx.DeletePolicyVersion(p.ARN(), old.VersionID); err != nil {
							return err
						}
						pr.DeletedVersion, pr.DeletedDocument = old.VersionID, old.Document
						break
					}
				}
			}
			nv := &gatehouse.PolicyVersion{PolicyARN: p.ARN(), VersionID: "v" + strconv.Itoa(p.NextVersion), Document: m.Document, CreatedAt: now}
			if err := tx.CreatePolicyVersion(nv); err != nil {
				return err
			}
			p.NextVersion++
			p.DefaultVersionID = nv.VersionID
			p.UpdatedAt = now
			if err := tx.UpdatePolicy(p); err != nil {
				return err
			}
			pr.NewDefaultVersion, pr.Applied = nv.VersionID, true
		}
		r.Policies = append(r.Policies, pr)
	}
	return nil
}

// forEachInline calls fn for each user, group and role of the account
// that has inline policies, with the entity's inline size limit.
func forEachInline(tx gatehouse.Tx, accountID string, fn func(owner gatehouse.EntityRef, limit int, all []*gatehouse.InlinePolicy) error) error {
	var owners []gatehouse.EntityRef
	limits := map[gatehouse.EntityKind]int{
		gatehouse.KindUser: maxInlineUserSize, gatehouse.KindGroup: maxInlineGroupSize, gatehouse.KindRole: maxInlineRoleSize,
	}
	users, err := tx.Users(accountID)
	if err != nil {
		return err
	}
	for _, u := range users {
		owners = append(owners, gatehouse.EntityRef{Kind: gatehouse.KindUser, Name: u.Name})
	}
	groups, err := tx.Groups(accountID)
	if err != nil {
		return err
	}
	for _, g := range groups {
		owners = append(owners, gatehouse.EntityRef{Kind: gatehouse.KindGroup, Name: g.Name})
	}
	roles, err := tx.Roles(accountID)
	if err != nil {
		return err
	}
	for _, ro := range roles {
		owners = append(owners, gatehouse.EntityRef{Kind: gatehouse.KindRole, Name: ro.Name})
	}
	for _, o := range owners {
		all, err := tx.InlinePolicies(accountID, o)
		if err != nil {
			return err
		}
		if len(all) == 0 {
			continue
		}
		if err := fn(o, limits[o.Kind], all); err != nil {
			return err
		}
	}
	return nil
}

func migrateInline(tx gatehouse.Tx, r *Report, owner gatehouse.EntityRef, limit int, all []*gatehouse.InlinePolicy, apply bool) error {
	total := 0
	for _, ip := range all {
		total += policy.Size([]byte(ip.Document))
	}
	for _, ip := range all {
		own := policy.Size([]byte(ip.Document))
		room := limit - (total - own)
		m, merr := MigrateDocument(ip.Document, room)
		if merr == nil && len(m.RetiredActions) == 0 {
			continue
		}
		pr := PolicyReport{Kind: "inline", Owner: string(owner.Kind) + "/" + owner.Name, Name: ip.Name,
			RetiredActions: m.RetiredActions, Statements: m.Statements, Changed: m.Changed}
		if merr != nil {
			pr.Error = merr.Error()
			if strings.Contains(pr.Error, "size limit") {
				pr.Error += fmt.Sprintf(" (the %s's inline policies share a limit of %d)", owner.Kind, limit)
			}
		} else if m.Changed {
			pr.Error = validationError(ip.Document, m.Document, limit)
		}
		if apply && m.Changed && pr.Error == "" {
			np := *ip
			np.Document = m.Document
			if err := tx.PutInlinePolicy(&np); err != nil {
				return err
			}
			total += policy.Size([]byte(m.Document)) - own
			pr.Applied = true
		}
		r.Policies = append(r.Policies, pr)
	}
	return nil
}

// migrated reports whether doc holds statements the migrator appended.
func migrated(doc string) bool {
	return strings.Contains(doc, SidPrefix) && Rollback(doc) != doc
}

// RollbackAccount undoes [MigrateAccount] for an account, in one
// transaction, from the store alone: every customer managed policy whose
// default version holds migrator statements gets back the version whose
// document is that document without them (the newest such version older
// than the migrated one, which is the previous default when it still
// exists; otherwise a new version with that document) as default, and
// the migrated version is deleted; every inline policy holding migrator
// statements is replaced by its document without them. A version that
// apply deleted to make room is not brought back (the apply report
// holds its document).
func RollbackAccount(ctx context.Context, store gatehouse.Store, accountID string, now time.Time) (*Report, error) {
	r := &Report{AccountID: accountID, Mode: ModeRollback, Policies: []PolicyReport{}}
	err := store.Update(ctx, func(tx gatehouse.Tx) error {
		r.Policies = r.Policies[:0]
		a, err := tx.Account(accountID)
		if err != nil {
			return err
		}
		r.Model = EffectiveModel(a.CreatedAt, Auto, now)
		policies, err := tx.Policies(accountID)
		if err != nil {
			return err
		}
		for _, p := range policies {
			if p.AccountID == gatehouse.AWSManagedAccount {
				continue
			}
			if err := rollbackManaged(tx, r, p, now); err != nil {
				return err
			}
		}
		return forEachInline(tx, accountID, func(owner gatehouse.EntityRef, _ int, all []*gatehouse.InlinePolicy) error {
			for _, ip := range all {
				if !migrated(ip.Document) {
					continue
				}
				np := *ip
				np.Document = Rollback(ip.Document)
				if err := tx.PutInlinePolicy(&np); err != nil {
					return err
				}
				r.Policies = append(r.Policies, PolicyReport{Kind: "inline", Owner: string(owner.Kind) + "/" + owner.Name,
					Name: ip.Name, Changed: true, Applied: true})
			}
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	r.Applied = changedAny(r)
	return r, nil
}

func rollbackManaged(tx gatehouse.Tx, r *Report, p *gatehouse.ManagedPolicy, now time.Time) error {
	cur, err := tx.PolicyVersion(p.ARN(), p.DefaultVersionID)
	if err != nil {
		return err
	}
	if !migrated(cur.Document) {
		return nil
	}
	orig := Rollback(cur.Document)
	versions, err := tx.PolicyVersions(p.ARN()) // newest first
	if err != nil {
		return err
	}
	restore := ""
	for after, i := false, 0; i < len(versions) && restore == ""; i++ {
		if versions[i].VersionID == cur.VersionID {
			after = true
		} else if after && versions[i].Document == orig {
			restore = versions[i].VersionID
		}
	}
	pr := PolicyReport{Kind: "managed", ARN: p.ARN(), Name: p.Name, Changed: true, Applied: true,
		PreviousDefaultVersion: cur.VersionID, DeletedVersion: cur.VersionID, DeletedDocument: cur.Document}
	if restore == "" {
		nv := &gatehouse.PolicyVersion{PolicyARN: p.ARN(), VersionID: "v" + strconv.Itoa(p.NextVersion), Document: orig, CreatedAt: now}
		if err := tx.CreatePolicyVersion(nv); err != nil {
			return err
		}
		p.NextVersion++
		restore = nv.VersionID
	}
	p.DefaultVersionID = restore
	p.UpdatedAt = now
	if err := tx.UpdatePolicy(p); err != nil {
		return err
	}
	if err := tx.DeletePolicyVersion(p.ARN(), cur.VersionID); err != nil {
		return err
	}
	pr.NewDefaultVersion = restore
	r.Policies = append(r.Policies, pr)
	return nil
}
