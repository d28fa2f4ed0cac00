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
	// Pinned is the account's stored billing permission model: Auto, or
	// the model it is pinned to (gatehouse account set
	// --billing-permissions).
	Pinned PermissionModel `json:"billingPermissions"`
	// Model is the billing permission model in force at the time of the
	// run: the pinned one, or under Auto the one the account's creation
	// date decides (see [EffectiveModel]).
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
	// five versions (the oldest non-default one, on apply with
	// DeleteOldestVersion; in a dry run, the one apply would delete) or
	// the migrated version (on rollback), with its document.
	DeletedVersion  string `json:"deletedVersion,omitempty"`
	DeletedDocument string `json:"deletedDocument,omitempty"`
	// RollbackLimit says what a rollback of this migration cannot undo.
	RollbackLimit string `json:"rollbackLimit,omitempty"`
	// Unmatched lists the statements that carry the migrator's Sid
	// prefix but migrate no statement of the policy; migration and
	// rollback leave them alone (see Migration.Unmatched).
	Unmatched []string `json:"unmatchedMigratorStatements,omitempty"`
	Error     string   `json:"error,omitempty"`
}

// MigrateOptions are the options of [MigrateAccount].
type MigrateOptions struct {
	// Apply writes the migrated policies; without it the run is a dry
	// run that reports what apply would do.
	Apply bool
	// DeleteOldestVersion lets apply delete the oldest non-default
	// version of a managed policy that already has five versions (the
	// most a managed policy keeps), to make room for the migrated one.
	// [RollbackAccount] cannot bring that version back, so without
	// this option such a policy is not migrated and is reported with an
	// Error that says why.
	DeleteOldestVersion bool
}

// reportModels fills the report's stored and effective permission
// models from the account (an unknown stored value counts as Auto, as
// the API's authorizer reads it).
func reportModels(r *Report, a *gatehouse.Account, now time.Time) {
	pinned, ok := ParsePermissionModel(a.BillingPermissions)
	if !ok {
		pinned = Auto
	}
	r.Pinned = pinned
	r.Model = EffectiveModel(a.CreatedAt, pinned, now)
}

