package sqlite

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/gatehouse-dev/gatehouse"
)

// policyColumns are the columns scanPolicy reads, from table policies
// aliased p, and the partition of the policy's account.
const policyColumns = `p.id, p.account_id, p.name, p.path, p.description, p.default_version_id, p.next_version,
	p.created_at, p.updated_at, p.tags, ` + accountPartitionOf + `p.account_id), '')`

func scanPolicy(row scanner) (*gatehouse.ManagedPolicy, error) {
	var p gatehouse.ManagedPolicy
	var created, updated sql.NullInt64
	var tags string
	if err := row.Scan(&p.ID, &p.AccountID, &p.Name, &p.Path, &p.Description, &p.DefaultVersionID, &p.NextVersion,
		&created, &updated, &tags, &p.Partition); err != nil {
		return nil, err
	}
	p.CreatedAt, p.UpdatedAt = decodeTime(created), decodeTime(updated)
	var err error
	if p.Tags, err = decodeTags(tags); err != nil {
		return nil, err
	}
	return &p, nil
}

func noSuchPolicy(arn string) error {
	return gatehouse.Errorf(gatehouse.CodeNotFound, "Policy %s does not exist or is not attachable.", arn)
}

func noSuchPolicyVersion(arn, versionID string) error {
	return gatehouse.Errorf(gatehouse.CodeNotFound, "Policy %s version %s does not exist or is not attachable.", arn, versionID)
}

// splitPolicyARN splits arn:PARTITION:iam::ACCOUNT:policy/PATH/NAME into
// the partition, the account, the path ("/" or "/.../") and the name. AWS
// managed policies (account "aws") are in both the standard and the
// GovCloud partition; any other policy is only in its account's, which
// the caller checks against the policy it reads.
func splitPolicyARN(arn string) (partition, account, path, name string, ok bool) {
	rest, ok := strings.CutPrefix(arn, "arn:")
	if !ok {
		return "", "", "", "", false
	}
	partition, rest, ok = strings.Cut(rest, ":iam::")
	if !ok {
		return "", "", "", "", false
	}
	account, resource, ok := strings.Cut(rest, ":")
	if !ok {
		return "", "", "", "", false
	}
	if account == gatehouse.AWSManagedAccount {
		if partition != gatehouse.Partition && partition != gatehouse.PartitionGovCloud {
			return "", "", "", "", false
		}
	}
	pathName, ok := strings.CutPrefix(resource, "policy/")
	if !ok {
		return "", "", "", "", false
	}
	i := strings.LastIndexByte(pathName, '/')
	path, name = "/"+pathName[:i+1], pathName[i+1:]
	if account == "" || name == "" {
		return "", "", "", "", false
	}
	return partition, account, path, name, true
}

// pathOrRoot returns path, or "/" for "" as in [gatehouse.EntityARN].
func pathOrRoot(path string) string {
	if path == "" {
		return "/"
	}
	return path
}

// policy returns the policy with the given ARN, whose name part matches
// ignoring case.
func (t *tx) policy(arn string) (*gatehouse.ManagedPolicy, error) {
	partition, account, path, name, ok := splitPolicyARN(arn)
	if !ok {
		return nil, noSuchPolicy(arn)
	}
	p, err := scanPolicy(t.queryRow(`SELECT `+policyColumns+` FROM policies p WHERE p.account_id = ? AND p.name_key = ?`,
		account, nameKey(name)))
	if errors.Is(err, sql.ErrNoRows) || err == nil && (pathOrRoot(p.Path) != path ||
		account != gatehouse.AWSManagedAccount && gatehouse.PartitionName(p.Partition) != partition) {
		return nil, noSuchPolicy(arn)
	}
	if err != nil {
		return nil, fmt.Errorf("policy %s: %w", arn, err)
	}
	return p, nil
}

