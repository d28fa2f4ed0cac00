package sqlite

import (
	"database/sql"
	"errors"
	"fmt"

	"github.com/gatehouse-dev/gatehouse"
)

const accountColumns = `id, email, name, created_at, root_password_hash`

func scanAccount(row scanner) (*gatehouse.Account, error) {
	var a gatehouse.Account
	var created sql.NullInt64
	if err := row.Scan(&a.ID, &a.Email, &a.Name, &created, &a.RootPasswordHash); err != nil {
		return nil, err
	}
	a.CreatedAt = decodeTime(created)
	return &a, nil
}

func noSuchAccount(id string) error {
	return gatehouse.Errorf(gatehouse.ENoSuchEntity, "The account with id %s cannot be found.", id)
}

// CreateAccount stores a new account; a zero CreatedAt is set to the
// transaction's time.
func (t *tx) CreateAccount(a *gatehouse.Account) error {
	a.CreatedAt = t.stamp(a.CreatedAt)
	_, err := t.exec(`INSERT INTO accounts (`+accountColumns+`) VALUES (?, ?, ?, ?, ?)`,
		a.ID, a.Email, a.Name, encodeTime(a.CreatedAt), a.RootPasswordHash)
	if constraintOf(err) != noConstraint {
		return gatehouse.Errorf(gatehouse.EEntityAlreadyExists, "Account with id %s already exists.", a.ID)
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

// UpdateAccount replaces the account's email, name and root password hash;
// its ID and creation time do not change.
func (t *tx) UpdateAccount(a *gatehouse.Account) error {
	n, err := t.execCount(`UPDATE accounts SET email = ?, name = ?, root_password_hash = ? WHERE id = ?`,
		a.Email, a.Name, a.RootPasswordHash, a.ID)
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
		return gatehouse.Errorf(gatehouse.EEntityAlreadyExists, "The account alias %s already exists.", alias)
	}
	if err != nil {
		return fmt.Errorf("set alias of account %s: %w", accountID, err)
	}
	if n == 0 {
		return noSuchAccount(accountID)
	}
	return nil
}

// DeleteAccountAlias removes the account's alias; it returns ENoSuchEntity
// when the account has none.
func (t *tx) DeleteAccountAlias(accountID string) error {
	alias, err := t.AccountAlias(accountID)
	if err != nil {
		return err
	}
	if alias == "" {
		return gatehouse.Errorf(gatehouse.ENoSuchEntity, "The account with id %s has no alias.", accountID)
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
