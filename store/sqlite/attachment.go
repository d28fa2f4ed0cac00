package sqlite

import (
	"fmt"

	"github.com/gatehouse-dev/gatehouse"
)

// ownerTables names the tables that hold one kind of entity's attached and
// inline policies, and their column with the entity's ID.
type ownerTables struct {
	attached, inline, idColumn string
}

var (
	userTables  = ownerTables{attached: "user_attached_policies", inline: "user_inline_policies", idColumn: "user_id"}
	groupTables = ownerTables{attached: "group_attached_policies", inline: "group_inline_policies", idColumn: "group_id"}
	roleTables  = ownerTables{attached: "role_attached_policies", inline: "role_inline_policies", idColumn: "role_id"}
)

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
// ENoSuchEntity when the policy is not attached.
func (t *tx) DetachPolicy(accountID string, e gatehouse.EntityRef, policyARN string) error {
	tables, ownerID, _, err := t.owner(accountID, e)
	if err != nil {
		return err
	}
	p, err := t.policy(policyARN)
	if err != nil {
		return err
	}
	q := fmt.Sprintf(`DELETE FROM %s WHERE %s = ? AND policy_id = ?`, tables.attached, tables.idColumn)
	n, err := t.execCount(q, ownerID, p.ID)
	if err != nil {
		return fmt.Errorf("detach policy %s from %s %q: %w", policyARN, e.Kind, e.Name, err)
	}
	if n == 0 {
		return gatehouse.Errorf(gatehouse.ENoSuchEntity, "Policy %s was not found.", policyARN)
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
	q := fmt.Sprintf(`SELECT p.arn FROM %s a JOIN policies p ON p.id = a.policy_id WHERE a.%s = ? ORDER BY p.arn`,
		tables.attached, tables.idColumn)
	rows, err := t.query(q, ownerID)
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