// CreatePolicy stores a new policy and its first version v, if v is not
// nil; v.PolicyARN is set to the policy's ARN. Zero CreatedAt times are
// set to the transaction's time, and a zero UpdatedAt to CreatedAt.
func (t *tx) CreatePolicy(p *gatehouse.ManagedPolicy, v *gatehouse.PolicyVersion) error {
	if p.AccountID == gatehouse.AWSManagedAccount {
		return fmt.Errorf("create policy %q: AWS managed policies are not stored", p.Name)
	}
	p.CreatedAt = t.stamp(p.CreatedAt)
	if err := t.setPartition(&p.Partition, p.AccountID); err != nil {
		return err
	}
	if p.UpdatedAt.IsZero() {
		p.UpdatedAt = p.CreatedAt
	}
	tags, err := encodeTags(p.Tags)
	if err != nil {
		return fmt.Errorf("create policy %q: %w", p.Name, err)
	}
	_, err = t.exec(`INSERT INTO policies (id, account_id, name, name_key, path, arn, description, default_version_id,
			next_version, created_at, updated_at, tags)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.ID, p.AccountID, p.Name, nameKey(p.Name), p.Path, p.ARN(), p.Description, p.DefaultVersionID,
		p.NextVersion, encodeTime(p.CreatedAt), encodeTime(p.UpdatedAt), tags)
	switch constraintOf(err) {
	case uniqueConstraint:
		return gatehouse.Errorf(gatehouse.CodeAlreadyExists,
			"A policy called %s already exists. Duplicate names are not allowed.", p.Name)
	case primaryKeyConstraint:
		return gatehouse.Errorf(gatehouse.CodeAlreadyExists, "Policy with id %s already exists.", p.ID)
	}
	if err != nil {
		return fmt.Errorf("create policy %q: %w", p.Name, err)
	}
	if v == nil {
		return nil
	}
	v.PolicyARN = p.ARN()
	return t.insertPolicyVersion(p.ID, v)
}

// Policy returns the policy with the given ARN.
func (t *tx) Policy(arn string) (*gatehouse.ManagedPolicy, error) {
	return t.policy(arn)
}

// Policies lists the account's managed policies sorted by name, ignoring
// case.
func (t *tx) Policies(accountID string) ([]*gatehouse.ManagedPolicy, error) {
	rows, err := t.query(`SELECT `+policyColumns+` FROM policies p WHERE p.account_id = ? ORDER BY p.name_key, p.name`, accountID)
	policies, err := collect(rows, err, scanPolicy)
	if err != nil {
		return nil, fmt.Errorf("policies: %w", err)
	}
	return policies, nil
}

// UpdatePolicy replaces the description, default version, next version
// number, update time and tags of the policy with p's ARN; a zero
// UpdatedAt is set to the transaction's time. A policy's name and path
// never change.
func (t *tx) UpdatePolicy(p *gatehouse.ManagedPolicy) error {
	old, err := t.policy(p.ARN())
	if err != nil {
		return err
	}
	p.UpdatedAt = t.stamp(p.UpdatedAt)
	tags, err := encodeTags(p.Tags)
	if err != nil {
		return fmt.Errorf("update policy %s: %w", p.ARN(), err)
	}
	if _, err := t.exec(`UPDATE policies SET description = ?, default_version_id = ?, next_version = ?, updated_at = ?, tags = ?
		WHERE id = ?`,
		p.Description, p.DefaultVersionID, p.NextVersion, encodeTime(p.UpdatedAt), tags, old.ID); err != nil {
		return fmt.Errorf("update policy %s: %w", p.ARN(), err)
	}
	return nil
}

// DeletePolicy deletes the policy with its versions and attachments.
func (t *tx) DeletePolicy(arn string) error {
	p, err := t.policy(arn)
	if err != nil {
		return err
	}
	if _, err := t.exec(`DELETE FROM policies WHERE id = ?`, p.ID); err != nil {
		return fmt.Errorf("delete policy %s: %w", arn, err)
	}
	return nil
}

// CreatePolicyVersion stores a new version of the policy v.PolicyARN; a
// zero CreatedAt is set to the transaction's time. It does not change the
// policy's default version or next version number.
func (t *tx) CreatePolicyVersion(v *gatehouse.PolicyVersion) error {
	p, err := t.policy(v.PolicyARN)
	if err != nil {
		return err
	}
	return t.insertPolicyVersion(p.ID, v)
}

func (t *tx) insertPolicyVersion(policyID string, v *gatehouse.PolicyVersion) error {
	v.CreatedAt = t.stamp(v.CreatedAt)
	_, err := t.exec(`INSERT INTO policy_versions (policy_id, version_id, seq, document, created_at) VALUES (?, ?, ?, ?, ?)`,
		policyID, v.VersionID, versionSeq(v.VersionID), v.Document, encodeTime(v.CreatedAt))
	if constraintOf(err) != noConstraint {
		return gatehouse.Errorf(gatehouse.CodeAlreadyExists, "Version %s of policy %s already exists.", v.VersionID, v.PolicyARN)
	}
	if err != nil {
		return fmt.Errorf("create version %s of policy %s: %w", v.VersionID, v.PolicyARN, err)
	}
	return nil
}

const versionColumns = `version_id, document, created_at`

// scanVersion returns a function that scans a version of the policy arn.
func scanVersion(arn string) func(scanner) (*gatehouse.PolicyVersion, error) {
	return func(row scanner) (*gatehouse.PolicyVersion, error) {
		v := gatehouse.PolicyVersion{PolicyARN: arn}
		var created sql.NullInt64
		if err := row.Scan(&v.VersionID, &v.Document, &created); err != nil {
			return nil, err
		}
		v.CreatedAt = decodeTime(created)
		return &v, nil
	}
}

// PolicyVersion returns one version of the policy.
func (t *tx) PolicyVersion(arn, versionID string) (*gatehouse.PolicyVersion, error) {
	p, err := t.policy(arn)
	if err != nil {
		return nil, err
	}
	v, err := scanVersion(p.ARN())(t.queryRow(`SELECT `+versionColumns+` FROM policy_versions
		WHERE policy_id = ? AND version_id = ?`, p.ID, versionID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, noSuchPolicyVersion(arn, versionID)
	}
	if err != nil {
		return nil, fmt.Errorf("version %s of policy %s: %w", versionID, arn, err)
	}
	return v, nil
}

// PolicyVersions lists the policy's versions, newest (highest number)
// first.
func (t *tx) PolicyVersions(arn string) ([]*gatehouse.PolicyVersion, error) {
	p, err := t.policy(arn)
	if err != nil {
		return nil, err
	}
	rows, err := t.query(`SELECT `+versionColumns+` FROM policy_versions WHERE policy_id = ? ORDER BY seq DESC, rowid DESC`, p.ID)
	versions, err := collect(rows, err, scanVersion(p.ARN()))
	if err != nil {
		return nil, fmt.Errorf("versions of policy %s: %w", arn, err)
	}
	return versions, nil
}

// DeletePolicyVersion deletes one version of the policy, whether or not it
// is the default one.
func (t *tx) DeletePolicyVersion(arn, versionID string) error {
	p, err := t.policy(arn)
	if err != nil {
		return err
	}
	n, err := t.execCount(`DELETE FROM policy_versions WHERE policy_id = ? AND version_id = ?`, p.ID, versionID)
	if err != nil {
		return fmt.Errorf("delete version %s of policy %s: %w", versionID, arn, err)
	}
	if n == 0 {
		return noSuchPolicyVersion(arn, versionID)
	}
	return nil
}
