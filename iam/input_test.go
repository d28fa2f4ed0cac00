package iam_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/iam"
)

// TestCheckDocumentLength checks the model's cap of a whole policy
// document: characters, white space included, not bytes.
func TestCheckDocumentLength(t *testing.T) {
	const max = iam.MaxPolicyDocumentLength
	cases := []struct {
		name string
		doc  string
		ok   bool
	}{
		{"empty", "", true},
		{"spaces at the cap", strings.Repeat(" ", max), true},
		{"spaces past the cap", strings.Repeat(" ", max+1), false},
		{"Latin-1 at the cap (twice as many bytes)", strings.Repeat("é", max), true},
		{"Latin-1 past the cap", strings.Repeat("é", max+1), false},
		{"megabytes of padding", "{}" + strings.Repeat("\n", 4<<20), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := iam.CheckDocumentLength(c.doc, "policyDocument")
			listErr := iam.CheckDocumentList([]string{"{}", c.doc}, "policyInputList")
			if c.ok {
				if err != nil || listErr != nil {
					t.Fatalf("refused: %v / %v", err, listErr)
				}
				return
			}
			wantValidation(t, err, "1 validation error detected: Value at 'policyDocument' failed to satisfy constraint: "+
				"Member must have length less than or equal to 131072")
			wantValidation(t, listErr, "1 validation error detected: Value at 'policyInputList' failed to satisfy constraint: "+
				"Member must satisfy constraint: [Member must have length less than or equal to 131072]")
		})
	}
}

// wantValidation checks that err is a ValidationError with message msg.
func wantValidation(t *testing.T, err error, msg string) {
	t.Helper()
	var e *gatehouse.Error
	if !errors.As(err, &e) || e.Code != gatehouse.CodeInvalid || e.Message != msg {
		t.Errorf("got %v\nwant ValidationError: %s", err, msg)
	}
}

// controlCharacters are the characters each field below is tried with.
var controlCharacters = []struct{ name, c string }{
	{"NUL", "\x00"}, {"SOH", "\x01"}, {"ESC", "\x1b"}, {"DEL", "\x7f"}, {"LINE SEPARATOR", "\u2028"},
}

