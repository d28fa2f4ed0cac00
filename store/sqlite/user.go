package sqlite

import (
	"database/sql"
	"errors"
	"fmt"

	"github.com/gatehouse-dev/gatehouse"
)

// userColumns are the columns scanUser reads, from table users aliased u,
// and the partition of the user's account.
const userColumns = `u.id, u.account_id, u.name, u.path, u.created_at, u.permissions_boundary, u.tags, ` +
	accountPartitionOf + `u.account_id), '')`

func scanUser(row scanner) (*gatehouse.User, error) {
	var u gatehouse.User
	var created sql.NullInt64
	var tags string
	if err := row.Scan(&u.ID, &u.AccountID, &u.Name, &u.Path, &created, &u.PermissionsBoundary, &tags, &u.Partition); err != nil {
		return nil, err
	}
	u.CreatedAt = decodeTime(created)
	var err error
	if u.Tags, err = decodeTags(tags); err != nil {
		return nil, err
	}
	return &u, nil
}

func noSuchUser(name string) error {
	return gatehouse.Errorf(gatehouse.CodeNotFound, "The user with name %s cannot be found.", name)
}

func userExists(name string) error {
	return gatehouse.Errorf(gatehouse.CodeAlreadyExists, "User with name %s already exists.", name)
}

// userID returns the ID of the account's user with the given name.
func (t *tx) userID(accountID, name string) (string, error) {
	id, _, err := t.userKey(accountID, name)
	return id, err
}

// userKey returns the ID and the stored name of the account's user with
// the given name.
func (t *tx) userKey(accountID, name string) (id, storedName string, err error) {
	err = t.queryRow(`SELECT id, name FROM users WHERE account_id = ? AND name_key = ?`, accountID, nameKey(name)).
		Scan(&id, &storedName)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", noSuchUser(name)
	}
	if err != nil {
		return "", "", fmt.Errorf("user %q: %w", name, err)
	}
	return id, storedName, nil
}

// CreateUser stores a new user; a zero CreatedAt is set to the
// transaction's time.
func (t *tx) CreateUser(u *gatehouse.User) error {
	u.CreatedAt = t.stamp(u.CreatedAt)
	if err := t.setPartition(&u.Partition, u.AccountID); err != nil {
		return err
	}
	tags, err := encodeTags(u.Tags)
	if err != nil {
		return fmt.Errorf("create user %q: %w", u.Name, err)
	}
	_, err = t.exec(`INSERT INTO users (id, account_id, name, name_key, path, created_at, permissions_boundary, tags)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		u.ID, u.AccountID, u.Name, nameKey(u.Name), u.Path, encodeTime(u.CreatedAt), u.PermissionsBoundary, tags)
	switch constraintOf(err) {
	case uniqueConstraint:
		return userExists(u.Name)
	case primaryKeyConstraint:
		return gatehouse.Errorf(gatehouse.CodeAlreadyExists, "User with id %s already exists.", u.ID)
	}
	if err != nil {
		return fmt.Errorf("create user %q: %w", u.Name, err)
	}
	return nil
}

// User returns the account's user with the given name, ignoring case.
func (t *tx) User(accountID, name string) (*gatehouse.User, error) {
	u, err := scanUser(t.queryRow(`SELECT `+userColumns+` FROM users u WHERE u.account_id = ? AND u.name_key = ?`,
		accountID, nameKey(name)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, noSuchUser(name)
	}
	if err != nil {
		return nil, fmt.Errorf("user %q: %w", name, err)
	}
	return u, nil
}

// Users lists the account's users sorted by name, ignoring case.
func (t *tx) Users(accountID string) ([]*gatehouse.User, error) {
	rows, err := t.query(`SELECT `+userColumns+` FROM users u WHERE u.account_id = ? ORDER BY u.name_key, u.name`, accountID)
	users, err := collect(rows, err, scanUser)
	if err != nil {
		return nil, fmt.Errorf("users: %w", err)
	}
	return users, nil
}

// UpdateUser replaces the name, path, permissions boundary and tags of the
// user stored under oldName. The user keeps its ID and creation time, and
// with them its memberships, policies and access keys.
func (t *tx) UpdateUser(oldName string, u *gatehouse.User) error {
	id, err := t.userID(u.AccountID, oldName)
	if err != nil {
		return err
	}
	tags, err := encodeTags(u.Tags)
	if err != nil {
		return fmt.Errorf("update user %q: %w", oldName, err)
	}
	_, err = t.exec(`UPDATE users SET name = ?, name_key = ?, path = ?, permissions_boundary = ?, tags = ? WHERE id = ?`,
		u.Name, nameKey(u.Name), u.Path, u.PermissionsBoundary, tags, id)
	if constraintOf(err) != noConstraint {
		return userExists(u.Name)
	}
	if err != nil {
		return fmt.Errorf("update user %q: %w", oldName, err)
	}
	return nil
}

// DeleteUser deletes the user with its group memberships, attached and
// inline policies and access keys.
func (t *tx) DeleteUser(accountID, name string) error {
	n, err := t.execCount(`DELETE FROM users WHERE account_id = ? AND name_key = ?`, accountID, nameKey(name))
	if err != nil {
		return fmt.Errorf("delete user %q: %w", name, err)
	}
	if n == 0 {
		return noSuchUser(name)
	}
	return nil
}
