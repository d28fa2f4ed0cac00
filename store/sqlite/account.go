package sqlite

import (
	"database/sql"
	"errors"
	"fmt"

	"github.com/gatehouse-dev/gatehouse"
)

const accountColumns = `id, email, name, created_at, root_password_hash, closed_at, iam_billing_access,
	pending_email, pending_email_code_hash, pending_email_expires, billing_permissions, partition`

// accountPartitionOf, followed by a column holding an account ID and
// "), ”)", selects the partition of that account: the accounts row's, or
// "" when there is none (AWS managed policies, account "aws").
const accountPartitionOf = `COALESCE((SELECT a.partition FROM accounts a WHERE a.id = `

// setPartition sets *partition to the partition of the account with the
// given ID: "" for a standard account or one that is not stored.
func (t *tx) setPartition(partition *string, accountID string) error {
	err := t.queryRow(`SELECT `+accountPartitionOf+`?), '')`, accountID).Scan(partition)
	if err != nil {
		return fmt.Errorf("partition of account %s: %w", accountID, err)
	}
	return nil
}

func scanAccount(row scanner) (*gatehouse.Account, error) {
	var a gatehouse.Account
	var created, closed, expires sql.NullInt64
	var pendingEmail, pendingHash sql.NullString
	if err := row.Scan(&a.ID, &a.Email, &a.Name, &created, &a.RootPasswordHash, &closed, &a.IAMBillingAccess,
		&pendingEmail, &pendingHash, &expires, &a.BillingPermissions, &a.Partition); err != nil {
		return nil, err
	}
	a.CreatedAt = decodeTime(created)
	a.ClosedAt = decodeTime(closed)
	if pendingEmail.Valid {
		a.PendingEmail = &gatehouse.PendingEmailUpdate{Email: pendingEmail.String, CodeHash: pendingHash.String,
			ExpiresAt: decodeTime(expires)}
	}
	return &a, nil
}

// pendingColumns returns the values of the pending_email columns.
func pendingColumns(a *gatehouse.Account) (email, hash sql.NullString, expires sql.NullInt64) {
	if p := a.PendingEmail; p != nil {
		return sql.NullString{String: p.Email, Valid: true}, sql.NullString{String: p.CodeHash, Valid: true}, encodeTime(p.ExpiresAt)
	}
	return
}

func noSuchAccount(id string) error {
	return gatehouse.Errorf(gatehouse.CodeNotFound, "The account with id %s cannot be found.", id)
}

// CreateAccount stores a new account; a zero CreatedAt is set to the
// transaction's time.
func (t *tx) CreateAccount(a *gatehouse.Account) error {
	a.CreatedAt = t.stamp(a.CreatedAt)
	pe, ph, px := pendingColumns(a)
	_, err := t.exec(`INSERT INTO accounts (`+accountColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.ID, a.Email, a.Name, encodeTime(a.CreatedAt), a.RootPasswordHash, encodeTime(a.ClosedAt), a.IAMBillingAccess,
		pe, ph, px, a.BillingPermissions, a.Partition)
	if constraintOf(err) != noConstraint {
		return gatehouse.Errorf(gatehouse.CodeAlreadyExists, "Account with id %s already exists.", a.ID)
	}
	if err != nil {
		return fmt.Errorf("create account %s: %w", a.ID, err)
	}
	return nil
}

// Account returns the account with the given ID.
func (t *tx) Account(id string) (*gatehouse.Account, error) {
	a, err := scanAccount(t.queryRow(`SELECT `+accountColumns+` FROM accounts WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, noSuchAccount(id)
	}
	if err != nil {
		return nil, fmt.Errorf("account %s: %w", id, err)
	}
	return a, nil
}

// Accounts lists every account sorted by ID.
func (t *tx) Accounts() ([]*gatehouse.Account, error) {
	rows, err := t.query(`SELECT ` + accountColumns + ` FROM accounts ORDER BY id`)
	accounts, err := collect(rows, err, scanAccount)
	if err != nil {
		return nil, fmt.Errorf("accounts: %w", err)
	}
	return accounts, nil
}

// UpdateAccount replaces the account's email, name, root password hash,
// state, billing access switch, billing permission model and pending
// email change; its ID, creation time and partition do not change.
func (t *tx) UpdateAccount(a *gatehouse.Account) error {
	pe, ph, px := pendingColumns(a)
	n, err := t.execCount(`UPDATE accounts SET email = ?, name = ?, root_password_hash = ?, closed_at = ?,
		iam_billing_access = ?, pending_email = ?, pending_email_code_hash = ?, pending_email_expires = ?,
		billing_permissions = ? WHERE id = ?`,
		a.Email, a.Name, a.RootPasswordHash, encodeTime(a.ClosedAt), a.IAMBillingAccess, pe, ph, px,
		a.BillingPermissions, a.ID)
	if err != nil {
		return fmt.Errorf("update account %s: %w", a.ID, err)
	}
	if n == 0 {
		return noSuchAccount(a.ID)
	}
	return nil
}

// SetAccountAlias replaces the account's alias; "" removes it.
func (t *tx) SetAccountAlias(accountID, alias string) error {
	n, err := t.execCount(`UPDATE accounts SET alias = ? WHERE id = ?`,
		sql.NullString{String: alias, Valid: alias != ""}, accountID)
	if constraintOf(err) != noConstraint {
		return gatehouse.Errorf(gatehouse.CodeAlreadyExists, "The account alias %s already exists.", alias)
	}
	if err != nil {
		return fmt.Errorf("set alias of account %s: %w", accountID, err)
	}
	if n == 0 {
		return noSuchAccount(accountID)
	}
	return nil
}

// DeleteAccountAlias removes the account's alias; it returns CodeNotFound
// when the account has none.
func (t *tx) DeleteAccountAlias(accountID string) error {
	alias, err := t.AccountAlias(accountID)
	if err != nil {
		return err
	}
	if alias == "" {
		return gatehouse.Errorf(gatehouse.CodeNotFound, "The account with id %s has no alias.", accountID)
	}
	if _, err := t.exec(`UPDATE accounts SET alias = NULL WHERE id = ?`, accountID); err != nil {
		return fmt.Errorf("delete alias of account %s: %w", accountID, err)
	}
	return nil
}

// AccountAlias returns the account's alias, or "" when it has none.
func (t *tx) AccountAlias(accountID string) (string, error) {
	var alias sql.NullString
	err := t.queryRow(`SELECT alias FROM accounts WHERE id = ?`, accountID).Scan(&alias)
	if errors.Is(err, sql.ErrNoRows) {
		return "", noSuchAccount(accountID)
	}
	if err != nil {
		return "", fmt.Errorf("alias of account %s: %w", accountID, err)
	}
	return alias.String, nil
}
