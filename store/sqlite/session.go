package sqlite

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/gatehouse-dev/gatehouse"
)

// noSuchSession is the error of an unknown session. Its message names
// nothing, not even the access key ID the lookup was for.
func noSuchSession() error {
	return gatehouse.Errorf(gatehouse.CodeNotFound, "The session cannot be found.")
}

// sessionColumns are the columns scanSession reads, from table sessions.
const sessionColumns = `access_key_id, secret, token_hash, account_id, kind, role_name, session_name, user_name,
	session_policy, policy_arns, mfa_authenticated, mfa_auth_time, issued_at, expiration, chained, source_identity, role_id,
	user_id, sign_in, tags`

func (t *tx) scanSession(row scanner) (*gatehouse.Session, error) {
	var s gatehouse.Session
	var sealed []byte
	var arns, tags string
	var mfaTime, issued, expiration sql.NullInt64
	if err := row.Scan(&s.AccessKeyID, &sealed, &s.TokenHash, &s.AccountID, &s.Kind, &s.RoleName, &s.SessionName,
		&s.UserName, &s.SessionPolicy, &arns, &s.MFAAuthenticated, &mfaTime, &issued, &expiration, &s.Chained,
		&s.SourceIdentity, &s.RoleID, &s.UserID, &s.SignIn, &tags); err != nil {
		return nil, err
	}
	var err error
	if s.Secret, err = t.open(s.AccessKeyID, sealed); err != nil {
		return nil, err
	}
	if len(s.TokenHash) == 0 {
		s.TokenHash = nil
	}
	if s.PolicyARNs, err = decodeStrings(arns); err != nil {
		return nil, err
	}
	if s.Tags, err = decodeTags(tags); err != nil {
		return nil, err
	}
	s.MFAAuthTime, s.IssuedAt, s.Expiration = decodeTime(mfaTime), decodeTime(issued), decodeTime(expiration)
	return &s, nil
}

// encodeStrings stores a list of strings as a JSON array.
func encodeStrings(list []string) (string, error) {
	if list == nil {
		list = []string{}
	}
	b, err := json.Marshal(list)
	if err != nil {
		return "", fmt.Errorf("encode list: %w", err)
	}
	return string(b), nil
}

// decodeStrings reverses encodeStrings; an empty list decodes as nil.
func decodeStrings(s string) ([]string, error) {
	var list []string
	if err := json.Unmarshal([]byte(s), &list); err != nil {
		return nil, fmt.Errorf("decode list: %w", err)
	}
	if len(list) == 0 {
		return nil, nil
	}
	return list, nil
}

// CreateSession stores a new session; a zero IssuedAt is set to the
// transaction's time. The secret is stored encrypted, like an access
// key's. A session must have an expiration time.
func (t *tx) CreateSession(s *gatehouse.Session) error {
	if s.Expiration.IsZero() {
		return fmt.Errorf("create session %s: no expiration time", s.AccessKeyID)
	}
	s.IssuedAt = t.stamp(s.IssuedAt)
	sealed, err := t.seal(s.AccessKeyID, s.Secret)
	if err != nil {
		return fmt.Errorf("create session %s: %w", s.AccessKeyID, err)
	}
	arns, err := encodeStrings(s.PolicyARNs)
	if err != nil {
		return fmt.Errorf("create session %s: %w", s.AccessKeyID, err)
	}
	tags, err := encodeTags(s.Tags)
	if err != nil {
		return fmt.Errorf("create session %s: %w", s.AccessKeyID, err)
	}
	tokenHash := s.TokenHash
	if tokenHash == nil {
		tokenHash = []byte{} // the column is NOT NULL
	}
	// A new session is a new access key no cache holds (caches keep found
	// keys only): adding it does not move the revision.
	_, err = t.execAppend(`INSERT INTO sessions (`+sessionColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		s.AccessKeyID, sealed, tokenHash, s.AccountID, string(s.Kind), s.RoleName, s.SessionName, s.UserName,
		s.SessionPolicy, arns, s.MFAAuthenticated, encodeTime(s.MFAAuthTime), encodeTime(s.IssuedAt),
		encodeTime(s.Expiration), s.Chained, s.SourceIdentity, s.RoleID, s.UserID, s.SignIn, tags)
	if constraintOf(err) != noConstraint {
		return gatehouse.Errorf(gatehouse.CodeAlreadyExists, "A session with access key ID %s already exists.", s.AccessKeyID)
	}
	if err != nil {
		return fmt.Errorf("create session %s: %w", s.AccessKeyID, err)
	}
	return nil
}

// Session returns the session with the given access key ID, of any
// account, expired or not.
func (t *tx) Session(accessKeyID string) (*gatehouse.Session, error) {
	s, err := t.scanSession(t.queryRow(`SELECT `+sessionColumns+` FROM sessions WHERE access_key_id = ?`, accessKeyID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, noSuchSession()
	}
	if err != nil {
		return nil, fmt.Errorf("session %s: %w", accessKeyID, err)
	}
	return s, nil
}

// DeleteSessionsBefore deletes the sessions whose expiration time is
// before t, and returns how many it deleted; a zero t deletes none.
func (t *tx) DeleteSessionsBefore(before time.Time) (int, error) {
	// A zero t encodes as NULL, which no expiration is before.
	n, err := t.execCount(`DELETE FROM sessions WHERE expiration < ?`, encodeTime(before))
	if err != nil {
		return 0, fmt.Errorf("delete sessions expired before %s: %w", before.Format(time.RFC3339), err)
	}
	return int(n), nil
}

// DeleteRootSessions deletes the account's root sessions (sign-in
// sessions only, when signInOnly) and returns how many it deleted. It
// moves the revision, so the server's caches forget them.
func (t *tx) DeleteRootSessions(accountID string, signInOnly bool) (int, error) {
	n, err := t.execCount(`DELETE FROM sessions WHERE account_id = ? AND kind = ? AND user_name = '' AND (sign_in != 0 OR ? = 0)`,
		accountID, string(gatehouse.SessionUser), signInOnly)
	if err != nil {
		return 0, fmt.Errorf("delete root sessions of %s: %w", accountID, err)
	}
	return int(n), nil
}
