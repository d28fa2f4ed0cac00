package sqlite

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/gatehouse-dev/gatehouse"
)

// roleColumns are the columns scanRole reads, from table roles aliased r,
// and the partition of the role's account.
const roleColumns = `r.id, r.account_id, r.name, r.path, r.assume_role_policy, r.description, r.max_session_duration,
	r.permissions_boundary, r.created_at, r.tags, r.last_used_at, r.trust_bindings, ` + accountPartitionOf + `r.account_id), '')`

func scanRole(row scanner) (*gatehouse.Role, error) {
	var r gatehouse.Role
	var created, lastUsed sql.NullInt64
	var tags, bindings string
	if err := row.Scan(&r.ID, &r.AccountID, &r.Name, &r.Path, &r.AssumeRolePolicy, &r.Description, &r.MaxSessionDuration,
		&r.PermissionsBoundary, &created, &tags, &lastUsed, &bindings, &r.Partition); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(bindings), &r.TrustBindings); err != nil {
		return nil, fmt.Errorf("role %s trust bindings: %w", r.ID, err)
	}
	if len(r.TrustBindings) == 0 {
		r.TrustBindings = nil
	}
	r.CreatedAt = decodeTime(created)
	if lastUsed.Valid {
		at := decodeTime(lastUsed)
		r.LastUsed = &at
	}
	var err error
	if r.Tags, err = decodeTags(tags); err != nil {
		return nil, err
	}
	return &r, nil
}

// encodeLastUsed stores a role's last use; nil and the zero time are
// stored as no use.
func encodeLastUsed(at *time.Time) sql.NullInt64 {
	if at == nil {
		return sql.NullInt64{}
	}
	return encodeTime(*at)
}

// encodeBindings stores a role's trust bindings as a JSON object.
func encodeBindings(m map[string]string) (string, error) {
	if len(m) == 0 {
		return "{}", nil
	}
	b, err := json.Marshal(m)
	if err != nil {
		return "", fmt.Errorf("encode trust bindings: %w", err)
	}
	return string(b), nil
}

func noSuchRole(name string) error {
	return gatehouse.Errorf(gatehouse.CodeNotFound, "The role with name %s cannot be found.", name)
}

func roleExists(name string) error {
	return gatehouse.Errorf(gatehouse.CodeAlreadyExists, "Role with name %s already exists.", name)
}

// roleID returns the ID of the account's role with the given name.
func (t *tx) roleID(accountID, name string) (string, error) {
	id, _, err := t.roleKey(accountID, name)
	return id, err
}

// roleKey returns the ID and the stored name of the account's role with
// the given name.
func (t *tx) roleKey(accountID, name string) (id, storedName string, err error) {
	err = t.queryRow(`SELECT id, name FROM roles WHERE account_id = ? AND name_key = ?`, accountID, nameKey(name)).
		Scan(&id, &storedName)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", noSuchRole(name)
	}
	if err != nil {
		return "", "", fmt.Errorf("role %q: %w", name, err)
	}
	return id, storedName, nil
}

// CreateRole stores a new role; a zero CreatedAt is set to the
// transaction's time.
func (t *tx) CreateRole(r *gatehouse.Role) error {
	r.CreatedAt = t.stamp(r.CreatedAt)
	if err := t.setPartition(&r.Partition, r.AccountID); err != nil {
		return err
	}
	tags, err := encodeTags(r.Tags)
	if err != nil {
		return fmt.Errorf("create role %q: %w", r.Name, err)
	}
	bindings, err := encodeBindings(r.TrustBindings)
	if err != nil {
		return err
	}
	_, err = t.exec(`INSERT INTO roles (id, account_id, name, name_key, path, assume_role_policy, description,
			max_session_duration, permissions_boundary, created_at, tags, last_used_at, trust_bindings)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.ID, r.AccountID, r.Name, nameKey(r.Name), r.Path, r.AssumeRolePolicy, r.Description,
		r.MaxSessionDuration, r.PermissionsBoundary, encodeTime(r.CreatedAt), tags, encodeLastUsed(r.LastUsed), bindings)
	switch constraintOf(err) {
	case uniqueConstraint:
		return roleExists(r.Name)
	case primaryKeyConstraint:
		return gatehouse.Errorf(gatehouse.CodeAlreadyExists, "Role with id %s already exists.", r.ID)
	}
	if err != nil {
		return fmt.Errorf("create role %q: %w", r.Name, err)
	}
	return nil
}

// Role returns the account's role with the given name, ignoring case.
func (t *tx) Role(accountID, name string) (*gatehouse.Role, error) {
	r, err := scanRole(t.queryRow(`SELECT `+roleColumns+` FROM roles r WHERE r.account_id = ? AND r.name_key = ?`,
		accountID, nameKey(name)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, noSuchRole(name)
	}
	if err != nil {
		return nil, fmt.Errorf("role %q: %w", name, err)
	}
	return r, nil
}

// Roles lists the account's roles sorted by name, ignoring case.
func (t *tx) Roles(accountID string) ([]*gatehouse.Role, error) {
	rows, err := t.query(`SELECT `+roleColumns+` FROM roles r WHERE r.account_id = ? ORDER BY r.name_key, r.name`, accountID)
	roles, err := collect(rows, err, scanRole)
	if err != nil {
		return nil, fmt.Errorf("roles: %w", err)
	}
	return roles, nil
}

// UpdateRole replaces every field of the role stored under oldName but its
// ID, account and creation time. The role keeps its attached and inline
// policies.
func (t *tx) UpdateRole(oldName string, r *gatehouse.Role) error {
	id, err := t.roleID(r.AccountID, oldName)
	if err != nil {
		return err
	}
	tags, err := encodeTags(r.Tags)
	if err != nil {
		return fmt.Errorf("update role %q: %w", oldName, err)
	}
	bindings, err := encodeBindings(r.TrustBindings)
	if err != nil {
		return err
	}
	_, err = t.exec(`UPDATE roles SET name = ?, name_key = ?, path = ?, assume_role_policy = ?, description = ?,
			max_session_duration = ?, permissions_boundary = ?, tags = ?, last_used_at = ?, trust_bindings = ?
		WHERE id = ?`,
		r.Name, nameKey(r.Name), r.Path, r.AssumeRolePolicy, r.Description,
		r.MaxSessionDuration, r.PermissionsBoundary, tags, encodeLastUsed(r.LastUsed), bindings, id)
	if constraintOf(err) != noConstraint {
		return roleExists(r.Name)
	}
	if err != nil {
		return fmt.Errorf("update role %q: %w", oldName, err)
	}
	return nil
}

// DeleteRole deletes the role with its attached and inline policies.
// Sessions of the role are not deleted; they expire.
func (t *tx) DeleteRole(accountID, name string) error {
	n, err := t.execCount(`DELETE FROM roles WHERE account_id = ? AND name_key = ?`, accountID, nameKey(name))
	if err != nil {
		return fmt.Errorf("delete role %q: %w", name, err)
	}
	if n == 0 {
		return noSuchRole(name)
	}
	return nil
}