// MigrateAccount runs the migrator over an account's customer managed
// policies (their default versions) and the inline policies of its
// users, groups and roles, and reports every policy that uses retired
// actions. With opts.Apply, in one transaction, each migrated managed
// document becomes a new version set as default (the report records the
// previous default), and each migrated inline policy is replaced.
//
// A managed policy that already has five versions needs one deleted
// first. [RollbackAccount] could not bring it back, so unless
// opts.DeleteOldestVersion allows it, such a policy is reported with an
// Error that names the version and is left alone, in a dry run as on
// apply; with the option, the oldest non-default version is deleted and
// the report records it, its document and the RollbackLimit.
//
// A policy that cannot be migrated (too large, or the result fails
// validation) is reported with Error and left alone. now decides the
// reported permission model and stamps new versions.
func MigrateAccount(ctx context.Context, store *gatehouse.TxStore[Tx], accountID string, opts MigrateOptions, now time.Time) (*Report, error) {
	apply := opts.Apply
	r := &Report{AccountID: accountID, Mode: ModeDryRun, Policies: []PolicyReport{}}
	run := store.View
	if apply {
		run, r.Mode = store.Update, ModeApply
	}
	err := run(ctx, func(tx Tx) error {
		r.Policies = r.Policies[:0]
		a, err := tx.Account(accountID)
		if err != nil {
			return err
		}
		reportModels(r, a, now)
		if err := migrateManaged(tx, r, opts, now); err != nil {
			return err
		}
		return forEachInline(tx, accountID, func(owner gatehouse.EntityRef, limit int, all []*gatehouse.InlinePolicy) error {
			return migrateInline(tx, r, owner, limit, all, opts.Apply)
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

func migrateManaged(tx Tx, r *Report, opts MigrateOptions, now time.Time) error {
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
			Statements: m.Statements, Unmatched: m.Unmatched, Changed: m.Changed, PreviousDefaultVersion: p.DefaultVersionID}
		if merr != nil {
			pr.Error = merr.Error()
		} else if m.Changed {
			pr.Error = validationError(v.Document, m.Document, maxManagedPolicySize)
		}
		var victim *gatehouse.PolicyVersion
		if m.Changed && pr.Error == "" {
			versions, err := tx.PolicyVersions(p.ARN()) // newest first
			if err != nil {
				return err
			}
			if len(versions) >= maxVersionsPerPolicy {
				for i := len(versions) - 1; i >= 0 && victim == nil; i-- {
					if versions[i].VersionID != p.DefaultVersionID {
						victim = versions[i]
					}
				}
			}
			if victim != nil {
				if opts.DeleteOldestVersion {
					pr.DeletedVersion, pr.DeletedDocument = victim.VersionID, victim.Document
					pr.RollbackLimit = fmt.Sprintf("version %s was deleted to make room (a managed policy keeps at most %d versions); "+
						"a rollback cannot bring it back: its document is deletedDocument", victim.VersionID, maxVersionsPerPolicy)
				} else {
					pr.Error = fmt.Sprintf("not migrated: the policy has %d versions, the most a managed policy keeps, so migrating it "+
						"would delete version %s (its oldest non-default version), which a rollback cannot bring back; "+
						"delete a version yourself, or allow the migrator to delete it (--delete-oldest-version)",
						len(versions), victim.VersionID)
				}
			}
		}
		if opts.Apply && m.Changed && pr.Error == "" {
			if victim != nil {
				if err := tx.DeletePolicyVersion(p.ARN(), victim.VersionID); err != nil {
					return err
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
func forEachInline(tx Tx, accountID string, fn func(owner gatehouse.EntityRef, limit int, all []*gatehouse.InlinePolicy) error) error {
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

func migrateInline(tx Tx, r *Report, owner gatehouse.EntityRef, limit int, all []*gatehouse.InlinePolicy, apply bool) error {
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
			RetiredActions: m.RetiredActions, Statements: m.Statements, Unmatched: m.Unmatched, Changed: m.Changed}
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

// RollbackAccount undoes [MigrateAccount] for an account, in one
// transaction, from the store alone. Only statements that are, by
// content, the migration of a statement still in the policy are removed
// (see [Rollback]); others that carry the migrator's Sid prefix stay and
// are listed in the policy's report (Unmatched). Every customer managed
// policy whose default version holds migrations gets back, as default,
// the version whose document is that document without them (the newest
// such version older than the migrated one, which is the previous
// default when it still exists; otherwise a new version with that
// document), and the migrated version is deleted; every inline policy
// holding migrations is replaced by its document without them.
//
// What a rollback cannot undo: a version that apply deleted to make room
// (MigrateOptions.DeleteOldestVersion; the apply report holds its
// document), and a previous default version deleted since apply (a new
// version with its document takes its place, under a new version ID).
func RollbackAccount(ctx context.Context, store *gatehouse.TxStore[Tx], accountID string, now time.Time) (*Report, error) {
	r := &Report{AccountID: accountID, Mode: ModeRollback, Policies: []PolicyReport{}}
	err := store.Update(ctx, func(tx Tx) error {
		r.Policies = r.Policies[:0]
		a, err := tx.Account(accountID)
		if err != nil {
			return err
		}
		reportModels(r, a, now)
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
				if !strings.Contains(ip.Document, SidPrefix) {
					continue
				}
				doc, unmatched := RollbackDocument(ip.Document)
				pr := PolicyReport{Kind: "inline", Owner: string(owner.Kind) + "/" + owner.Name, Name: ip.Name, Unmatched: unmatched}
				if doc != ip.Document {
					np := *ip
					np.Document = doc
					if err := tx.PutInlinePolicy(&np); err != nil {
						return err
					}
					pr.Changed, pr.Applied = true, true
				}
				if pr.Changed || len(unmatched) > 0 {
					r.Policies = append(r.Policies, pr)
				}
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

func rollbackManaged(tx Tx, r *Report, p *gatehouse.ManagedPolicy, now time.Time) error {
	cur, err := tx.PolicyVersion(p.ARN(), p.DefaultVersionID)
	if err != nil {
		return err
	}
	if !strings.Contains(cur.Document, SidPrefix) {
		return nil
	}
	orig, unmatched := RollbackDocument(cur.Document)
	pr := PolicyReport{Kind: "managed", ARN: p.ARN(), Name: p.Name, Unmatched: unmatched}
	if orig == cur.Document {
		if len(unmatched) > 0 {
			r.Policies = append(r.Policies, pr)
		}
		return nil
	}
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
	pr.Changed, pr.Applied = true, true
	pr.PreviousDefaultVersion, pr.DeletedVersion, pr.DeletedDocument = cur.VersionID, cur.VersionID, cur.Document
	if restore == "" {
		nv := &gatehouse.PolicyVersion{PolicyARN: p.ARN(), VersionID: "v" + strconv.Itoa(p.NextVersion), Document: orig, CreatedAt: now}
		if err := tx.CreatePolicyVersion(nv); err != nil {
			return err
		}
		p.NextVersion++
		restore = nv.VersionID
		pr.RollbackLimit = "no earlier version holds the document before migration (deleted since apply): it was restored as a new version"
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
