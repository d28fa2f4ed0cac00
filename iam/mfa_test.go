package iam_test

import (
	"bytes"
	"context"
	"encoding/base32"
	"fmt"
	"image/png"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/iam"
	"github.com/gatehouse-dev/gatehouse/store/sqlite"
	"github.com/gatehouse-dev/gatehouse/totp"
)

const (
	acct  = "123456789012"
	other = "210987654321"
)

// clock is a settable time source.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// advance moves the clock on by d.
func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// mfaEnv is an IAM service on an in-memory store with two accounts,
// users alice and bob in the first, carol in the second, and a clock
// ten seconds into a TOTP step.
type mfaEnv struct {
	svc   *iam.Service
	clock *clock
}

func newMFAEnv(t *testing.T) *mfaEnv {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, sqlite.MemoryPath, sqlite.Options{SecretKey: make([]byte, 32)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	c := &clock{now: time.Date(2025, 6, 1, 12, 0, 10, 0, time.UTC)}
	env := &mfaEnv{svc: &iam.Service{Store: gatehouse.Narrow[iam.Tx](st), Now: c.Now}, clock: c}
	for _, a := range []string{acct, other} {
		if _, _, err := env.svc.CreateAccount(ctx, iam.AccountSpec{ID: a, Email: "root@example.com"}); err != nil {
			t.Fatal(err)
		}
	}
	for _, u := range []struct{ account, name string }{{acct, "alice"}, {acct, "bob"}, {other, "carol"}} {
		if _, err := env.svc.CreateUser(ctx, u.account, iam.CreateUserInput{UserName: u.name}); err != nil {
			t.Fatal(err)
		}
	}
	return env
}

// device creates a virtual MFA device of acct.
func (e *mfaEnv) device(t *testing.T, name string) *gatehouse.MFADevice {
	t.Helper()
	d, _, err := e.svc.CreateVirtualMFADevice(context.Background(), acct, iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: name})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// code returns the code d shows steps time steps from now.
func (e *mfaEnv) code(t *testing.T, d *gatehouse.MFADevice, steps int) string {
	t.Helper()
	seed, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(d.Seed.Reveal())
	if err != nil {
		t.Fatal(err)
	}
	return totp.Code(seed, e.clock.Now().Add(time.Duration(steps)*totp.Period))
}

// enable enables d for user with the previous and the current code.
func (e *mfaEnv) enable(t *testing.T, user string, d *gatehouse.MFADevice, byRoot bool) error {
	t.Helper()
	return e.svc.EnableMFADevice(context.Background(), acct, iam.EnableMFADeviceInput{
		UserName: user, SerialNumber: d.SerialNumber,
		AuthenticationCode1: e.code(t, d, -1), AuthenticationCode2: e.code(t, d, 0), ByRoot: byRoot})
}

func (e *mfaEnv) mustEnable(t *testing.T, user string, d *gatehouse.MFADevice) {
	t.Helper()
	if err := e.enable(t, user, d, true); err != nil {
		t.Fatalf("enable %s for %s: %v", d.Name, user, err)
	}
}

// get reads a device back.
func (e *mfaEnv) get(t *testing.T, serial string) *gatehouse.MFADevice {
	t.Helper()
	var d *gatehouse.MFADevice
	err := e.svc.Store.View(context.Background(), whole(func(tx gatehouse.Tx) error {
		var err error
		d, err = tx.MFADevice(serial)
		return err
	}))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func wantCode(t *testing.T, err error, code gatehouse.Code) {
	t.Helper()
	if got := gatehouse.ErrorCode(err); got != code {
		t.Fatalf("error %v: code %q, want %q", err, got, code)
	}
}

func TestCreateVirtualMFADevice(t *testing.T) {
	e := newMFAEnv(t)
	ctx := context.Background()
	d, qrPNG, err := e.svc.CreateVirtualMFADevice(ctx, acct, iam.CreateVirtualMFADeviceInput{
		VirtualMFADeviceName: "alice-phone", Path: "/eng/", Tags: []gatehouse.Tag{{Key: "owner", Value: "alice"}}})
	if err != nil {
		t.Fatal(err)
	}
	if want := "arn:aws:iam::123456789012:mfa/eng/alice-phone"; d.SerialNumber != want {
		t.Errorf("SerialNumber = %s, want %s", d.SerialNumber, want)
	}
	seed, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(d.Seed.Reveal())
	if err != nil || len(seed) != 20 {
		t.Errorf("seed %d bytes (%v), want 20 bytes of base32", len(seed), err)
	}
	if d.Assigned() || !d.EnabledAt.IsZero() || !d.CreatedAt.Equal(e.clock.Now()) {
		t.Errorf("new device: UserName %q, EnabledAt %v, CreatedAt %v", d.UserName, d.EnabledAt, d.CreatedAt)
	}
	img, err := png.Decode(bytes.NewReader(qrPNG))
	if err != nil {
		t.Fatalf("QR code is not a PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() != b.Dy() || b.Dx() < 100 {
		t.Errorf("QR code is %v", b)
	}
	stored := e.get(t, d.SerialNumber)
	if stored.Seed.Reveal() != d.Seed.Reveal() || len(stored.Tags) != 1 || stored.Path != "/eng/" {
		t.Errorf("stored device %+v", stored)
	}

	// Another random seed for the next device.
	d2, _, err := e.svc.CreateVirtualMFADevice(ctx, acct, iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: "spare"})
	if err != nil {
		t.Fatal(err)
	}
	if d2.Seed.Reveal() == d.Seed.Reveal() || d2.SerialNumber != "arn:aws:iam::123456789012:mfa/spare" {
		t.Errorf("second device: %s, same seed %v", d2.SerialNumber, d2.Seed.Reveal() == d.Seed.Reveal())
	}

	for _, tc := range []struct {
		name string
		in   iam.CreateVirtualMFADeviceInput
		code gatehouse.Code
	}{
		{"Duplicate", iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: "alice-phone", Path: "/eng/"}, gatehouse.CodeAlreadyExists},
		{"DuplicateOtherCase", iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: "ALICE-PHONE", Path: "/eng/"}, gatehouse.CodeAlreadyExists},
		{"NoName", iam.CreateVirtualMFADeviceInput{}, gatehouse.CodeInvalid},
		{"BadName", iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: "a phone"}, gatehouse.CodeInvalid},
		{"BadPath", iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: "p", Path: "eng"}, gatehouse.CodeInvalid},
		{"TooLong", iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: strings.Repeat("p", 230)}, gatehouse.CodeInvalid},
		{"AWSTag", iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: "p", Tags: []gatehouse.Tag{{Key: "aws:x"}}}, gatehouse.CodeInvalidInput},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := e.svc.CreateVirtualMFADevice(ctx, acct, tc.in)
			wantCode(t, err, tc.code)
		})
	}
}

