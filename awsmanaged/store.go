package awsmanaged

import (
	"context"
	"errors"
	"strings"

	"github.com/gatehouse-dev/gatehouse"
)

// ErrReadOnly is returned by a write to an AWS managed policy through a
// wrapped store. The services refuse such writes with AWS's errors
// before they reach the store; this is the store's own guard.
var ErrReadOnly = errors.New("awsmanaged: AWS managed policies are read-only")

// Store is a [gatehouse.Store] whose transactions see the AWS managed
// policies of a [Set] (account "aws", in either partition's ARN) as if
// stored: Policy, Policies, PolicyVersion and PolicyVersions answer them
// from the set, attachments of them are checked against the set and kept
// by the wrapped store under the policy's own ARN, and writes to them fail
// with ErrReadOnly. Everything else goes to the wrapped store.
type Store struct {
	gatehouse.Store
	Set *Set
}

// Wrap returns inner with the AWS managed policies of set in front of it.
// A nil set stands for the embedded one, [Default], decoded only when a
// transaction first needs it.
func Wrap(inner gatehouse.Store, set *Set) *Store {
	return &Store{Store: inner, Set: set}
}

func (s *Store) set() *Set {
	if s.Set == nil {
		return Default()
	}
	return s.Set
}

var _ gatehouse.Store = (*Store)(nil)

// Update runs fn in a write transaction of the wrapped store.
func (s *Store) Update(ctx context.Context, fn func(tx gatehouse.Tx) error) error {
	return s.Store.Update(ctx, func(t gatehouse.Tx) error { return fn(&tx{Tx: t, store: s}) })
}

// View runs fn in a read-only transaction of the wrapped store.
func (s *Store) View(ctx context.Context, fn func(tx gatehouse.Tx) error) error {
	return s.Store.View(ctx, func(t gatehouse.Tx) error { return fn(&tx{Tx: t, store: s}) })
}

// tx asks its store for the set only when it meets an AWS managed
// policy, so that transactions that never do (most of them, and all of
// those at start-up) leave the embedded set undecoded.
type tx struct {
	gatehouse.Tx
	store *Store
}

func (t *tx) set() *Set { return t.store.set() }

// isAWS reports whether arn names a policy of account "aws", in any
// partition; such an ARN never reaches the wrapped store's policy reads.
func isAWS(arn string) bool {
	rest, ok := strings.CutPrefix(arn, "arn:")
	if !ok {
		return false
	}
	_, rest, ok = strings.Cut(rest, ":iam::")
	return ok && strings.HasPrefix(rest, gatehouse.AWSManagedAccount+":")
}

// noSuchPolicy is the store's error for an unknown policy.
func noSuchPolicy(arn string) error {
	return gatehouse.Errorf(gatehouse.CodeNotFound, "Policy %s does not exist or is not attachable.", arn)
}

func (t *tx) Policy(arn string) (*gatehouse.ManagedPolicy, error) {
	if !isAWS(arn) {
		return t.Tx.Policy(arn)
	}
	p, ok := t.set().Policy(arn)
	if !ok {
		return nil, noSuchPolicy(arn)
	}
	return p, nil
}

func (t *tx) Policies(accountID string) ([]*gatehouse.ManagedPolicy, error) {
	if accountID == gatehouse.AWSManagedAccount {
		return t.set().Policies(), nil
	}
	return t.Tx.Policies(accountID)
}

func (t *tx) PolicyVersion(arn, versionID string) (*gatehouse.PolicyVersion, error) {
	if !isAWS(arn) {
		return t.Tx.PolicyVersion(arn, versionID)
	}
	v, ok, err := t.set().Version(arn, versionID)
	if err != nil {
		return nil, err
	}
	if !ok {
		if _, known := t.set().lookup(arn); !known {
			return nil, noSuchPolicy(arn)
		}
		return nil, gatehouse.Errorf(gatehouse.CodeNotFound, "Policy %s version %s does not exist or is not attachable.", arn, versionID)
	}
	return v, nil
}

func (t *tx) PolicyVersions(arn string) ([]*gatehouse.PolicyVersion, error) {
	if !isAWS(arn) {
		return t.Tx.PolicyVersions(arn)
	}
	vs, ok, err := t.set().Versions(arn)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, noSuchPolicy(arn)
	}
	return vs, nil
}

// canonical returns the ARN of the AWS managed policy arn names, in the
// standard partition and the set's spelling, or CodeNotFound.
func (t *tx) canonical(arn string) (string, error) {
	p, ok := t.set().Policy(arn)
	if !ok {
		return "", noSuchPolicy(arn)
	}
	return p.ARN(), nil
}

func (t *tx) AttachPolicy(accountID string, e gatehouse.EntityRef, policyARN string) error {
	if isAWS(policyARN) {
		arn, err := t.canonical(policyARN)
		if err != nil {
			return err
		}
		policyARN = arn
	}
	return t.Tx.AttachPolicy(accountID, e, policyARN)
}

func (t *tx) DetachPolicy(accountID string, e gatehouse.EntityRef, policyARN string) error {
	if isAWS(policyARN) {
		arn, err := t.canonical(policyARN)
		if err != nil {
			return gatehouse.Errorf(gatehouse.CodeNotFound, "Policy %s was not found.", policyARN)
		}
		policyARN = arn
	}
	return t.Tx.DetachPolicy(accountID, e, policyARN)
}

func (t *tx) PolicyAttachments(accountID, policyARN string) ([]gatehouse.EntityRef, error) {
	if isAWS(policyARN) {
		arn, err := t.canonical(policyARN)
		if err != nil {
			return nil, err
		}
		policyARN = arn
	}
	return t.Tx.PolicyAttachments(accountID, policyARN)
}

func (t *tx) CreatePolicy(p *gatehouse.ManagedPolicy, v *gatehouse.PolicyVersion) error {
	if p.AccountID == gatehouse.AWSManagedAccount {
		return ErrReadOnly
	}
	return t.Tx.CreatePolicy(p, v)
}

func (t *tx) UpdatePolicy(p *gatehouse.ManagedPolicy) error {
	if p.AccountID == gatehouse.AWSManagedAccount {
		return ErrReadOnly
	}
	return t.Tx.UpdatePolicy(p)
}

func (t *tx) DeletePolicy(arn string) error {
	if isAWS(arn) {
		return ErrReadOnly
	}
	return t.Tx.DeletePolicy(arn)
}

func (t *tx) CreatePolicyVersion(v *gatehouse.PolicyVersion) error {
	if isAWS(v.PolicyARN) {
		return ErrReadOnly
	}
	return t.Tx.CreatePolicyVersion(v)
}

func (t *tx) DeletePolicyVersion(arn, versionID string) error {
	if isAWS(arn) {
		return ErrReadOnly
	}
	return t.Tx.DeletePolicyVersion(arn, versionID)
}
