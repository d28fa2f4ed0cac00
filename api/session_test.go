package api_test

import (
	"encoding/xml"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestRoleSessionLifecycle assumes a role, acts within and outside its
// policy (the denial names the session ARN), and finds the credentials
// expired once the session's duration has passed on the server's clock.
func TestRoleSessionLifecycle(t *testing.T) {
	h := newHarness(t, nil)
	ok := func(k key, service string, f map[string]string) []byte {
		t.Helper()
		form := iamForm(f["Action"])
		if service == "sts" {
			form = stsForm(f["Action"])
		}
		for k, v := range f {
			form.Set(k, v)
		}
		r := h.send(t, service, k, form)
		if r.status != 200 {
			t.Fatalf("%s: %d %s", f["Action"], r.status, r.body)
		}
		return r.body
	}
	ok(rootKey, "iam", map[string]string{"Action": "CreateUser", "UserName": "dev"})
	body := ok(rootKey, "iam", map[string]string{"Action": "CreateAccessKey", "UserName": "dev"})
	var ak struct {
		ID     string `xml:"CreateAccessKeyResult>AccessKey>AccessKeyId"`
		Secret string `xml:"CreateAccessKeyResult>AccessKey>SecretAccessKey"`
	}
	if err := xml.Unmarshal(body, &ak); err != nil {
		t.Fatal(err)
	}
	dev := key{id: ak.ID, secret: ak.Secret}
	ok(rootKey, "iam", map[string]string{"Action": "CreateRole", "RoleName": "reader",
		"AssumeRolePolicyDocument": `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + accountID + `:user/dev"},"Action":"sts:AssumeRole"}}`})
	ok(rootKey, "iam", map[string]string{"Action": "AttachRolePolicy", "RoleName": "reader", "PolicyArn": "arn:aws:iam::aws:policy/IAMReadOnlyAccess"})

	body = ok(dev, "sts", map[string]string{"Action": "AssumeRole", "RoleArn": "arn:aws:iam::" + accountID + ":role/reader",
		"RoleSessionName": "s1", "DurationSeconds": "900"})
	var cr struct {
		ID     string `xml:"AssumeRoleResult>Credentials>AccessKeyId"`
		Secret string `xml:"AssumeRoleResult>Credentials>SecretAccessKey"`
		Token  string `xml:"AssumeRoleResult>Credentials>SessionToken"`
		Exp    string `xml:"AssumeRoleResult>Credentials>Expiration"`
	}
	if err := xml.Unmarshal(body, &cr); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(cr.ID, "ASIA") || cr.Token == "" {
		t.Fatalf("credentials %q token %q", cr.ID, cr.Token)
	}
	sess := key{id: cr.ID, secret: cr.Secret, token: cr.Token}

	who := ok(sess, "sts", map[string]string{"Action": "GetCallerIdentity"})
	sessionARN := "arn:aws:sts::" + accountID + ":assumed-role/reader/s1"
	if !strings.Contains(string(who), "<Arn>"+sessionARN+"</Arn>") {
		t.Fatalf("GetCallerIdentity: %s", who)
	}
	ok(sess, "iam", map[string]string{"Action": "ListUsers"})
	denied := h.send(t, "iam", sess, iamForm("CreateUser", "UserName", "x"))
	wantMsg := "User: " + sessionARN + " is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::" + accountID +
		":user/x because no identity-based policy allows the iam:CreateUser action"
	if denied.status != 403 || !strings.Contains(string(denied.body), wantMsg) {
		t.Fatalf("CreateUser by the session: %d %s", denied.status, denied.body)
	}
	// Without its token, or with another, the key is not valid.
	if r := h.send(t, "iam", key{id: sess.id, secret: sess.secret}, iamForm("ListUsers")); r.status != 403 || !strings.Contains(string(r.body), "InvalidClientTokenId") {
		t.Fatalf("without token: %d %s", r.status, r.body)
	}

	// Fifteen minutes later the session has expired.
	h.mu.Lock()
	h.now = h.now.Add(15 * time.Minute)
	h.mu.Unlock()
	r := h.send(t, "iam", sess, iamForm("ListUsers"))
	if r.status != 403 || !strings.Contains(string(r.body), "<Code>ExpiredToken</Code>") {
		t.Fatalf("after expiry: %d %s", r.status, r.body)
	}
	// Role chaining is capped at one hour.
	h.mu.Lock()
	h.now = h.now.Add(-15 * time.Minute)
	h.mu.Unlock()
	ok(rootKey, "iam", map[string]string{"Action": "UpdateAssumeRolePolicy", "RoleName": "reader",
		"PolicyDocument": `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"` + accountID + `"},"Action":"sts:AssumeRole"}}`})
	ok(rootKey, "iam", map[string]string{"Action": "PutRolePolicy", "RoleName": "reader", "PolicyName": "chain",
		"PolicyDocument": `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}}`})
	chained := h.send(t, "sts", sess, stsForm("AssumeRole", "RoleArn", "arn:aws:iam::"+accountID+":role/reader", "RoleSessionName", "s2", "DurationSeconds", "7200"))
	if chained.status != 400 || !strings.Contains(string(chained.body), "1 hour session limit for roles assumed by role chaining") {
		t.Fatalf("chained: %d %s", chained.status, chained.body)
	}
}

// TestSessionOfRecreatedRole checks that a role deleted and created again
// under the same name does not inherit the old role's sessions.
func TestSessionOfRecreatedRole(t *testing.T) {
	h := newHarness(t, nil)
	send := func(k key, service string, f url.Values) response {
		t.Helper()
		return h.send(t, service, k, f)
	}
	mustOK := func(r response) []byte {
		t.Helper()
		if r.status != 200 {
			t.Fatalf("%d %s", r.status, r.body)
		}
		return r.body
	}
	trust := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + accountID + `:user/dev"},"Action":"sts:AssumeRole"}}`
	mustOK(send(rootKey, "iam", iamForm("CreateUser", "UserName", "dev")))
	var ak struct {
		ID     string `xml:"CreateAccessKeyResult>AccessKey>AccessKeyId"`
		Secret string `xml:"CreateAccessKeyResult>AccessKey>SecretAccessKey"`
	}
	xml.Unmarshal(mustOK(send(rootKey, "iam", iamForm("CreateAccessKey", "UserName", "dev"))), &ak)
	dev := key{id: ak.ID, secret: ak.Secret}
	mustOK(send(rootKey, "iam", iamForm("CreateRole", "RoleName", "ops", "AssumeRolePolicyDocument", trust)))
	mustOK(send(rootKey, "iam", iamForm("AttachRolePolicy", "RoleName", "ops", "PolicyArn", "arn:aws:iam::aws:policy/IAMReadOnlyAccess")))
	var cr struct {
		ID     string `xml:"AssumeRoleResult>Credentials>AccessKeyId"`
		Secret string `xml:"AssumeRoleResult>Credentials>SecretAccessKey"`
		Token  string `xml:"AssumeRoleResult>Credentials>SessionToken"`
	}
	xml.Unmarshal(mustOK(send(dev, "sts", stsForm("AssumeRole", "RoleArn", "arn:aws:iam::"+accountID+":role/ops", "RoleSessionName", "old"))), &cr)
	sess := key{id: cr.ID, secret: cr.Secret, token: cr.Token}
	mustOK(send(sess, "iam", iamForm("ListUsers")))

	mustOK(send(rootKey, "iam", iamForm("DetachRolePolicy", "RoleName", "ops", "PolicyArn", "arn:aws:iam::aws:policy/IAMReadOnlyAccess")))
	mustOK(send(rootKey, "iam", iamForm("DeleteRole", "RoleName", "ops")))
	mustOK(send(rootKey, "iam", iamForm("CreateRole", "RoleName", "ops", "AssumeRolePolicyDocument", trust)))
	mustOK(send(rootKey, "iam", iamForm("AttachRolePolicy", "RoleName", "ops", "PolicyArn", "arn:aws:iam::aws:policy/IAMReadOnlyAccess")))
	r := send(sess, "iam", iamForm("ListUsers"))
	if r.status != 403 || !strings.Contains(string(r.body), "<Code>InvalidClientTokenId</Code>") {
		t.Fatalf("old session on the new role: %d %s", r.status, r.body)
	}
}
