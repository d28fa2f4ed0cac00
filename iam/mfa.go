package iam

import (
	"bytes"
	"context"
	"encoding/base32"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/url"
	"strings"
	"time"

	"rsc.io/qr"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/totp"
)

// MFA limits (aws-reference §7).
const (
	// MaxMFADevicesPerUser is the number of MFA devices an IAM user, or
	// the root user, may have enabled at once.
	MaxMFADevicesPerUser = 8
	// MaxVirtualMFADevicesPerAccount follows AWS's "virtual MFA devices =
	// user quota".
	MaxVirtualMFADevicesPerAccount = MaxUsersPerAccount
	// mfaSeedBytes is the length of a new device's TOTP secret.
	mfaSeedBytes = 20
	// mfaWindow is how many 30-second steps a device's clock may be off,
	// either way, when its codes are checked.
	mfaWindow = 1
	// mfaIssuer names Gatehouse in authenticator apps.
	mfaIssuer = "Gatehouse"
)

// seedEncoding encodes device seeds: RFC 4648 base32 without padding, as
// authenticator apps read it.
var seedEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// errRootMFA refuses an IAM principal's change to the root user's MFA.
func errRootMFA(action string) error {
	return gatehouse.Errorf(gatehouse.CodeDenied,
		"%s on an MFA device of the root user requires the account's root user credentials.", action)
}

// errInvalidCodes is EnableMFADevice's and ResyncMFADevice's answer to
// codes that do not verify.
func errInvalidCodes() error {
	return gatehouse.Errorf(gatehouse.CodeInvalidMFACode, "Authentication code for device is not valid.")
}

// errMFAFailed is the answer to a one-time code that does not verify
// when a session is requested.
func errMFAFailed() error {
	return gatehouse.Errorf(gatehouse.CodeDenied, "MultiFactorAuthentication failed with invalid MFA one time pass code.")
}

// errMFAUnknown is the answer to a serial number that is not a device of
// the caller.
func errMFAUnknown() error {
	return gatehouse.Errorf(gatehouse.CodeDenied, "MultiFactorAuthentication failed, unable to validate MFA code.")
}

func noSuchMFADevice(serial string) error {
	return gatehouse.Errorf(gatehouse.CodeNotFound, "MFA Device with serial number %s does not exist.", serial)
}

func checkSerialNumber(serial string) error {
	switch {
	case len(serial) < 9:
		return validationError(serial, "serialNumber", "have length greater than or equal to 9")
	case len(serial) > 256:
		return validationError(serial, "serialNumber", "have length less than or equal to 256")
	}
	for _, r := range serial {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("_+=/:,.@-", r)) {
			return validationError(serial, "serialNumber", `satisfy regular expression pattern: [\w+=/:,.@-]+`)
		}
	}
	return nil
}

func checkAuthenticationCode(code, field string) error {
	if len(code) != totp.Digits {
		return validationError(code, field, fmt.Sprintf("have length equal to %d", totp.Digits))
	}
	for i := 0; i < len(code); i++ {
		if code[i] < '0' || code[i] > '9' {
			return validationError(code, field, `satisfy regular expression pattern: [\d]+`)
		}
	}
	return nil
}

// mfaOwner resolves the user an MFA operation acts on: RootUserName for
// the root user, which only the root user itself may name, else the
// stored name of an IAM user of the account.
func mfaOwner(tx Tx, account, userName, action string, byRoot bool) (string, error) {
	switch userName {
	case gatehouse.RootUserName:
		if !byRoot {
			return "", errRootMFA(action)
		}
		return gatehouse.RootUserName, nil
	case "":
		return "", validationError("", "userName", "have length greater than or equal to 1")
	}
	u, err := getUser(tx, account, userName)
	if err != nil {
		return "", err
	}
	return u.Name, nil
}

