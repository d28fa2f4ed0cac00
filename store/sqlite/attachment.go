package sqlite

import (
	"fmt"

	"github.com/gatehouse-dev/gatehouse"
)

// ownerTables names the tables that hold one kind of entity's attached and
// inline policies, and their column with the entity's ID.
// AWS managed policies are not stored: awsAttached holds the ARNs of
// those attached (see awsPolicyKey).
type ownerTables struct {
	attached, awsAttached, inline, idColumn string
}

var (
	userTables  = ownerTables{attached: "user_attached_policies", awsAttached: "user_aws_policies", inline: "user_inline_policies", idColumn: "user_id"}
	groupTables = ownerTables{attached: "group_attached_policies", awsAttached: "group_aws_policies", inline: "group_inline_policies", idColumn: "group_id"}
	roleTables  = ownerTables{attached: "role_attached_policies", awsAttached: "role_aws_policies", inline: "role_inline_policies", idColumn: "role_id"}
)

// awsPolicyKey returns the ARN under which an attachment of the AWS
// managed policy policyARN is kept: the ARN in the standard partition,
// from either partition's spelling. ok is false for any other ARN.
// The store does not hold AWS managed policies, so it cannot check that
// one exists: the layer in front of it that serves them does
// (package awsmanaged).
func awsPolicyKey(policyARN string) (key string, ok bool) {
	_, account, path, name, ok := splitPolicyARN(policyARN)
	if !ok || account != gatehouse.AWSManagedAccount {
		return "", false
	}
	return "arn:" + gatehouse.Partition + ":iam::" + gatehouse.AWSManagedAccount + ":policy" + path + name, true
}

// owner resolves e to the tables of its kind and the ID and stored name of
// the account's user, group or role.
func (t *tx) owner(accountID string, e gatehouse.EntityRef) (tables ownerTables, id, name string, err error) {
	switch e.Kind {
	case gatehouse.KindUser:
		id, name, err = t.userKey(accountID, e.Name)
		return userTables, id, name, err
	case gatehouse.KindGroup:
		id, name, err = t.groupKey(accountID, e.Name)
		return groupTables, id, name, err
	case gatehouse.KindRole:
		id, name, err = t.roleKey(accountID, e.Name)
		return roleTables, id, name, err
	}
	return ownerTables{}, "", "", fmt.Errorf("unknown entity kind %q", e.Kind)
}

// attachable returns the policy policyARN if the account's entities may
// have it attached: it is the account's own or an AWS managed policy.
func (t *tx) attachable(accountID, policyARN string) (*gatehouse.ManagedPolicy, error) {
	p, err := t.policy(policyARN)
	if err != nil {
		return nil, err
	}
	if p.AccountID != accountID && p.AccountID != gatehouse.AWSManagedAccount {
		return nil, noSuchPolicy(policyARN)
	}
	return p, nil
}

