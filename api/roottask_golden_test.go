package api_test

import (
	"encoding/json"
	"testing"
)

// The gatehouse service (root-only account tasks, REST-JSON) part of
// TestGolden: goldens are the JSON bodies in testdata/golden/<name>.json.
// botocore has no model of this Gatehouse-own service, so they are
// compared but not parsed by botocore. TestGolden calls rootTaskGoldens
// before accountMgmtGoldens, which checks that every JSON golden is used,
// and leaves the account as it found it (active, root@example.com).
func rootTaskGoldens(t *testing.T, g *goldens) {
	t.Helper()
	a := &accountGoldens{g: g} // its botocore jobs are dropped
	h := g.h
	root := func(op, variant, body string) {
		t.Helper()
		name := op
		if variant != "" {
			name += "_" + variant
		}
		k := rootKey
		if op != "GetAccountStatus" && op != "GetIAMBillingAccess" {
			k = h.console(t) // a console-only task
		}
		a.check(t, name, op, 200, h.sendGH(t, op, k, body))
	}
	fail := func(name, op string, status int, k key, body string) {
		t.Helper()
		a.check(t, "error_gatehouse_"+name, op, status, h.sendGH(t, op, k, body))
	}
	root("GetAccountStatus", "", `{}`)
	root("GetIAMBillingAccess", "", ``)
	root("UpdateIAMBillingAccess", "", `{"IamUserAccessToBilling":"ALLOW"}`)
	fail("ValidationException_billing_access", "UpdateIAMBillingAccess", 400, h.console(t), `{"IamUserAccessToBilling":"yes"}`)
	h.ghOK(t, "UpdateIAMBillingAccess", h.console(t), `{"IamUserAccessToBilling":"DENY"}`)
	root("ChangeRootPassword", "", `{"CurrentPassword":"`+signInPassword+`","NewPassword":"golden root password"}`)
	h.rootPassword = "golden root password"
	fail("AccessDeniedException_current_password", "ChangeRootPassword", 403, h.console(t),
		`{"CurrentPassword":"wrong","NewPassword":"another root password"}`)
	root("StartRootEmailUpdate", "", `{"NewEmail":"new-root@example.com"}`)
	code := lastCode(t, h, "new-root@example.com")
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	fail("ValidationException_code", "ConfirmRootEmailUpdate", 400, h.console(t), `{"NewEmail":"new-root@example.com","Code":"`+wrong+`"}`)
	root("ConfirmRootEmailUpdate", "", `{"NewEmail":"new-root@example.com","Code":"`+code+`"}`)
	h.ghOK(t, "StartRootEmailUpdate", h.console(t), `{"NewEmail":"root@example.com"}`)
	h.ghOK(t, "ConfirmRootEmailUpdate", h.console(t), `{"NewEmail":"root@example.com","Code":"`+lastCode(t, h, "root@example.com")+`"}`)

	g.setup(t, iamForm("CreateUser", "UserName", "dave"))
	g.setup(t, iamForm("AttachUserPolicy", "UserName", "dave", "PolicyArn", "arn:aws:iam::aws:policy/AdministratorAccess"))
	r := g.setup(t, iamForm("CreateAccessKey", "UserName", "dave"))
	dave := key{id: field(t, r.body, "AccessKeyId"), secret: field(t, r.body, "SecretAccessKey")}
	fail("AccessDeniedException_root_only", "CloseAccount", 403, dave, `{}`)

	root("CloseAccount", "", `{}`)
	fail("AccessDeniedException_closed", "GetIAMBillingAccess", 403, rootKey, `{}`)
	// Root's access key is refused too; root signs in to reopen.
	fail("AccessDeniedException_closed_root_key", "ReopenAccount", 403, rootKey, `{}`)
	a.check(t, "error_gatehouse_AccessDeniedException_sign_in", "SignIn", 403, h.signIn(t, signInBody("root@example.com", "wrong password", "", "")))
	r = a.check(t, "RootSignIn", "SignIn", 200, h.signIn(t, signInBody("root@example.com", "golden root password", "", "")))
	session := key{id: jsonField(t, r.body, "AccessKeyId"), secret: jsonField(t, r.body, "SecretAccessKey"), token: jsonField(t, r.body, "SessionToken")}
	a.check(t, "GetAccountStatus_closed", "GetAccountStatus", 200, h.sendGH(t, "GetAccountStatus", session, `{}`))
	a.check(t, "ReopenAccount", "ReopenAccount", 200, h.sendGH(t, "ReopenAccount", session, `{}`))
	fail("ConflictException", "ReopenAccount", 409, session, `{}`)
}

// jsonField returns member name of the JSON object body, or of its
// Credentials member.
func jsonField(t *testing.T, body []byte, name string) string {
	t.Helper()
	var m struct {
		Credentials map[string]string
	}
	if err := json.Unmarshal(body, &m); err != nil || m.Credentials[name] == "" {
		t.Fatalf("no %s in %s (%v)", name, body, err)
	}
	return m.Credentials[name]
}