// accountDevice returns a device of the account; devices of other
// accounts do not exist for it.
func accountDevice(tx Tx, account, serial string) (*gatehouse.MFADevice, error) {
	d, err := tx.MFADevice(serial)
	// The store finds serial numbers ignoring case; only the device's own
	// spelling names it, so that authorization (which saw the serial
	// number as the resource) decided on the device acted on.
	if gatehouse.ErrorCode(err) == gatehouse.CodeNotFound || (err == nil && (d.AccountID != account || d.SerialNumber != serial)) {
		return nil, noSuchMFADevice(serial)
	}
	return d, err
}

// seedBytes decodes a device's seed.
func seedBytes(d *gatehouse.MFADevice) ([]byte, error) {
	b, err := seedEncoding.DecodeString(d.Seed.Reveal())
	if err != nil {
		return nil, fmt.Errorf("MFA device %s: malformed seed", d.SerialNumber)
	}
	return b, nil
}

// CreateVirtualMFADeviceInput is the input of CreateVirtualMFADevice.
type CreateVirtualMFADeviceInput struct {
	VirtualMFADeviceName string
	Path                 string
	Tags                 []gatehouse.Tag
}

// CreateVirtualMFADevice creates an unassigned virtual MFA device with a
// new random seed. It returns the device, whose Seed is shown to the
// caller once, and a PNG QR code of the otpauth:// URI that
// authenticator apps scan.
func (s *Service) CreateVirtualMFADevice(ctx context.Context, account string, in CreateVirtualMFADeviceInput) (*gatehouse.MFADevice, []byte, error) {
	if err := checkName(in.VirtualMFADeviceName, "virtualMFADeviceName", 256); err != nil {
		return nil, nil, err
	}
	path := orSlash(in.Path)
	if err := checkPath(path, "path"); err != nil {
		return nil, nil, err
	}
	if err := checkTags(in.Tags); err != nil {
		return nil, nil, err
	}
	var partition string
	if err := s.Store.View(ctx, func(tx Tx) (err error) {
		partition, err = partitionOf(tx, account)
		return err
	}); err != nil {
		return nil, nil, err
	}
	serial := gatehouse.MFADeviceARN(partition, account, path, in.VirtualMFADeviceName)
	if err := checkSerialNumber(serial); err != nil {
		return nil, nil, err
	}
	raw := make([]byte, mfaSeedBytes)
	if _, err := io.ReadFull(s.rand(), raw); err != nil {
		return nil, nil, fmt.Errorf("random MFA seed: %w", err)
	}
	d := &gatehouse.MFADevice{
		AccountID: account, SerialNumber: serial, Name: in.VirtualMFADeviceName, Path: path,
		Seed: gatehouse.Secret(seedEncoding.EncodeToString(raw)), CreatedAt: s.now(), Tags: in.Tags,
	}
	var label string
	err := s.Store.Update(ctx, func(tx Tx) error {
		devices, err := tx.MFADevices(account)
		if err != nil {
			return err
		}
		if len(devices) >= MaxVirtualMFADevicesPerAccount {
			return gatehouse.Errorf(gatehouse.CodeLimit, "Cannot exceed quota for VirtualMFADevicesPerAccount: %d", MaxVirtualMFADevicesPerAccount)
		}
		if label, err = tx.AccountAlias(account); err != nil {
			return err
		}
		return tx.CreateMFADevice(d)
	})
	if err != nil {
		return nil, nil, err
	}
	if label == "" {
		label = account
	}
	qrPNG, err := QRCodePNG(OTPAuthURI(d.Name, label, d.Seed.Reveal()))
	if err != nil {
		return nil, nil, err
	}
	return d, qrPNG, nil
}

// OTPAuthURI returns the key URI authenticator apps read:
// otpauth://totp/Gatehouse:<name>@<account>?secret=<seed>&issuer=Gatehouse.
func OTPAuthURI(name, account, seed string) string {
	label := url.PathEscape(mfaIssuer) + ":" + url.PathEscape(name) + "@" + url.PathEscape(account)
	q := url.Values{"secret": {seed}, "issuer": {mfaIssuer}}
	return "otpauth://totp/" + label + "?" + q.Encode()
}

