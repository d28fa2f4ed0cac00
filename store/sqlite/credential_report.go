package sqlite

import (
	"database/sql"
	"errors"
	"fmt"

	"github.com/gatehouse-dev/gatehouse"
)

// PutCredentialReport replaces the account's credential report; a zero
// GeneratedAt is set to the transaction's time.
func (t *tx) PutCredentialReport(r *gatehouse.CredentialReport) error {
	if _, err := t.Account(r.AccountID); err != nil {
		return err
	}
	r.GeneratedAt = t.stamp(r.GeneratedAt)
	content := r.Content
	if content == nil {
		content = []byte{} // the column is NOT NULL
	}
	_, err := t.exec(`INSERT INTO credential_reports (account_id, generated_at, content) VALUES (?, ?, ?)
		ON CONFLICT (account_id) DO UPDATE SET generated_at = excluded.generated_at, content = excluded.content`,
		r.AccountID, encodeTime(r.GeneratedAt), content)
	if err != nil {
		return fmt.Errorf("put credential report of account %s: %w", r.AccountID, err)
	}
	return nil
}

// CredentialReport returns the account's credential report.
func (t *tx) CredentialReport(accountID string) (*gatehouse.CredentialReport, error) {
	r := &gatehouse.CredentialReport{AccountID: accountID}
	var at sql.NullInt64
	err := t.queryRow(`SELECT generated_at, content FROM credential_reports WHERE account_id = ?`, accountID).Scan(&at, &r.Content)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, gatehouse.Errorf(gatehouse.CodeNotFound, "Account %s has no credential report.", accountID)
	}
	if err != nil {
		return nil, fmt.Errorf("credential report of account %s: %w", accountID, err)
	}
	r.GeneratedAt = decodeTime(at)
	return r, nil
}
