package sts_test

import (
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/sts"
)

// wantErr checks err against an expected code and message ("" code:
// no error).
func wantErr(t *testing.T, err error, code gatehouse.Code, msg string) {
	t.Helper()
	switch {
	case code == "" && err != nil:
		t.Errorf("unexpected error %v", err)
	case code == "":
	case err == nil:
		t.Errorf("no error, want %s %q", code, msg)
	case gatehouse.ErrorCode(err) != code || gatehouse.ErrorMessage(err) != msg:
		t.Errorf("error %s %q, want %s %q", gatehouse.ErrorCode(err), gatehouse.ErrorMessage(err), code, msg)
	}
}

func intp(n int) *int { return &n }

func TestCheckAssumeRoleParams(t *testing.T) {
	const v = "1 validation error detected: Value "
	for _, c := range []struct {
		name     string
		session  string
		duration *int
		policy   string
		arns     int
		code     gatehouse.Code
		msg      string
	}{
		{name: "ok", session: "s1"},
		{name: "full", session: "a+=,.@-_z", duration: intp(43200), policy: strings.Repeat("x", 2048), arns: 10},
		{name: "short name", session: "s", code: gatehouse.CodeInvalid,
			msg: v + "'s' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2"},
		{name: "long name", session: strings.Repeat("s", 65), code: gatehouse.CodeInvalid,
			msg: v + "'" + strings.Repeat("s", 65) + "' at 'roleSessionName' failed to satisfy constraint: Member must have length less than or equal to 64"},
		{name: "name pattern", session: "a b", code: gatehouse.CodeInvalid,
			msg: v + `'a b' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*`},
		{name: "short duration", session: "s1", duration: intp(899), code: gatehouse.CodeInvalid,
			msg: v + "'899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900"},
		{name: "long duration", session: "s1", duration: intp(43201), code: gatehouse.CodeInvalid,
			msg: v + "'43201' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200"},
		// The model's limit counts the whole text, white space included.
		{name: "policy size", session: "s1", policy: strings.Repeat(" ", 2049), code: gatehouse.CodeInvalid,
			msg: v + "'policy' at 'policy' failed to satisfy constraint: Member must have length less than or equal to 2048"},
		{name: "policy ARNs", session: "s1", arns: 11, code: gatehouse.CodeInvalid,
			msg: v + "'policyArns' at 'policyArns' failed to satisfy constraint: Member must have length less than or equal to 10"},
	} {
		t.Run(c.name, func(t *testing.T) {
			wantErr(t, sts.CheckAssumeRoleParams(c.session, c.duration, c.policy, c.arns), c.code, c.msg)
		})
	}
}

func TestCheckSessionPolicy(t *testing.T) {
	for _, c := range []struct {
		name, doc string
		code      gatehouse.Code
		msg       string
	}{
		{name: "none"},
		{name: "ok", doc: `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}`},
		{name: "syntax", doc: `{"Version":"2012-10-17"`, code: gatehouse.CodeMalformedPolicy, msg: "Syntax errors in policy."},
		{name: "no action", doc: `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Resource":"*"}}`,
			code: gatehouse.CodeMalformedPolicy, msg: "Policy statement must contain actions."},
	} {
		t.Run(c.name, func(t *testing.T) {
			wantErr(t, sts.CheckSessionPolicy(c.doc), c.code, c.msg)
		})
	}
}

func TestPackedPolicySize(t *testing.T) {
	for _, c := range []struct {
		doc  string
		arns int
		want int
	}{
		{"", 0, 0},
		{"", 1, 4},                          // an ARN counts 100 characters of 2048
		{"", 10, 48},                        // the most ARNs
		{strings.Repeat("x", 2048), 0, 100}, // a full inline policy
		{"{ \n\t\"a\" : 1 }", 0, 0},         // white space is not counted
		{strings.Repeat("x", 1024) + strings.Repeat(" ", 500), 2, 59},
	} {
		if got := sts.PackedPolicySize(c.doc, c.arns); got != c.want {
			t.Errorf("PackedPolicySize(%d characters, %d ARNs) = %d, want %d", len(c.doc), c.arns, got, c.want)
		}
	}
}

func TestCallerRules(t *testing.T) {
	wantErr(t, sts.CheckAssumeRoleCaller(false), "", "")
	wantErr(t, sts.CheckAssumeRoleCaller(true), gatehouse.CodeDenied, "Roles may not be assumed by root accounts.")
	wantErr(t, sts.CheckGetSessionTokenCaller(false), "", "")
	wantErr(t, sts.CheckGetSessionTokenCaller(true), gatehouse.CodeDenied, "Cannot call GetSessionToken with session credentials")
}

func TestCheckMFAParams(t *testing.T) {
	const mfa = "MultiFactorAuthentication failed, unable to validate MFA code."
	pattern := func(code string) string {
		return "1 validation error detected: Value '" + code + "' at 'tokenCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\d]* and have length 6"
	}
	for _, c := range []struct {
		serial, token string
		code          gatehouse.Code
		msg           string
	}{
		{serial: "arn:aws:iam::123456789012:mfa/alice", token: "123456"},
		{serial: "arn:aws:iam::123456789012:mfa/alice", token: "000000"},
		{serial: "arn:aws:iam::123456789012:mfa/alice", code: gatehouse.CodeDenied, msg: mfa},
		{token: "123456", code: gatehouse.CodeDenied, msg: mfa},
		{serial: "x", token: "12345", code: gatehouse.CodeInvalid, msg: pattern("12345")},
		{serial: "x", token: "1234567", code: gatehouse.CodeInvalid, msg: pattern("1234567")},
		{serial: "x", token: "12a456", code: gatehouse.CodeInvalid, msg: pattern("12a456")},
		{serial: "x", token: "１２", code: gatehouse.CodeInvalid, msg: pattern("１２")}, // six bytes, not ASCII digits
	} {
		wantErr(t, sts.CheckMFAParams(c.serial, c.token), c.code, c.msg)
	}
	if err := sts.CheckMFAParams("", ""); err != sts.ErrMFA {
		t.Errorf("CheckMFAParams with neither: %v, want ErrMFA", err)
	}
}
