package sqlite

import (
	"database/sql"
	"errors"
	"fmt"

	"github.com/gatehouse-dev/gatehouse"
)

func noSuchLoginProfile(user string) error {
	return gatehouse.Errorf(gatehouse.CodeNotFound, "Login Profile for User %s cannot be found.", user)
}

// CreateLoginProfile stores a user's console password; zero times are set
// to the transaction's time.
func (t *tx) CreateLoginProfile(p *gatehouse.LoginProfile) error {
	id, name, err := t.userKey(p.AccountID, p.UserName)
	if err != nil {
		return err
	}
	p.UserName = name
	p.CreatedAt = t.stamp(p.CreatedAt)
	if p.PasswordChangedAt.IsZero() {
		p.PasswordChangedAt = p.CreatedAt
	}
	history, err := encodeStrings(p.History)
	if err != nil {
		return fmt.Errorf("create login profile of %q: %w", name, err)
	}
	_, err = t.exec(`INSERT INTO login_profiles (user_id, account_id, password_hash, reset_required, created_at,
		password_changed_at, history) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		id, p.AccountID, p.PasswordHash, p.PasswordResetRequired, encodeTime(p.CreatedAt), encodeTime(p.PasswordChangedAt), history)
	if constraintOf(err) != noConstraint {
		return gatehouse.Errorf(gatehouse.CodeAlreadyExists, "Login Profile for user %s already exists.", name)
	}
	if err != nil {
		return fmt.Errorf("create login profile of %q: %w", name, err)
	}
	return nil
}

// LoginProfile returns a user's console password.
func (t *tx) LoginProfile(accountID, userName string) (*gatehouse.LoginProfile, error) {
	id, name, err := t.userKey(accountID, userName)
	if err != nil {
		return nil, err
	}
	p := &gatehouse.LoginProfile{AccountID: accountID, UserName: name}
	var created, changed sql.NullInt64
	var history string
	err = t.queryRow(`SELECT password_hash, reset_required, created_at, password_changed_at, history
		FROM login_profiles WHERE user_id = ?`, id).Scan(&p.PasswordHash, &p.PasswordResetRequired, &created, &changed, &history)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, noSuchLoginProfile(name)
	}
	if err != nil {
		return nil, fmt.Errorf("login profile of %q: %w", name, err)
	}
	p.CreatedAt, p.PasswordChangedAt = decodeTime(created), decodeTime(changed)
	if p.History, err = decodeStrings(history); err != nil {
		return nil, fmt.Errorf("login profile of %q: %w", name, err)
	}
	return p, nil
}

// UpdateLoginProfile replaces a user's console password, reset flag and
// history; a zero PasswordChangedAt is set to the transaction's time.
func (t *tx) UpdateLoginProfile(p *gatehouse.LoginProfile) error {
	id, name, err := t.userKey(p.AccountID, p.UserName)
	if err != nil {
		return err
	}
	p.PasswordChangedAt = t.stamp(p.PasswordChangedAt)
	history, err := encodeStrings(p.History)
	if err != nil {
		return fmt.Errorf("update login profile of %q: %w", name, err)
	}
	n, err := t.execCount(`UPDATE login_profiles SET password_hash = ?, reset_required = ?, password_changed_at = ?, history = ?
		WHERE user_id = ?`, p.PasswordHash, p.PasswordResetRequired, encodeTime(p.PasswordChangedAt), history, id)
	if err != nil {
		return fmt.Errorf("update login profile of %q: %w", name, err)
	}
	if n == 0 {
		return noSuchLoginProfile(name)
	}
	return nil
}

// DeleteLoginProfile removes a user's console password.
func (t *tx) DeleteLoginProfile(accountID, userName string) error {
	id, name, err := t.userKey(accountID, userName)
	if err != nil {
		return err
	}
	n, err := t.execCount(`DELETE FROM login_profiles WHERE user_id = ?`, id)
	if err != nil {
		return fmt.Errorf("delete login profile of %q: %w", name, err)
	}
	if n == 0 {
		return noSuchLoginProfile(name)
	}
	return nil
}
