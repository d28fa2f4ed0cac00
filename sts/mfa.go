package sts

import "github.com/gatehouse-dev/gatehouse"

// ErrMFA refuses a SerialNumber without a TokenCode (or the other way
// round), or a code from a caller that has no MFA device (a role).
var ErrMFA = gatehouse.Errorf(gatehouse.CodeDenied, "MultiFactorAuthentication failed, unable to validate MFA code.")

// CheckMFAParams applies STS's rules to the SerialNumber and TokenCode
// of an AssumeRole or GetSessionToken request that sent either: both
// are needed (else ErrMFA), and the code must be a TokenCode
// (CheckTokenCode). Whether the code is right is for the device's owner
// to verify.
func CheckMFAParams(serial, code string) error {
	if serial == "" || code == "" {
		return ErrMFA
	}
	return CheckTokenCode(code)
}

// CheckTokenCode validates an STS TokenCode: six digits.
func CheckTokenCode(code string) error {
	valid := len(code) == 6
	for i := 0; valid && i < len(code); i++ {
		valid = code[i] >= '0' && code[i] <= '9'
	}
	if !valid {
		return gatehouse.Errorf(gatehouse.CodeInvalid,
			"1 validation error detected: Value '%s' at 'tokenCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\d]* and have length 6", code)
	}
	return nil
}
