package sqlite

import (
	"database/sql"
	"errors"
	"fmt"

	"github.com/gatehouse-dev/gatehouse"
)

// Pending root password resets (migration 0017). No cache holds them, so
// their writes go through execAppend: a reset request or a wrong code
// does not move the revision and empty the server's caches.

// PutRootPasswordReset stores r as its account's pending reset,
// replacing any earlier one.
func (t *tx) PutRootPasswordReset(r *gatehouse.RootPasswordReset) error {
	var one int
	switch err := t.queryRow(`SELECT 1 FROM accounts WHERE id = ?`, r.AccountID).Scan(&one); {
	case errors.Is(err, sql.ErrNoRows):
		return gatehouse.Errorf(gatehouse.CodeNotFound, "The account %s cannot be found.", r.AccountID)
	case err != nil:
		return fmt.Errorf("root password reset of %s: %w", r.AccountID, err)
	}
	r.CreatedAt = t.stamp(r.CreatedAt)
	_, err := t.execAppend(`INSERT INTO root_password_resets (account_id, code_hash, created_at, expires_at, attempts)
		VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (account_id) DO UPDATE SET code_hash = excluded.code_hash, created_at = excluded.created_at,
			expires_at = excluded.expires_at, attempts = excluded.attempts`,
		r.AccountID, r.CodeHash, encodeTime(r.CreatedAt), encodeTime(r.ExpiresAt), r.Attempts)
	if err != nil {
		return fmt.Errorf("put root password reset of %s: %w", r.AccountID, err)
	}
	return nil
}

// RootPasswordReset returns the account's pending reset.
func (t *tx) RootPasswordReset(accountID string) (*gatehouse.RootPasswordReset, error) {
	r := gatehouse.RootPasswordReset{AccountID: accountID}
	var created, expires sql.NullInt64
	err := t.queryRow(`SELECT code_hash, created_at, expires_at, attempts FROM root_password_resets WHERE account_id = ?`,
		accountID).Scan(&r.CodeHash, &created, &expires, &r.Attempts)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, gatehouse.Errorf(gatehouse.CodeNotFound, "The account %s has no pending root password reset.", accountID)
	}
	if err != nil {
		return nil, fmt.Errorf("root password reset of %s: %w", accountID, err)
	}
	r.CreatedAt, r.ExpiresAt = decodeTime(created), decodeTime(expires)
	return &r, nil
}

// DeleteRootPasswordReset deletes the account's pending reset, if any.
func (t *tx) DeleteRootPasswordReset(accountID string) error {
	if _, err := t.execAppend(`DELETE FROM root_password_resets WHERE account_id = ?`, accountID); err != nil {
		return fmt.Errorf("delete root password reset of %s: %w", accountID, err)
	}
	return nil
}
