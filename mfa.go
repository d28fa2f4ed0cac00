package gatehouse

import "time"

// RootUserName stands for the account's root user where an MFA device
// names its owner. It can never be an IAM user's name: '<' and '>' are
// not allowed in those.
const RootUserName = "<root>"

// MFADevice is a virtual MFA device: a TOTP seed shared with an
// authenticator app. A device is created unassigned; enabling it assigns
// it to an IAM user or to the root user.
type MFADevice struct {
	AccountID string
	// SerialNumber is the device ARN, arn:aws:iam::ACCT:mfa/<path><name>.
	SerialNumber string
	Name         string
	Path         string
	// Seed is the TOTP secret, base32-encoded (RFC 4648, no padding).
	Seed Secret
	// UserName is the IAM user the device is assigned to, RootUserName
	// for the root user, or "" while it is unassigned.
	UserName string
	// EnabledAt is when the device was assigned; zero while unassigned.
	EnabledAt time.Time
	// LastStep is the latest TOTP time step accepted from the device; a
	// code of that step or an earlier one is never accepted again.
	LastStep  int64
	CreatedAt time.Time
	Tags      []Tag
}

// MFADeviceARN returns the serial number of a virtual MFA device of an
// account in the given partition ("" for Partition).
func MFADeviceARN(partition, account, path, name string) string {
	return EntityARN(partition, account, "mfa", path, name)
}

// Assigned reports whether the device is assigned to a user or to root.
func (d *MFADevice) Assigned() bool { return d.UserName != "" }

// MFATx covers virtual MFA devices. Serial numbers are unique across
// accounts ignoring case, and lookups by serial number ignore case.
//
// A device assigned to an IAM user follows the user's renames; when the
// user is deleted, the device becomes unassigned.
type MFATx interface {
	// CreateMFADevice stores a new device; a zero CreatedAt is set to
	// the transaction's time. The seed is stored encrypted. It returns
	// CodeAlreadyExists when the serial number is taken, and
	// CodeNotFound when d.UserName names no user of the account.
	CreateMFADevice(d *MFADevice) error
	// MFADevice returns the device with the given serial number, of any
	// account (CodeNotFound when unknown).
	MFADevice(serialNumber string) (*MFADevice, error)
	// MFADevices lists an account's devices sorted by serial number.
	MFADevices(accountID string) ([]*MFADevice, error)
	// UpdateMFADevice replaces the device's assignment (UserName,
	// EnabledAt), LastStep and Tags. An unassigned device is stored with
	// a zero EnabledAt. Errors as CreateMFADevice, and CodeNotFound for
	// an unknown device.
	UpdateMFADevice(d *MFADevice) error
	// DeleteMFADevice deletes a device (CodeNotFound when unknown).
	DeleteMFADevice(serialNumber string) error
}