// TestControlCharacters checks every IAM member that is stored from a
// request against its pattern in the IAM model: the control characters
// are refused with a ValidationError naming the member and the pattern,
// except where the model's pattern takes them (U+2028 is a \p{Z}
// separator, which tag keys and values allow). Nothing is stored.
func TestControlCharacters(t *testing.T) {
	ctx := t.Context()
	env := newMFAEnv(t)
	svc := env.svc
	const trust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}`
	const doc = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser","Resource":"*"}]}`
	if _, err := svc.CreateRole(ctx, acct, iam.CreateRoleInput{RoleName: "r", AssumeRolePolicyDocument: trust}); err != nil {
		t.Fatal(err)
	}
	p, err := svc.CreatePolicy(ctx, acct, iam.CreatePolicyInput{PolicyName: "p", PolicyDocument: doc})
	if err != nil {
		t.Fatal(err)
	}
	const (
		name = `[\w+=,.@-]+`
		path = `(\u002F)|(\u002F[\u0021-\u007E]+\u002F)`
		desc = `[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*`
		key  = `[\p{L}\p{Z}\p{N}_.:/=+\-@]+`
		val  = `[\p{L}\p{Z}\p{N}_.:/=+\-@]*`
	)
	tag := func(k, v string) []gatehouse.Tag {
		return []gatehouse.Tag{{Key: "ok", Value: "ok"}, {Key: k, Value: v}}
	}
	cases := []struct {
		field, pattern string
		// call sends the value x (a valid value with a control character).
		call func(x string) error
		// takesSeparator is set where the pattern allows U+2028.
		takesSeparator bool
	}{
		{"userName", name, func(x string) error {
			_, err := svc.CreateUser(ctx, acct, iam.CreateUserInput{UserName: "u" + x})
			return err
		}, false},
		{"newUserName", name, func(x string) error { n := "u" + x; return svc.UpdateUser(ctx, acct, "alice", &n, nil) }, false},
		{"groupName", name, func(x string) error { _, err := svc.CreateGroup(ctx, acct, "g"+x, ""); return err }, false},
		{"roleName", name, func(x string) error {
			_, err := svc.CreateRole(ctx, acct, iam.CreateRoleInput{RoleName: "r" + x, AssumeRolePolicyDocument: trust})
			return err
		}, false},
		{"policyName", name, func(x string) error {
			_, err := svc.CreatePolicy(ctx, acct, iam.CreatePolicyInput{PolicyName: "p" + x, PolicyDocument: doc})
			return err
		}, false},
		{"policyName", name, func(x string) error {
			return svc.PutInlinePolicy(ctx, acct, gatehouse.EntityRef{Kind: gatehouse.KindUser, Name: "alice"}, "in"+x, doc)
		}, false},
		{"virtualMFADeviceName", name, func(x string) error {
			_, _, err := svc.CreateVirtualMFADevice(ctx, acct, iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: "d" + x})
			return err
		}, false},
		{"path", path, func(x string) error {
			_, err := svc.CreateUser(ctx, acct, iam.CreateUserInput{UserName: "pathy", Path: "/a" + x + "/"})
			return err
		}, false},
		{"description", desc, func(x string) error {
			_, err := svc.CreateRole(ctx, acct, iam.CreateRoleInput{RoleName: "described", AssumeRolePolicyDocument: trust,
				Description: "the " + x + " role"})
			return err
		}, false},
		{"description", desc, func(x string) error { d := "the " + x + " role"; return svc.UpdateRole(ctx, acct, "r", &d, nil) }, false},
		{"tags.2.member.key", key, func(x string) error {
			_, err := svc.CreateUser(ctx, acct, iam.CreateUserInput{UserName: "tagged", Tags: tag("k"+x, "v")})
			return err
		}, true},
		{"tags.2.member.value", val, func(x string) error {
			return svc.TagUser(ctx, acct, "alice", tag("k", "v"+x))
		}, true},
		{"tags.2.member.key", key, func(x string) error { return svc.TagRole(ctx, acct, "r", tag("k"+x, "v")) }, true},
		{"tags.2.member.value", val, func(x string) error { return svc.TagPolicy(ctx, acct, p.ARN(), tag("k", "v"+x)) }, true},
		{"tags.2.member.value", val, func(x string) error {
			_, err := svc.CreatePolicy(ctx, acct, iam.CreatePolicyInput{PolicyName: "tagged", PolicyDocument: doc, Tags: tag("k", x)})
			return err
		}, true},
		{"tags.2.member.value", val, func(x string) error {
			_, _, err := svc.CreateVirtualMFADevice(ctx, acct, iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: "tagged", Tags: tag("k", x)})
			return err
		}, true},
		{"tagKeys", "[Member must satisfy regular expression pattern: " + key + "]", func(x string) error {
			return svc.UntagUser(ctx, acct, "alice", []string{"k", "k" + x})
		}, true},
		{"tagKeys", "[Member must satisfy regular expression pattern: " + key + "]", func(x string) error {
			return svc.UntagRole(ctx, acct, "r", []string{"k" + x})
		}, true},
		{"tagKeys", "[Member must satisfy regular expression pattern: " + key + "]", func(x string) error {
			return svc.UntagPolicy(ctx, acct, p.ARN(), []string{"k" + x})
		}, true},
	}
	for _, c := range cases {
		for _, cc := range controlCharacters {
			t.Run(c.field+"/"+cc.name, func(t *testing.T) {
				err := c.call(cc.c)
				if cc.c == "\u2028" && c.takesSeparator {
					if err != nil {
						t.Fatalf("the model's pattern takes U+2028: %v", err)
					}
					return
				}
				var e *gatehouse.Error
				if !errors.As(err, &e) || e.Code != gatehouse.CodeInvalid ||
					!strings.Contains(e.Message, "at '"+c.field+"' failed to satisfy constraint: Member must satisfy ") ||
					!strings.Contains(e.Message, c.pattern) {
					t.Fatalf("got %v\nwant a ValidationError at '%s' naming %s", err, c.field, c.pattern)
				}
			})
		}
	}

	// Nothing refused was stored.
	users, err := svc.Users(ctx, acct, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		if strings.ContainsAny(u.Name, "\x00\x01\x1b\x7f") || strings.ContainsAny(u.Path, "\x00\x01\x1b\x7f\u2028") {
			t.Errorf("stored user %q at %q", u.Name, u.Path)
		}
		for _, tg := range u.Tags {
			if strings.ContainsAny(tg.Key+tg.Value, "\x00\x01\x1b\x7f") {
				t.Errorf("stored tag %q=%q", tg.Key, tg.Value)
			}
		}
	}
	r, err := svc.Role(ctx, acct, "r")
	if err != nil {
		t.Fatal(err)
	}
	if r.Description != "" {
		t.Errorf("stored description %q", r.Description)
	}
}