func TestOTPAuthURI(t *testing.T) {
	got := iam.OTPAuthURI("alice-phone", "123456789012", "JBSWY3DPEHPK3PXP")
	want := "otpauth://totp/Gatehouse:alice-phone@123456789012?issuer=Gatehouse&secret=JBSWY3DPEHPK3PXP"
	if got != want {
		t.Errorf("OTPAuthURI = %s, want %s", got, want)
	}
	if got := iam.OTPAuthURI("a b", "x/y", "S"); !strings.HasPrefix(got, "otpauth://totp/Gatehouse:a%20b@x%2Fy?") {
		t.Errorf("OTPAuthURI does not escape its label: %s", got)
	}
}

func TestEnableMFADevice(t *testing.T) {
	ctx := context.Background()
	enable := func(e *mfaEnv, account, user, serial, code1, code2 string) error {
		return e.svc.EnableMFADevice(ctx, account, iam.EnableMFADeviceInput{UserName: user, SerialNumber: serial,
			AuthenticationCode1: code1, AuthenticationCode2: code2})
	}
	for _, tc := range []struct {
		name    string
		user    string
		serial  func(d *gatehouse.MFADevice) string
		account string
		// codes are the steps, from now, of the two codes sent.
		step1, step2 int
		code         gatehouse.Code
	}{
		{"PreviousAndCurrent", "alice", nil, acct, -1, 0, ""},
		{"CurrentAndNext", "alice", nil, acct, 0, 1, ""},
		{"UserNameIgnoresCase", "ALICE", nil, acct, -1, 0, ""},
		// A serial number is the device's ARN, and only its own spelling
		// names it (authorization decides on the spelling in the request).
		{"SerialOtherCase", "alice", func(d *gatehouse.MFADevice) string { return strings.ToUpper(d.SerialNumber) }, acct, -1, 0, gatehouse.CodeNotFound},
		{"WindowEdgeBehind", "alice", nil, acct, -2, -1, ""},
		{"OutsideWindowBehind", "alice", nil, acct, -3, -2, gatehouse.CodeInvalidMFACode},
		{"OutsideWindowAhead", "alice", nil, acct, 1, 2, gatehouse.CodeInvalidMFACode},
		{"NotConsecutive", "alice", nil, acct, -1, 1, gatehouse.CodeInvalidMFACode},
		{"Swapped", "alice", nil, acct, 0, -1, gatehouse.CodeInvalidMFACode},
		{"SameCodeTwice", "alice", nil, acct, 0, 0, gatehouse.CodeInvalidMFACode},
		{"UnknownUser", "nobody", nil, acct, -1, 0, gatehouse.CodeNotFound},
		{"UnknownDevice", "alice", func(*gatehouse.MFADevice) string { return "arn:aws:iam::123456789012:mfa/none" }, acct, -1, 0, gatehouse.CodeNotFound},
		{"DeviceOfOtherAccount", "carol", nil, other, -1, 0, gatehouse.CodeNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newMFAEnv(t)
			d := e.device(t, "phone")
			serial := d.SerialNumber
			if tc.serial != nil {
				serial = tc.serial(d)
			}
			err := enable(e, tc.account, tc.user, serial, e.code(t, d, tc.step1), e.code(t, d, tc.step2))
			if tc.code != "" {
				wantCode(t, err, tc.code)
				if tc.code == gatehouse.CodeInvalidMFACode && gatehouse.ErrorMessage(err) != "Authentication code for device is not valid." {
					t.Errorf("message %q", gatehouse.ErrorMessage(err))
				}
				if got := e.get(t, d.SerialNumber); got.Assigned() {
					t.Errorf("device assigned to %s after a failed enable", got.UserName)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := e.get(t, d.SerialNumber)
			if got.UserName != "alice" || !got.EnabledAt.Equal(e.clock.Now()) {
				t.Errorf("after enable: UserName %q, EnabledAt %v", got.UserName, got.EnabledAt)
			}
		})
	}

	t.Run("Malformed", func(t *testing.T) {
		t.Parallel()
		e := newMFAEnv(t)
		d := e.device(t, "phone")
		for _, codes := range [][2]string{{"12345", "123456"}, {"123456", "1234567"}, {"12345a", "123456"}, {"", ""}} {
			wantCode(t, enable(e, acct, "alice", d.SerialNumber, codes[0], codes[1]), gatehouse.CodeInvalid)
		}
		wantCode(t, enable(e, acct, "alice", "short", "123456", "123456"), gatehouse.CodeInvalid)
	})
	t.Run("AlreadyAssigned", func(t *testing.T) {
		t.Parallel()
		e := newMFAEnv(t)
		d := e.device(t, "phone")
		e.mustEnable(t, "alice", d)
		e.clock.advance(2 * totp.Period)
		wantCode(t, e.enable(t, "bob", d, true), gatehouse.CodeAlreadyExists)
		wantCode(t, e.enable(t, "alice", d, true), gatehouse.CodeAlreadyExists)
	})
	t.Run("Quota", func(t *testing.T) {
		t.Parallel()
		e := newMFAEnv(t)
		for i := range iam.MaxMFADevicesPerUser {
			e.mustEnable(t, "alice", e.device(t, fmt.Sprint("phone", i)))
		}
		extra := e.device(t, "one-too-many")
		wantCode(t, e.enable(t, "alice", extra, true), gatehouse.CodeLimit)
		// The quota is per user.
		e.mustEnable(t, "bob", extra)
	})
	t.Run("RootQuota", func(t *testing.T) {
		t.Parallel()
		e := newMFAEnv(t)
		for i := range iam.MaxMFADevicesPerUser {
			e.mustEnable(t, gatehouse.RootUserName, e.device(t, fmt.Sprint("root", i)))
		}
		wantCode(t, e.enable(t, gatehouse.RootUserName, e.device(t, "root-extra"), true), gatehouse.CodeLimit)
	})
}

func TestVerifyMFA(t *testing.T) {
	ctx := context.Background()
	e := newMFAEnv(t)
	d := e.device(t, "phone")
	e.mustEnable(t, "alice", d)
	verify := func(user, code string) error {
		t.Helper()
		at, err := e.svc.VerifyMFA(ctx, acct, user, d.SerialNumber, code)
		if err == nil && !at.Equal(e.clock.Now()) {
			t.Errorf("VerifyMFA returned %v, want now (%v)", at, e.clock.Now())
		}
		return err
	}
	wantDenied := func(err error, message string) {
		t.Helper()
		wantCode(t, err, gatehouse.CodeDenied)
		if gatehouse.ErrorMessage(err) != message {
			t.Errorf("message %q, want %q", gatehouse.ErrorMessage(err), message)
		}
	}
	const invalid = "MultiFactorAuthentication failed with invalid MFA one time pass code."
	const unknown = "MultiFactorAuthentication failed, unable to validate MFA code."

	// The codes that enabled the device are used up.
	wantDenied(verify("alice", e.code(t, d, 0)), invalid)
	wantDenied(verify("alice", e.code(t, d, -1)), invalid)
	// The next code is good once.
	next := e.code(t, d, 1)
	if err := verify("alice", next); err != nil {
		t.Fatalf("next code: %v", err)
	}
	wantDenied(verify("alice", next), invalid)
	e.clock.advance(totp.Period)
	wantDenied(verify("alice", next), invalid)
	// A later step works; an earlier one no longer does.
	e.clock.advance(totp.Period)
	earlier := e.code(t, d, -1)
	if err := verify("ALICE", e.code(t, d, 0)); err != nil {
		t.Fatalf("current code: %v", err)
	}
	wantDenied(verify("alice", earlier), invalid)
	// Far from now.
	e.clock.advance(totp.Period)
	wantDenied(verify("alice", e.code(t, d, 3)), invalid)
	wantDenied(verify("alice", "12345"), invalid)
	// Not alice's device, or no device at all.
	wantDenied(verify("bob", e.code(t, d, 0)), unknown)
	wantDenied(verify(gatehouse.RootUserName, e.code(t, d, 0)), unknown)
	wantDenied(verify("", e.code(t, d, 0)), unknown)
	_, err := e.svc.VerifyMFA(ctx, acct, "alice", "arn:aws:iam::123456789012:mfa/none", "123456")
	wantDenied(err, unknown)
	_, err = e.svc.VerifyMFA(ctx, other, "alice", d.SerialNumber, e.code(t, d, 0))
	wantDenied(err, unknown)
	// An unassigned device verifies nothing.
	spare := e.device(t, "spare")
	_, err = e.svc.VerifyMFA(ctx, acct, "alice", spare.SerialNumber, e.code(t, spare, 0))
	wantDenied(err, unknown)
}

func TestResyncMFADevice(t *testing.T) {
	ctx := context.Background()
	e := newMFAEnv(t)
	d := e.device(t, "phone")
	e.mustEnable(t, "alice", d)
	resync := func(user string, step1, step2 int) error {
		return e.svc.ResyncMFADevice(ctx, acct, iam.ResyncMFADeviceInput{UserName: user, SerialNumber: d.SerialNumber,
			AuthenticationCode1: e.code(t, d, step1), AuthenticationCode2: e.code(t, d, step2)})
	}
	// The codes that enabled the device cannot resync it.
	wantCode(t, resync("alice", -1, 0), gatehouse.CodeInvalidMFACode)
	e.clock.advance(2 * totp.Period)
	wantCode(t, resync("alice", -1, 1), gatehouse.CodeInvalidMFACode)
	wantCode(t, resync("bob", -1, 0), gatehouse.CodeNotFound)
	if err := resync("alice", -1, 0); err != nil {
		t.Fatal(err)
	}
	if got := e.get(t, d.SerialNumber).LastStep; got != totp.Step(e.clock.Now()) {
		t.Errorf("LastStep = %d after resync, want %d", got, totp.Step(e.clock.Now()))
	}
	wantCode(t, resync("alice", -1, 0), gatehouse.CodeInvalidMFACode)
	_, err := e.svc.VerifyMFA(ctx, acct, "alice", d.SerialNumber, e.code(t, d, 0))
	wantCode(t, err, gatehouse.CodeDenied)
}

func TestDeactivateAndDeleteMFADevice(t *testing.T) {
	ctx := context.Background()
	e := newMFAEnv(t)
	d := e.device(t, "phone")
	e.mustEnable(t, "alice", d)

	wantCode(t, e.svc.DeleteVirtualMFADevice(ctx, acct, d.SerialNumber, false), gatehouse.CodeDeleteConflict)
	wantCode(t, e.svc.DeactivateMFADevice(ctx, acct, "bob", d.SerialNumber, false), gatehouse.CodeNotFound)
	wantCode(t, e.svc.DeactivateMFADevice(ctx, acct, "nobody", d.SerialNumber, false), gatehouse.CodeNotFound)
	wantCode(t, e.svc.DeactivateMFADevice(ctx, other, "carol", d.SerialNumber, false), gatehouse.CodeNotFound)
	if err := e.svc.DeactivateMFADevice(ctx, acct, "alice", d.SerialNumber, false); err != nil {
		t.Fatal(err)
	}
	got := e.get(t, d.SerialNumber)
	if got.Assigned() || !got.EnabledAt.IsZero() {
		t.Errorf("after deactivate: UserName %q, EnabledAt %v", got.UserName, got.EnabledAt)
	}
	wantCode(t, e.svc.DeactivateMFADevice(ctx, acct, "alice", d.SerialNumber, false), gatehouse.CodeNotFound)
	// Deactivated, the device cannot be enabled again with the codes it
	// was enabled with; it can with fresh ones.
	wantCode(t, e.enable(t, "bob", d, false), gatehouse.CodeInvalidMFACode)
	e.clock.advance(2 * totp.Period)
	if err := e.enable(t, "bob", d, false); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.DeactivateMFADevice(ctx, acct, "BOB", d.SerialNumber, false); err != nil {
		t.Fatal(err)
	}
	wantCode(t, e.svc.DeleteVirtualMFADevice(ctx, other, d.SerialNumber, true), gatehouse.CodeNotFound)
	if err := e.svc.DeleteVirtualMFADevice(ctx, acct, d.SerialNumber, false); err != nil {
		t.Fatal(err)
	}
	wantCode(t, e.svc.DeleteVirtualMFADevice(ctx, acct, d.SerialNumber, false), gatehouse.CodeNotFound)
	// The name is free again.
	e.device(t, "phone")
}

// TestRootMFA checks that only the root user manages the root user's
// devices: an IAM principal, whatever its policies, is refused.
func TestRootMFA(t *testing.T) {
	ctx := context.Background()
	e := newMFAEnv(t)
	d := e.device(t, "root-phone")

	// An IAM principal cannot enable a device for root.
	err := e.enable(t, gatehouse.RootUserName, d, false)
	wantCode(t, err, gatehouse.CodeDenied)
	if !strings.Contains(gatehouse.ErrorMessage(err), "root user") {
		t.Errorf("message %q does not say the root user is needed", gatehouse.ErrorMessage(err))
	}
	if err := e.enable(t, gatehouse.RootUserName, d, true); err != nil {
		t.Fatal(err)
	}
	if got := e.get(t, d.SerialNumber); got.UserName != gatehouse.RootUserName {
		t.Fatalf("device assigned to %q", got.UserName)
	}
	e.clock.advance(2 * totp.Period)

	resync := func(user string, byRoot bool) error {
		return e.svc.ResyncMFADevice(ctx, acct, iam.ResyncMFADeviceInput{UserName: user, SerialNumber: d.SerialNumber,
			AuthenticationCode1: e.code(t, d, -1), AuthenticationCode2: e.code(t, d, 0), ByRoot: byRoot})
	}
	for _, tc := range []struct {
		name string
		fn   func() error
	}{
		{"EnableForAlice", func() error { return e.enable(t, "alice", d, false) }},
		{"Resync", func() error { return resync(gatehouse.RootUserName, false) }},
		{"ResyncNamingAlice", func() error { return resync("alice", false) }},
		{"Deactivate", func() error {
			return e.svc.DeactivateMFADevice(ctx, acct, gatehouse.RootUserName, d.SerialNumber, false)
		}},
		{"DeactivateNamingAlice", func() error { return e.svc.DeactivateMFADevice(ctx, acct, "alice", d.SerialNumber, false) }},
		{"DeactivateNoName", func() error { return e.svc.DeactivateMFADevice(ctx, acct, "", d.SerialNumber, false) }},
		{"Delete", func() error { return e.svc.DeleteVirtualMFADevice(ctx, acct, d.SerialNumber, false) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantCode(t, tc.fn(), gatehouse.CodeDenied)
			if got := e.get(t, d.SerialNumber); got.UserName != gatehouse.RootUserName {
				t.Fatalf("device now assigned to %q", got.UserName)
			}
		})
	}

	// Root lists, verifies, resyncs, deactivates and deletes its device.
	devices, owner, err := e.svc.MFADevices(ctx, acct, gatehouse.RootUserName)
	if err != nil || owner != gatehouse.RootUserName || len(devices) != 1 {
		t.Fatalf("root's devices: %v, %q, %v", devices, owner, err)
	}
	if devices, _, _ := e.svc.MFADevices(ctx, acct, "alice"); len(devices) != 0 {
		t.Errorf("alice lists root's device")
	}
	if err := resync(gatehouse.RootUserName, true); err != nil {
		t.Fatalf("root resync: %v", err)
	}
	e.clock.advance(totp.Period)
	if _, err := e.svc.VerifyMFA(ctx, acct, gatehouse.RootUserName, d.SerialNumber, e.code(t, d, 0)); err != nil {
		t.Fatalf("root VerifyMFA: %v", err)
	}
	if _, err := e.svc.VerifyMFA(ctx, acct, "alice", d.SerialNumber, e.code(t, d, 1)); gatehouse.ErrorCode(err) != gatehouse.CodeDenied {
		t.Errorf("alice verified with root's device: %v", err)
	}
	wantCode(t, e.svc.DeleteVirtualMFADevice(ctx, acct, d.SerialNumber, true), gatehouse.CodeDeleteConflict)
	if err := e.svc.DeactivateMFADevice(ctx, acct, gatehouse.RootUserName, d.SerialNumber, true); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.DeleteVirtualMFADevice(ctx, acct, d.SerialNumber, true); err != nil {
		t.Fatal(err)
	}
}

func TestListMFADevices(t *testing.T) {
	ctx := context.Background()
	e := newMFAEnv(t)
	b, a, spare, root := e.device(t, "b"), e.device(t, "a"), e.device(t, "spare"), e.device(t, "root")
	e.mustEnable(t, "alice", b)
	e.mustEnable(t, "alice", a)
	e.mustEnable(t, gatehouse.RootUserName, root)

	devices, owner, err := e.svc.MFADevices(ctx, acct, "ALICE")
	if err != nil || owner != "alice" || len(devices) != 2 || devices[0].Name != "a" || devices[1].Name != "b" {
		t.Fatalf("alice's devices: %v, %q, %v", devices, owner, err)
	}
	if devices, _, err := e.svc.MFADevices(ctx, acct, "bob"); err != nil || len(devices) != 0 {
		t.Errorf("bob's devices: %v, %v", devices, err)
	}
	_, _, err = e.svc.MFADevices(ctx, acct, "nobody")
	wantCode(t, err, gatehouse.CodeNotFound)
	_, _, err = e.svc.MFADevices(ctx, acct, "")
	wantCode(t, err, gatehouse.CodeInvalid)

	names := func(status string) []string {
		t.Helper()
		list, err := e.svc.VirtualMFADevices(ctx, acct, status)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, v := range list {
			switch {
			case v.Device.UserName == gatehouse.RootUserName && v.User != nil:
				t.Errorf("root's device %s has User %s", v.Device.Name, v.User.Name)
			case v.Device.UserName == "alice" && (v.User == nil || v.User.Name != "alice" || v.User.ID == ""):
				t.Errorf("alice's device %s has User %v", v.Device.Name, v.User)
			case !v.Device.Assigned() && v.User != nil:
				t.Errorf("unassigned device %s has User %v", v.Device.Name, v.User)
			}
			out = append(out, v.Device.Name)
		}
		return out
	}
	for _, tc := range []struct {
		status string
		want   string
	}{
		{"", "a b root spare"},
		{"Any", "a b root spare"},
		{"Assigned", "a b root"},
		{"Unassigned", spare.Name},
	} {
		if got := strings.Join(names(tc.status), " "); got != tc.want {
			t.Errorf("VirtualMFADevices(%q) = %s, want %s", tc.status, got, tc.want)
		}
	}
	_, err = e.svc.VirtualMFADevices(ctx, acct, "assigned")
	wantCode(t, err, gatehouse.CodeInvalid)

	// Devices follow a renamed user.
	newName := "alicia"
	if err := e.svc.UpdateUser(ctx, acct, "alice", &newName, nil); err != nil {
		t.Fatal(err)
	}
	if devices, _, err := e.svc.MFADevices(ctx, acct, "alicia"); err != nil || len(devices) != 2 || devices[0].UserName != "alicia" {
		t.Errorf("alicia's devices: %v, %v", devices, err)
	}
}

// whole adapts fn, which reads or writes what the service does not, to
// the service's transactions: the store behind them is the whole Tx.
func whole(fn func(tx gatehouse.Tx) error) func(tx iam.Tx) error {
	return func(tx iam.Tx) error { return fn(tx.(gatehouse.Tx)) }
}
