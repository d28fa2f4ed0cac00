package api_test

import (
	"maps"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse/totp"
)

// mfaGoldens runs the MFA operations for TestGolden, as root, on user
// alice (path /eng/). TestGolden calls it last, so that the randomness
// and the clock ticks it uses change no other golden.
func mfaGoldens(t *testing.T, g *goldens) {
	t.Helper()
	maps.Copy(expectations, mfaExpectations)
	r := g.root(t, "", iamForm("CreateVirtualMFADevice", "VirtualMFADeviceName", "alice-phone", "Path", "/eng/",
		"Tags.member.1.Key", "owner", "Tags.member.1.Value", "alice"))
	serial, seed := mfaDevice(t, r.body)
	// codes returns the codes of the two steps before and at the time of
	// the next request (each request moves the clock a minute on).
	codes := func() (string, string) {
		at := g.h.clock().Add(time.Minute)
		return totp.Code(seed, at.Add(-totp.Period)), totp.Code(seed, at)
	}
	code1, code2 := codes()
	g.iam(t, "error_InvalidAuthenticationCode", 403, rootKey, iamForm("EnableMFADevice", "UserName", "alice",
		"SerialNumber", serial, "AuthenticationCode1", code2, "AuthenticationCode2", code1))
	code1, code2 = codes()
	g.root(t, "", iamForm("EnableMFADevice", "UserName", "alice", "SerialNumber", serial,
		"AuthenticationCode1", code1, "AuthenticationCode2", code2))
	g.root(t, "", iamForm("ListMFADevices", "UserName", "alice"))
	g.setup(t, iamForm("CreateVirtualMFADevice", "VirtualMFADeviceName", "spare"))
	g.root(t, "", iamForm("ListVirtualMFADevices"))
	code1, code2 = codes()
	g.root(t, "", iamForm("ResyncMFADevice", "UserName", "alice", "SerialNumber", serial,
		"AuthenticationCode1", code1, "AuthenticationCode2", code2))
	g.root(t, "", iamForm("DeactivateMFADevice", "UserName", "alice", "SerialNumber", serial))
	g.root(t, "", iamForm("DeleteVirtualMFADevice", "SerialNumber", serial))
}

// mfaExpectations are the expectations of the MFA goldens. botoparse.py
// prints blobs as Latin-1 text, so the PNG signature's first byte reads
// as U+0089.
var mfaExpectations = map[string][]expectation{
	"CreateVirtualMFADevice": {eq("VirtualMFADevice.SerialNumber", "arn:aws:iam::123456789012:mfa/eng/alice-phone"),
		matches("VirtualMFADevice.Base32StringSeed", "[A-Z2-7]{32}"), matches("VirtualMFADevice.QRCodePNG", "(?s)\u0089PNG\r\n.*"),
		eq("VirtualMFADevice.Tags.0.Key", "owner"), absent("VirtualMFADevice.User"), absent("VirtualMFADevice.EnableDate")},
	"ListMFADevices": append(listPage("MFADevices", 1, false), eq("MFADevices.0.UserName", "alice"),
		eq("MFADevices.0.SerialNumber", "arn:aws:iam::123456789012:mfa/eng/alice-phone"), timestamp("MFADevices.0.EnableDate")),
	"ListVirtualMFADevices": append(listPage("VirtualMFADevices", 2, false),
		eq("VirtualMFADevices.0.SerialNumber", "arn:aws:iam::123456789012:mfa/eng/alice-phone"),
		eq("VirtualMFADevices.0.User.Arn", "arn:aws:iam::123456789012:user/eng/alice"), timestamp("VirtualMFADevices.0.EnableDate"),
		absent("VirtualMFADevices.0.Base32StringSeed"), absent("VirtualMFADevices.0.QRCodePNG"),
		eq("VirtualMFADevices.1.SerialNumber", "arn:aws:iam::123456789012:mfa/spare"),
		absent("VirtualMFADevices.1.User"), absent("VirtualMFADevices.1.EnableDate")),
}