// AttachPolicy attaches the policy to the entity; it is idempotent.
func (t *tx) AttachPolicy(accountID string, e gatehouse.EntityRef, policyARN string) error {
	tables, ownerID, _, err := t.owner(accountID, e)
	if err != nil {
		return err
	}
	if key, ok := awsPolicyKey(policyARN); ok {
		q := fmt.Sprintf(`INSERT INTO %s (%s, policy_arn) VALUES (?, ?) ON CONFLICT DO NOTHING`, tables.awsAttached, tables.idColumn)
		if _, err := t.exec(q, ownerID, key); err != nil {
			return fmt.Errorf("attach policy %s to %s %q: %w", policyARN, e.Kind, e.Name, err)
		}
		return nil
	}
	p, err := t.attachable(accountID, policyARN)
	if err != nil {
		return err
	}
	q := fmt.Sprintf(`INSERT INTO %s (%s, policy_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, tables.attached, tables.idColumn)
	if _, err := t.exec(q, ownerID, p.ID); err != nil {
		return fmt.Errorf("attach policy %s to %s %q: %w", policyARN, e.Kind, e.Name, err)
	}
	return nil
}

// DetachPolicy detaches the policy from the entity; it returns
// CodeNotFound when the policy is not attached.
func (t *tx) DetachPolicy(accountID string, e gatehouse.EntityRef, policyARN string) error {
	tables, ownerID, _, err := t.owner(accountID, e)
	if err != nil {
		return err
	}
	var n int64
	if key, ok := awsPolicyKey(policyARN); ok {
		q := fmt.Sprintf(`DELETE FROM %s WHERE %s = ? AND policy_arn = ?`, tables.awsAttached, tables.idColumn)
		n, err = t.execCount(q, ownerID, key)
	} else {
		p, perr := t.policy(policyARN)
		if perr != nil {
			return perr
		}
		q := fmt.Sprintf(`DELETE FROM %s WHERE %s = ? AND policy_id = ?`, tables.attached, tables.idColumn)
		n, err = t.execCount(q, ownerID, p.ID)
	}
	if err != nil {
		return fmt.Errorf("detach policy %s from %s %q: %w", policyARN, e.Kind, e.Name, err)
	}
	if n == 0 {
		return gatehouse.Errorf(gatehouse.CodeNotFound, "Policy %s was not found.", policyARN)
	}
	return nil
}

// AttachedPolicies lists the ARNs of the policies attached to the entity,
// sorted.
func (t *tx) AttachedPolicies(accountID string, e gatehouse.EntityRef) ([]string, error) {
	tables, ownerID, _, err := t.owner(accountID, e)
	if err != nil {
		return nil, err
	}
	q := fmt.Sprintf(`SELECT p.arn FROM %s a JOIN policies p ON p.id = a.policy_id WHERE a.%s = ?
		UNION ALL SELECT policy_arn FROM %s WHERE %s = ? ORDER BY 1`,
		tables.attached, tables.idColumn, tables.awsAttached, tables.idColumn)
	rows, err := t.query(q, ownerID, ownerID)
	arns, err := collect(rows, err, func(row scanner) (string, error) {
		var arn string
		err := row.Scan(&arn)
		return arn, err
	})
	if err != nil {
		return nil, fmt.Errorf("policies attached to %s %q: %w", e.Kind, e.Name, err)
	}
	return arns, nil
}

// PolicyAttachments lists the account's entities the policy is attached
// to, sorted by kind (group, role, user), then by name ignoring case.
func (t *tx) PolicyAttachments(accountID, policyARN string) ([]gatehouse.EntityRef, error) {
	if key, ok := awsPolicyKey(policyARN); ok {
		return t.awsPolicyAttachments(accountID, policyARN, key)
	}
	p, err := t.policy(policyARN)
	if err != nil {
		return nil, err
	}
	rows, err := t.query(`
		SELECT 'group', g.name, g.name_key FROM group_attached_policies a JOIN groups g ON g.id = a.group_id
		WHERE a.policy_id = ? AND g.account_id = ?
		UNION ALL
		SELECT 'role', r.name, r.name_key FROM role_attached_policies a JOIN roles r ON r.id = a.role_id
		WHERE a.policy_id = ? AND r.account_id = ?
		UNION ALL
		SELECT 'user', u.name, u.name_key FROM user_attached_policies a JOIN users u ON u.id = a.user_id
		WHERE a.policy_id = ? AND u.account_id = ?
		ORDER BY 1, 3, 2`, p.ID, accountID, p.ID, accountID, p.ID, accountID)
	refs, err := collect(rows, err, func(row scanner) (gatehouse.EntityRef, error) {
		var ref gatehouse.EntityRef
		var key string
		err := row.Scan(&ref.Kind, &ref.Name, &key)
		return ref, err
	})
	if err != nil {
		return nil, fmt.Errorf("attachments of policy %s: %w", policyARN, err)
	}
	return refs, nil
}

func (t *tx) awsPolicyAttachments(accountID, policyARN, key string) ([]gatehouse.EntityRef, error) {
	rows, err := t.query(`
		SELECT 'group', g.name, g.name_key FROM group_aws_policies a JOIN groups g ON g.id = a.group_id
		WHERE a.policy_arn = ? AND g.account_id = ?
		UNION ALL
		SELECT 'role', r.name, r.name_key FROM role_aws_policies a JOIN roles r ON r.id = a.role_id
		WHERE a.policy_arn = ? AND r.account_id = ?
		UNION ALL
		SELECT 'user', u.name, u.name_key FROM user_aws_policies a JOIN users u ON u.id = a.user_id
		WHERE a.policy_arn = ? AND u.account_id = ?
		ORDER BY 1, 3, 2`, key, accountID, key, accountID, key, accountID)
	refs, err := collect(rows, err, func(row scanner) (gatehouse.EntityRef, error) {
		var ref gatehouse.EntityRef
		var nameKey string
		err := row.Scan(&ref.Kind, &ref.Name, &nameKey)
		return ref, err
	})
	if err != nil {
		return nil, fmt.Errorf("attachments of policy %s: %w", policyARN, err)
	}
	return refs, nil
}

// AttachmentCounts returns, for every policy attached to at least one of
// the account's users, groups or roles, the number of them it is
// attached to, by the ARN AttachedPolicies lists it under.
func (t *tx) AttachmentCounts(accountID string) (map[string]int, error) {
	rows, err := t.query(`SELECT arn, COUNT(*) FROM (
		SELECT p.arn FROM user_attached_policies a JOIN users u ON u.id = a.user_id JOIN policies p ON p.id = a.policy_id WHERE u.account_id = ?
		UNION ALL SELECT p.arn FROM group_attached_policies a JOIN groups g ON g.id = a.group_id JOIN policies p ON p.id = a.policy_id WHERE g.account_id = ?
		UNION ALL SELECT p.arn FROM role_attached_policies a JOIN roles r ON r.id = a.role_id JOIN policies p ON p.id = a.policy_id WHERE r.account_id = ?
		UNION ALL SELECT a.policy_arn FROM user_aws_policies a JOIN users u ON u.id = a.user_id WHERE u.account_id = ?
		UNION ALL SELECT a.policy_arn FROM group_aws_policies a JOIN groups g ON g.id = a.group_id WHERE g.account_id = ?
		UNION ALL SELECT a.policy_arn FROM role_aws_policies a JOIN roles r ON r.id = a.role_id WHERE r.account_id = ?
		) GROUP BY arn`, accountID, accountID, accountID, accountID, accountID, accountID)
	type count struct {
		arn string
		n   int
	}
	counts, err := collect(rows, err, func(row scanner) (count, error) {
		var c count
		err := row.Scan(&c.arn, &c.n)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("attachment counts: %w", err)
	}
	out := make(map[string]int, len(counts))
	for _, c := range counts {
		out[c.arn] = c.n
	}
	return out, nil
}