// QRCodePNG renders text as a QR code PNG: error correction level M, 4
// pixels per module and the 4-module quiet zone the standard asks for.
func QRCodePNG(text string) ([]byte, error) {
	code, err := qr.Encode(text, qr.M)
	if err != nil {
		return nil, fmt.Errorf("QR code: %w", err)
	}
	const scale, quiet = 4, 4
	side := (code.Size + 2*quiet) * scale
	img := image.NewGray(image.Rect(0, 0, side, side))
	for y := 0; y < side; y++ {
		for x := 0; x < side; x++ {
			c := color.Gray{Y: 0xff}
			if code.Black(x/scale-quiet, y/scale-quiet) {
				c.Y = 0
			}
			img.SetGray(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return nil, fmt.Errorf("QR code: %w", err)
	}
	return b.Bytes(), nil
}

// EnableMFADeviceInput is the input of EnableMFADevice.
type EnableMFADeviceInput struct {
	// UserName is the IAM user to assign the device to, or
	// RootUserName for the root user.
	UserName            string
	SerialNumber        string
	AuthenticationCode1 string
	AuthenticationCode2 string
	// ByRoot reports that the account's root user is calling: only the
	// root user manages the root user's devices.
	ByRoot bool
}

// EnableMFADevice assigns an unassigned device to a user, or to the root
// user, after checking two consecutive codes from it.
func (s *Service) EnableMFADevice(ctx context.Context, account string, in EnableMFADeviceInput) error {
	if err := checkSerialNumber(in.SerialNumber); err != nil {
		return err
	}
	if err := checkAuthenticationCode(in.AuthenticationCode1, "authenticationCode1"); err != nil {
		return err
	}
	if err := checkAuthenticationCode(in.AuthenticationCode2, "authenticationCode2"); err != nil {
		return err
	}
	now := s.now()
	return s.Store.Update(ctx, func(tx Tx) error {
		owner, err := mfaOwner(tx, account, in.UserName, "EnableMFADevice", in.ByRoot)
		if err != nil {
			return err
		}
		d, err := accountDevice(tx, account, in.SerialNumber)
		if err != nil {
			return err
		}
		if d.UserName == gatehouse.RootUserName && !in.ByRoot {
			return errRootMFA("EnableMFADevice")
		}
		if d.Assigned() {
			return gatehouse.Errorf(gatehouse.CodeAlreadyExists, "MFA Device is already in use.")
		}
		devices, err := tx.MFADevices(account)
		if err != nil {
			return err
		}
		if len(ownedBy(devices, owner)) >= MaxMFADevicesPerUser {
			return gatehouse.Errorf(gatehouse.CodeLimit, "Cannot exceed quota for MFADevicesPerUser: %d", MaxMFADevicesPerUser)
		}
		step, err := checkConsecutive(d, in.AuthenticationCode1, in.AuthenticationCode2, now)
		if err != nil {
			return err
		}
		d.UserName, d.EnabledAt, d.LastStep = owner, now, step
		return tx.UpdateMFADevice(d)
	})
}

// checkConsecutive verifies two consecutive codes of a device, neither
// of them used before, and returns the second one's step.
func checkConsecutive(d *gatehouse.MFADevice, code1, code2 string, now time.Time) (int64, error) {
	seed, err := seedBytes(d)
	if err != nil {
		return 0, err
	}
	step, ok := totp.VerifyConsecutive(seed, code1, code2, now, mfaWindow)
	if !ok || step-1 <= d.LastStep {
		return 0, errInvalidCodes()
	}
	return step, nil
}

// ownedBy returns the devices assigned to owner (a stored user name or
// RootUserName).
func ownedBy(devices []*gatehouse.MFADevice, owner string) []*gatehouse.MFADevice {
	var out []*gatehouse.MFADevice
	for _, d := range devices {
		if d.Assigned() && strings.EqualFold(d.UserName, owner) {
			out = append(out, d)
		}
	}
	return out
}

// ownedDevice returns a device of the account assigned to userName (a
// user, or the root user), refusing IAM principals the root user's
// devices whoever they name.
func ownedDevice(tx Tx, account, userName, serial, action string, byRoot bool) (*gatehouse.MFADevice, error) {
	d, err := accountDevice(tx, account, serial)
	if err != nil {
		return nil, err
	}
	if d.UserName == gatehouse.RootUserName && !byRoot {
		return nil, errRootMFA(action)
	}
	owner, err := mfaOwner(tx, account, userName, action, byRoot)
	if err != nil {
		return nil, err
	}
	if !d.Assigned() || !strings.EqualFold(d.UserName, owner) {
		return nil, noSuchMFADevice(serial)
	}
	return d, nil
}

// ResyncMFADeviceInput is the input of ResyncMFADevice.
type ResyncMFADeviceInput struct {
	// UserName is the device's user, or RootUserName for the root
	// user.
	UserName            string
	SerialNumber        string
	AuthenticationCode1 string
	AuthenticationCode2 string
	// ByRoot reports that the account's root user is calling.
	ByRoot bool
}

// ResyncMFADevice checks two consecutive codes of an enabled device and
// records them as used. Gatehouse keeps no clock offset per device: a
// device whose codes fall outside the window cannot be resynchronized,
// only deactivated and enabled again.
func (s *Service) ResyncMFADevice(ctx context.Context, account string, in ResyncMFADeviceInput) error {
	if err := checkSerialNumber(in.SerialNumber); err != nil {
		return err
	}
	if err := checkAuthenticationCode(in.AuthenticationCode1, "authenticationCode1"); err != nil {
		return err
	}
	if err := checkAuthenticationCode(in.AuthenticationCode2, "authenticationCode2"); err != nil {
		return err
	}
	now := s.now()
	return s.Store.Update(ctx, func(tx Tx) error {
		d, err := ownedDevice(tx, account, in.UserName, in.SerialNumber, "ResyncMFADevice", in.ByRoot)
		if err != nil {
			return err
		}
		step, err := checkConsecutive(d, in.AuthenticationCode1, in.AuthenticationCode2, now)
		if err != nil {
			return err
		}
		d.LastStep = step
		return tx.UpdateMFADevice(d)
	})
}

// DeactivateMFADevice unassigns a device from its user (or from the root
// user, RootUserName). The device keeps its seed and can be
// enabled again; codes it showed before stay used.
func (s *Service) DeactivateMFADevice(ctx context.Context, account, userName, serial string, byRoot bool) error {
	if err := checkSerialNumber(serial); err != nil {
		return err
	}
	return s.Store.Update(ctx, func(tx Tx) error {
		d, err := ownedDevice(tx, account, userName, serial, "DeactivateMFADevice", byRoot)
		if err != nil {
			return err
		}
		d.UserName, d.EnabledAt = "", time.Time{}
		return tx.UpdateMFADevice(d)
	})
}

// DeleteVirtualMFADevice deletes an unassigned device.
func (s *Service) DeleteVirtualMFADevice(ctx context.Context, account, serial string, byRoot bool) error {
	if err := checkSerialNumber(serial); err != nil {
		return err
	}
	return s.Store.Update(ctx, func(tx Tx) error {
		d, err := accountDevice(tx, account, serial)
		if err != nil {
			return err
		}
		switch {
		case d.UserName == gatehouse.RootUserName && !byRoot:
			return errRootMFA("DeleteVirtualMFADevice")
		case d.Assigned():
			return gatehouse.Errorf(gatehouse.CodeDeleteConflict, "MFA device %s is in use; deactivate it before deleting it.", d.SerialNumber)
		}
		return tx.DeleteMFADevice(d.SerialNumber)
	})
}

// MFADevices lists the devices assigned to a user, or to the root user
// (RootUserName), sorted by serial number. It returns the user's stored
// name (RootUserName for root). Authorization decides who may list the
// root user's devices.
func (s *Service) MFADevices(ctx context.Context, account, userName string) ([]*gatehouse.MFADevice, string, error) {
	var out []*gatehouse.MFADevice
	var owner string
	err := s.Store.View(ctx, func(tx Tx) error {
		var err error
		if owner, err = mfaOwner(tx, account, userName, "ListMFADevices", true); err != nil {
			return err
		}
		devices, err := tx.MFADevices(account)
		out = ownedBy(devices, owner)
		return err
	})
	return out, owner, err
}

// Assignment statuses of ListVirtualMFADevices.
const (
	AssignmentAssigned   = "Assigned"
	AssignmentUnassigned = "Unassigned"
	AssignmentAny        = "Any"
)

// VirtualMFADevice is a device as ListVirtualMFADevices shows it.
type VirtualMFADevice struct {
	Device *gatehouse.MFADevice
	// User is the IAM user the device is assigned to; nil when it is
	// unassigned or assigned to the root user.
	User *gatehouse.User
}

// VirtualMFADevices lists the account's devices with the given
// assignment status ("" means Any), sorted by serial number.
func (s *Service) VirtualMFADevices(ctx context.Context, account, status string) ([]VirtualMFADevice, error) {
	switch status {
	case "":
		status = AssignmentAny
	case AssignmentAny, AssignmentAssigned, AssignmentUnassigned:
	default:
		return nil, validationError(status, "assignmentStatus", "satisfy enum value set: [Unassigned, Any, Assigned]")
	}
	var out []VirtualMFADevice
	err := s.Store.View(ctx, func(tx Tx) error {
		devices, err := tx.MFADevices(account)
		if err != nil {
			return err
		}
		users := map[string]*gatehouse.User{}
		for _, d := range devices {
			if (status == AssignmentAssigned && !d.Assigned()) || (status == AssignmentUnassigned && d.Assigned()) {
				continue
			}
			v := VirtualMFADevice{Device: d}
			if d.Assigned() && d.UserName != gatehouse.RootUserName {
				u, ok := users[d.UserName]
				if !ok {
					if u, err = tx.User(account, d.UserName); err != nil {
						return err
					}
					users[d.UserName] = u
				}
				v.User = u
			}
			out = append(out, v)
		}
		return nil
	})
	return out, err
}

// VerifyMFA checks a one-time code of a device assigned to a user, or to
// the root user (RootUserName), as GetSessionToken and AssumeRole
// take them. A code is accepted once: the device remembers the last
// step it accepted. It returns the time of the verification; a wrong,
// reused or foreign code is AccessDenied.
func (s *Service) VerifyMFA(ctx context.Context, account, userName, serialNumber, code string) (time.Time, error) {
	if userName == "" {
		return time.Time{}, errMFAUnknown()
	}
	now := s.now()
	err := s.Store.Update(ctx, func(tx Tx) error {
		d, err := tx.MFADevice(serialNumber)
		if gatehouse.ErrorCode(err) == gatehouse.CodeNotFound {
			return errMFAUnknown()
		}
		if err != nil {
			return err
		}
		if d.AccountID != account || !d.Assigned() || !strings.EqualFold(d.UserName, userName) {
			return errMFAUnknown()
		}
		seed, err := seedBytes(d)
		if err != nil {
			return err
		}
		step, ok := totp.Verify(seed, code, now, mfaWindow, d.LastStep)
		if !ok {
			return errMFAFailed()
		}
		d.LastStep = step
		return tx.UpdateMFADevice(d)
	})
	if err != nil {
		return time.Time{}, err
	}
	return now, nil
}
