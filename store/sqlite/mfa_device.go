package sqlite

import (
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/gatehouse-dev/gatehouse"
)

func noSuchMFADevice(serial string) error {
	return gatehouse.Errorf(gatehouse.CodeNotFound, "MFA Device with serial number %s does not exist.", serial)
}

// mfaDeviceColumns are the columns scanMFADevice reads, from table
// mfa_devices aliased d left-joined with users aliased u. A device whose
// user was deleted reads as unassigned.
const mfaDeviceColumns = `d.serial_key, d.serial_number, d.account_id, d.name, d.path, d.seed,
	coalesce(u.name, ''), d.root, CASE WHEN d.user_id IS NULL AND d.root = 0 THEN NULL ELSE d.enabled_at END,
	d.last_step, d.created_at, d.tags`

func (t *tx) scanMFADevice(row scanner) (*gatehouse.MFADevice, error) {
	var d gatehouse.MFADevice
	var key, tags string
	var sealed []byte
	var root bool
	var enabled, created sql.NullInt64
	if err := row.Scan(&key, &d.SerialNumber, &d.AccountID, &d.Name, &d.Path, &sealed, &d.UserName, &root,
		&enabled, &d.LastStep, &created, &tags); err != nil {
		return nil, err
	}
	var err error
	if d.Seed, err = t.open(key, sealed); err != nil {
		return nil, err
	}
	if root {
		d.UserName = gatehouse.RootUserName
	}
	d.EnabledAt, d.CreatedAt = decodeTime(enabled), decodeTime(created)
	if d.Tags, err = decodeTags(tags); err != nil {
		return nil, err
	}
	return &d, nil
}

// mfaOwner returns the columns that assign a device of the account: the
// user's ID, or root, or neither for an unassigned device.
func (t *tx) mfaOwner(accountID string, d *gatehouse.MFADevice) (userID sql.NullString, root bool, err error) {
	switch d.UserName {
	case "":
		return sql.NullString{}, false, nil
	case gatehouse.RootUserName:
		return sql.NullString{}, true, nil
	}
	id, err := t.userID(accountID, d.UserName)
	if err != nil {
		return sql.NullString{}, false, err
	}
	return sql.NullString{String: id, Valid: true}, false, nil
}

// mfaEnabledAt is the enabled_at column of d: NULL while unassigned.
func mfaEnabledAt(d *gatehouse.MFADevice) sql.NullInt64 {
	if d.UserName == "" {
		return sql.NullInt64{}
	}
	return encodeTime(d.EnabledAt)
}

// CreateMFADevice stores a new virtual MFA device; a zero CreatedAt is
// set to the transaction's time. The seed is stored encrypted.
func (t *tx) CreateMFADevice(d *gatehouse.MFADevice) error {
	userID, root, err := t.mfaOwner(d.AccountID, d)
	if err != nil {
		return err
	}
	d.CreatedAt = t.stamp(d.CreatedAt)
	if d.UserName == "" {
		d.EnabledAt = time.Time{}
	}
	key := nameKey(d.SerialNumber)
	sealed, err := t.seal(key, d.Seed)
	if err != nil {
		return fmt.Errorf("create MFA device %s: %w", d.SerialNumber, err)
	}
	tags, err := encodeTags(d.Tags)
	if err != nil {
		return fmt.Errorf("create MFA device %s: %w", d.SerialNumber, err)
	}
	_, err = t.exec(`INSERT INTO mfa_devices (serial_key, serial_number, account_id, name, path, seed, user_id, root,
			enabled_at, last_step, created_at, tags)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		key, d.SerialNumber, d.AccountID, d.Name, d.Path, sealed, userID, root,
		mfaEnabledAt(d), d.LastStep, encodeTime(d.CreatedAt), tags)
	if constraintOf(err) != noConstraint {
		return gatehouse.Errorf(gatehouse.CodeAlreadyExists, "MFADevice entity at the same path and name already exists.")
	}
	if err != nil {
		return fmt.Errorf("create MFA device %s: %w", d.SerialNumber, err)
	}
	return nil
}

// MFADevice returns the device with the given serial number, ignoring
// case, of any account.
func (t *tx) MFADevice(serial string) (*gatehouse.MFADevice, error) {
	d, err := t.scanMFADevice(t.queryRow(`SELECT `+mfaDeviceColumns+`
		FROM mfa_devices d LEFT JOIN users u ON u.id = d.user_id WHERE d.serial_key = ?`, nameKey(serial)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, noSuchMFADevice(serial)
	}
	if err != nil {
		return nil, fmt.Errorf("MFA device %s: %w", serial, err)
	}
	return d, nil
}

// MFADevices lists the account's devices sorted by serial number,
// ignoring case.
func (t *tx) MFADevices(accountID string) ([]*gatehouse.MFADevice, error) {
	rows, err := t.query(`SELECT `+mfaDeviceColumns+`
		FROM mfa_devices d LEFT JOIN users u ON u.id = d.user_id
		WHERE d.account_id = ? ORDER BY d.serial_key, d.serial_number`, accountID)
	devices, err := collect(rows, err, t.scanMFADevice)
	if err != nil {
		return nil, fmt.Errorf("MFA devices: %w", err)
	}
	return devices, nil
}

// UpdateMFADevice replaces the device's assignment, last step and tags.
// Its account, name, path, seed and creation time never change; a user
// it is assigned to is looked up in its own account.
func (t *tx) UpdateMFADevice(d *gatehouse.MFADevice) error {
	var accountID string
	err := t.queryRow(`SELECT account_id FROM mfa_devices WHERE serial_key = ?`, nameKey(d.SerialNumber)).Scan(&accountID)
	if errors.Is(err, sql.ErrNoRows) {
		return noSuchMFADevice(d.SerialNumber)
	}
	if err != nil {
		return fmt.Errorf("update MFA device %s: %w", d.SerialNumber, err)
	}
	userID, root, err := t.mfaOwner(accountID, d)
	if err != nil {
		return err
	}
	if d.UserName == "" {
		d.EnabledAt = time.Time{}
	}
	tags, err := encodeTags(d.Tags)
	if err != nil {
		return fmt.Errorf("update MFA device %s: %w", d.SerialNumber, err)
	}
	n, err := t.execCount(`UPDATE mfa_devices SET user_id = ?, root = ?, enabled_at = ?, last_step = ?, tags = ?
		WHERE serial_key = ?`, userID, root, mfaEnabledAt(d), d.LastStep, tags, nameKey(d.SerialNumber))
	if err != nil {
		return fmt.Errorf("update MFA device %s: %w", d.SerialNumber, err)
	}
	if n == 0 {
		return noSuchMFADevice(d.SerialNumber)
	}
	return nil
}

// DeleteMFADevice deletes the device with the given serial number.
func (t *tx) DeleteMFADevice(serial string) error {
	n, err := t.execCount(`DELETE FROM mfa_devices WHERE serial_key = ?`, nameKey(serial))
	if err != nil {
		return fmt.Errorf("delete MFA device %s: %w", serial, err)
	}
	if n == 0 {
		return noSuchMFADevice(serial)
	}
	return nil
}
