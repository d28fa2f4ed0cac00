package sqlite

import (
	"database/sql"
	"errors"
	"fmt"

	"github.com/gatehouse-dev/gatehouse"
)

// groupColumns are the columns scanGroup reads, from table groups aliased
// g, and the partition of the group's account.
const groupColumns = `g.id, g.account_id, g.name, g.path, g.created_at, ` + accountPartitionOf + `g.account_id), '')`

func scanGroup(row scanner) (*gatehouse.Group, error) {
	var g gatehouse.Group
	var created sql.NullInt64
	if err := row.Scan(&g.ID, &g.AccountID, &g.Name, &g.Path, &created, &g.Partition); err != nil {
		return nil, err
	}
	g.CreatedAt = decodeTime(created)
	return &g, nil
}

func noSuchGroup(name string) error {
	return gatehouse.Errorf(gatehouse.CodeNotFound, "The group with name %s cannot be found.", name)
}

func groupExists(name string) error {
	return gatehouse.Errorf(gatehouse.CodeAlreadyExists, "Group with name %s already exists.", name)
}

// groupID returns the ID of the account's group with the given name.
func (t *tx) groupID(accountID, name string) (string, error) {
	id, _, err := t.groupKey(accountID, name)
	return id, err
}

// groupKey returns the ID and the stored name of the account's group with
// the given name.
func (t *tx) groupKey(accountID, name string) (id, storedName string, err error) {
	err = t.queryRow(`SELECT id, name FROM groups WHERE account_id = ? AND name_key = ?`, accountID, nameKey(name)).
		Scan(&id, &storedName)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", noSuchGroup(name)
	}
	if err != nil {
		return "", "", fmt.Errorf("group %q: %w", name, err)
	}
	return id, storedName, nil
}

// CreateGroup stores a new group; a zero CreatedAt is set to the
// transaction's time.
func (t *tx) CreateGroup(g *gatehouse.Group) error {
	g.CreatedAt = t.stamp(g.CreatedAt)
	if err := t.setPartition(&g.Partition, g.AccountID); err != nil {
		return err
	}
	_, err := t.exec(`INSERT INTO groups (id, account_id, name, name_key, path, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		g.ID, g.AccountID, g.Name, nameKey(g.Name), g.Path, encodeTime(g.CreatedAt))
	switch constraintOf(err) {
	case uniqueConstraint:
		return groupExists(g.Name)
	case primaryKeyConstraint:
		return gatehouse.Errorf(gatehouse.CodeAlreadyExists, "Group with id %s already exists.", g.ID)
	}
	if err != nil {
		return fmt.Errorf("create group %q: %w", g.Name, err)
	}
	return nil
}

// Group returns the account's group with the given name, ignoring case.
func (t *tx) Group(accountID, name string) (*gatehouse.Group, error) {
	g, err := scanGroup(t.queryRow(`SELECT `+groupColumns+` FROM groups g WHERE g.account_id = ? AND g.name_key = ?`,
		accountID, nameKey(name)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, noSuchGroup(name)
	}
	if err != nil {
		return nil, fmt.Errorf("group %q: %w", name, err)
	}
	return g, nil
}

// Groups lists the account's groups sorted by name, ignoring case.
func (t *tx) Groups(accountID string) ([]*gatehouse.Group, error) {
	rows, err := t.query(`SELECT `+groupColumns+` FROM groups g WHERE g.account_id = ? ORDER BY g.name_key, g.name`, accountID)
	groups, err := collect(rows, err, scanGroup)
	if err != nil {
		return nil, fmt.Errorf("groups: %w", err)
	}
	return groups, nil
}

// UpdateGroup replaces the name and path of the group stored under
// oldName. The group keeps its ID and creation time, and with them its
// members and policies.
func (t *tx) UpdateGroup(oldName string, g *gatehouse.Group) error {
	id, err := t.groupID(g.AccountID, oldName)
	if err != nil {
		return err
	}
	_, err = t.exec(`UPDATE groups SET name = ?, name_key = ?, path = ? WHERE id = ?`, g.Name, nameKey(g.Name), g.Path, id)
	if constraintOf(err) != noConstraint {
		return groupExists(g.Name)
	}
	if err != nil {
		return fmt.Errorf("update group %q: %w", oldName, err)
	}
	return nil
}

// DeleteGroup deletes the group with its memberships and its attached and
// inline policies.
func (t *tx) DeleteGroup(accountID, name string) error {
	n, err := t.execCount(`DELETE FROM groups WHERE account_id = ? AND name_key = ?`, accountID, nameKey(name))
	if err != nil {
		return fmt.Errorf("delete group %q: %w", name, err)
	}
	if n == 0 {
		return noSuchGroup(name)
	}
	return nil
}

// AddUserToGroup makes the user a member of the group; it is idempotent.
func (t *tx) AddUserToGroup(accountID, group, user string) error {
	groupID, err := t.groupID(accountID, group)
	if err != nil {
		return err
	}
	userID, err := t.userID(accountID, user)
	if err != nil {
		return err
	}
	if _, err := t.exec(`INSERT INTO group_members (group_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, groupID, userID); err != nil {
		return fmt.Errorf("add user %q to group %q: %w", user, group, err)
	}
	return nil
}

// RemoveUserFromGroup ends the user's membership of the group; it returns
// CodeNotFound when the user is not a member.
func (t *tx) RemoveUserFromGroup(accountID, group, user string) error {
	groupID, err := t.groupID(accountID, group)
	if err != nil {
		return err
	}
	userID, err := t.userID(accountID, user)
	if err != nil {
		return err
	}
	n, err := t.execCount(`DELETE FROM group_members WHERE group_id = ? AND user_id = ?`, groupID, userID)
	if err != nil {
		return fmt.Errorf("remove user %q from group %q: %w", user, group, err)
	}
	if n == 0 {
		return gatehouse.Errorf(gatehouse.CodeNotFound, "The user with name %s is not in the group with name %s.", user, group)
	}
	return nil
}

// GroupMembers lists the group's users sorted by name, ignoring case.
func (t *tx) GroupMembers(accountID, group string) ([]*gatehouse.User, error) {
	groupID, err := t.groupID(accountID, group)
	if err != nil {
		return nil, err
	}
	rows, err := t.query(`SELECT `+userColumns+` FROM group_members m JOIN users u ON u.id = m.user_id
		WHERE m.group_id = ? ORDER BY u.name_key, u.name`, groupID)
	users, err := collect(rows, err, scanUser)
	if err != nil {
		return nil, fmt.Errorf("members of group %q: %w", group, err)
	}
	return users, nil
}

// GroupsForUser lists the user's groups sorted by name, ignoring case.
func (t *tx) GroupsForUser(accountID, user string) ([]*gatehouse.Group, error) {
	userID, err := t.userID(accountID, user)
	if err != nil {
		return nil, err
	}
	rows, err := t.query(`SELECT `+groupColumns+` FROM group_members m JOIN groups g ON g.id = m.group_id
		WHERE m.user_id = ? ORDER BY g.name_key, g.name`, userID)
	groups, err := collect(rows, err, scanGroup)
	if err != nil {
		return nil, fmt.Errorf("groups of user %q: %w", user, err)
	}
	return groups, nil
}