// TestPatternsTakeWhatTheModelTakes checks values at the edges of the
// patterns that must still be accepted.
func TestPatternsTakeWhatTheModelTakes(t *testing.T) {
	ctx := t.Context()
	env := newMFAEnv(t)
	svc := env.svc
	const trust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}`
	cases := []struct {
		name string
		call func() error
	}{
		{"description with tab, line feed, carriage return and Latin-1", func() error {
			_, err := svc.CreateRole(ctx, acct, iam.CreateRoleInput{RoleName: "r1", AssumeRolePolicyDocument: trust,
				Description: "Équipe\tde\r\nnuit ~ ÿ ¡"})
			return err
		}},
		{"description of 1000 Latin-1 characters (2000 bytes)", func() error {
			_, err := svc.CreateRole(ctx, acct, iam.CreateRoleInput{RoleName: "r2", AssumeRolePolicyDocument: trust,
				Description: strings.Repeat("é", 1000)})
			return err
		}},
		{"tags in other scripts, with spaces and the allowed punctuation", func() error {
			return svc.TagUser(ctx, acct, "alice", []gatehouse.Tag{{Key: "équipe 東京 _.:/=+-@", Value: "nuit\u00a0١٢٣"}, {Key: "empty", Value: ""}})
		}},
		{"path with every printable ASCII character", func() error {
			_, err := svc.CreateUser(ctx, acct, iam.CreateUserInput{UserName: "pathy", Path: "/!~ok/"})
			return err
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := c.call(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestCreateAccountEmail checks the root email address of account
// creation against gatehouse.EmailPattern: no control character, line
// separator or display name gets into the account (and from there into
// outbox messages and SMTP envelopes).
func TestCreateAccountEmail(t *testing.T) {
	env := newMFAEnv(t)
	cases := []struct {
		email string
		ok    bool
	}{
		{"ops+root@example.com", true},
		{"root\x00@example.com", false},
		{"root@example.com\x01", false},
		{"root@example.com\x1b[0m", false},
		{"ro\x7fot@example.com", false},
		{"root@exam\u2028ple.com", false},
		{"root@example.com\r\nBcc: x@example.com", false},
		{"Root <root@example.com>", false},
		{"", false},
	}
	for i, c := range cases {
		t.Run(c.email, func(t *testing.T) {
			id := "30000000000" + string(rune('0'+i))
			_, _, err := env.svc.CreateAccount(t.Context(), iam.AccountSpec{ID: id, Email: c.email})
			if c.ok {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var e *gatehouse.Error
			if !errors.As(err, &e) || e.Code != gatehouse.CodeInvalid || !strings.Contains(e.Message, gatehouse.EmailPattern) {
				t.Fatalf("got %v, want a ValidationError naming %s", err, gatehouse.EmailPattern)
			}
			if strings.ContainsAny(e.Message, "\x00\x01\x1b\x7f\r\n\u2028") {
				t.Errorf("the message carries the control character: %q", e.Message)
			}
		})
	}
}
