package sqlite

import (
	"crypto/cipher"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"

	"github.com/gatehouse-dev/gatehouse"
)

// seal encrypts an access key's secret, binding it to the key's ID so a
// sealed secret cannot be moved to another key's row.
func (t *tx) seal(keyID string, secret gatehouse.Secret) ([]byte, error) {
	return sealWith(t.aead, keyID, secret)
}

// open decrypts what seal sealed.
func (t *tx) open(keyID string, sealed []byte) (gatehouse.Secret, error) {
	return openWith(t.aead, keyID, sealed)
}

// sealWith encrypts secret with aead under a random nonce, binding it to
// aad (the row and column it belongs to); the result is nonce||ciphertext.
func sealWith(aead cipher.AEAD, aad string, secret gatehouse.Secret) ([]byte, error) {
	nonce := make([]byte, aead.NonceSize(), aead.NonceSize()+len(secret)+aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return aead.Seal(nonce, nonce, []byte(secret.Reveal()), []byte(aad)), nil
}

// openWith decrypts what sealWith sealed under the same aad.
func openWith(aead cipher.AEAD, aad string, sealed []byte) (gatehouse.Secret, error) {
	n := aead.NonceSize()
	if len(sealed) < n {
		return "", errors.New("sealed secret too short")
	}
	plain, err := aead.Open(nil, sealed[:n], sealed[n:], []byte(aad))
	if err != nil {
		// The wrong secret key, or a damaged row.
		return "", fmt.Errorf("decrypt secret: %w", err)
	}
	return gatehouse.Secret(plain), nil
}

func noSuchAccessKey(id string) error {
	return gatehouse.Errorf(gatehouse.CodeNotFound, "The Access Key with id %s cannot be found.", id)
}

// accessKeyColumns are the columns scanAccessKey reads, from table
// access_keys aliased k left-joined with users aliased u.
const accessKeyColumns = `k.id, k.account_id, coalesce(u.name, ''), k.status, k.secret, k.created_at,
	k.last_used_at, k.last_used_service, k.last_used_region`

func (t *tx) scanAccessKey(row scanner) (*gatehouse.AccessKey, error) {
	var k gatehouse.AccessKey
	var sealed []byte
	var created, lastUsed sql.NullInt64
	var service, region string
	if err := row.Scan(&k.ID, &k.AccountID, &k.UserName, &k.Status, &sealed, &created, &lastUsed, &service, &region); err != nil {
		return nil, err
	}
	var err error
	if k.Secret, err = t.open(k.ID, sealed); err != nil {
		return nil, err
	}
	k.CreatedAt = decodeTime(created)
	if lastUsed.Valid {
		k.LastUsed = &gatehouse.AccessKeyUse{Time: decodeTime(lastUsed), Service: service, Region: region}
	}
	return &k, nil
}

// encodeLastUse returns the columns of an access key's last use; a use
// with a zero time is stored as no use.
func encodeLastUse(u *gatehouse.AccessKeyUse) (at sql.NullInt64, service, region string) {
	if u == nil {
		return sql.NullInt64{}, "", ""
	}
	return encodeTime(u.Time), u.Service, u.Region
}

// CreateAccessKey stores a new access key of the account's user
// k.UserName, or of the root user when k.UserName is ""; a zero CreatedAt
// is set to the transaction's time. The secret is stored encrypted.
func (t *tx) CreateAccessKey(k *gatehouse.AccessKey) error {
	var userID sql.NullString
	if k.UserName != "" {
		id, err := t.userID(k.AccountID, k.UserName)
		if err != nil {
			return err
		}
		userID = sql.NullString{String: id, Valid: true}
	}
	k.CreatedAt = t.stamp(k.CreatedAt)
	sealed, err := t.seal(k.ID, k.Secret)
	if err != nil {
		return fmt.Errorf("create access key %s: %w", k.ID, err)
	}
	lastUsed, service, region := encodeLastUse(k.LastUsed)
	_, err = t.exec(`INSERT INTO access_keys (id, account_id, user_id, status, secret, created_at,
			last_used_at, last_used_service, last_used_region)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		k.ID, k.AccountID, userID, string(k.Status), sealed, encodeTime(k.CreatedAt), lastUsed, service, region)
	if constraintOf(err) != noConstraint {
		return gatehouse.Errorf(gatehouse.CodeAlreadyExists, "The Access Key with id %s already exists.", k.ID)
	}
	if err != nil {
		return fmt.Errorf("create access key %s: %w", k.ID, err)
	}
	return nil
}

// AccessKey returns the access key with the given ID, of any account.
func (t *tx) AccessKey(id string) (*gatehouse.AccessKey, error) {
	k, err := t.scanAccessKey(t.queryRow(`SELECT `+accessKeyColumns+`
		FROM access_keys k LEFT JOIN users u ON u.id = k.user_id WHERE k.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, noSuchAccessKey(id)
	}
	if err != nil {
		return nil, fmt.Errorf("access key %s: %w", id, err)
	}
	return k, nil
}

// AccessKeys lists the access keys of the account's user userName, or of
// its root user when userName is "", oldest first.
func (t *tx) AccessKeys(accountID, userName string) ([]*gatehouse.AccessKey, error) {
	var rows *sql.Rows
	var err error
	if userName == "" {
		rows, err = t.query(`SELECT `+accessKeyColumns+`
			FROM access_keys k LEFT JOIN users u ON u.id = k.user_id
			WHERE k.account_id = ? AND k.user_id IS NULL ORDER BY k.created_at, k.rowid`, accountID)
	} else {
		var userID string
		if userID, err = t.userID(accountID, userName); err != nil {
			return nil, err
		}
		rows, err = t.query(`SELECT `+accessKeyColumns+`
			FROM access_keys k JOIN users u ON u.id = k.user_id
			WHERE k.user_id = ? ORDER BY k.created_at, k.rowid`, userID)
	}
	keys, err := collect(rows, err, t.scanAccessKey)
	if err != nil {
		return nil, fmt.Errorf("access keys of %q: %w", userName, err)
	}
	return keys, nil
}

// UpdateAccessKey replaces the key's status and last use. Its owner,
// secret and creation time never change.
func (t *tx) UpdateAccessKey(k *gatehouse.AccessKey) error {
	lastUsed, service, region := encodeLastUse(k.LastUsed)
	n, err := t.execCount(`UPDATE access_keys SET status = ?, last_used_at = ?, last_used_service = ?, last_used_region = ?
		WHERE id = ?`, string(k.Status), lastUsed, service, region, k.ID)
	if err != nil {
		return fmt.Errorf("update access key %s: %w", k.ID, err)
	}
	if n == 0 {
		return noSuchAccessKey(k.ID)
	}
	return nil
}

// DeleteAccessKey deletes the access key with the given ID.
func (t *tx) DeleteAccessKey(id string) error {
	n, err := t.execCount(`DELETE FROM access_keys WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("delete access key %s: %w", id, err)
	}
	if n == 0 {
		return noSuchAccessKey(id)
	}
	return nil
}
