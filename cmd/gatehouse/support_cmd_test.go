package main

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

// TestGovCloudFulfil runs the GovCloud story through the CLI: root signs
// up and requests root keys, the operator fulfils the case once, and the
// case is resolved. Then the seller commands keep the secrets masked.
func TestGovCloudFulfil(t *testing.T) {
	dir, _ := cliServer(t)
	cliSignIn(t, "old root password")
	code, out, errOut := runCLI(t, "", "govcloud", "sign-up")
	if code != 0 {
		t.Fatalf("sign-up: %d %s", code, errOut)
	}
	var g struct{ GovCloudAccountId, RootUserArn string }
	json.Unmarshal([]byte(out), &g)
	if g.RootUserArn != "arn:aws-us-gov:iam::"+g.GovCloudAccountId+":root" {
		t.Fatalf("sign-up output %s", out)
	}
	code, out, errOut = runCLI(t, "", "govcloud", "request-root-keys")
	if code != 0 {
		t.Fatalf("request-root-keys: %d %s", code, errOut)
	}
	var c struct{ CaseId, Status string }
	json.Unmarshal([]byte(out), &c)
	if c.Status != "OPEN" {
		t.Fatalf("case %s", out)
	}
	if code, _, errOut := runCLI(t, "", "support", "fulfill"); code != exitUsage {
		t.Errorf("fulfill without --case: %d %s", code, errOut)
	}
	code, out, errOut = runCLI(t, "", "support", "fulfill", "--case", c.CaseId, "--data", dir)
	if code != 0 {
		t.Fatalf("fulfill: %d %s", code, errOut)
	}
	m := regexp.MustCompile(`AccessKeyId:\s+(AKIA[A-Z2-7]{16})\nSecretAccessKey:\s+(\S{40})\n`).FindStringSubmatch(out)
	if m == nil || !strings.Contains(out, "arn:aws-us-gov:iam::"+g.GovCloudAccountId+":root") {
		t.Fatalf("fulfill output:\n%s", out)
	}
	secret := m[2]
	code, _, errOut = runCLI(t, "", "support", "fulfill", "--case", c.CaseId, "--data", dir)
	if code != 1 || !strings.Contains(errOut, "RESOLVED") || strings.Contains(errOut, secret) {
		t.Errorf("second fulfill: %d %s", code, errOut)
	}
	code, out, _ = runCLI(t, "", "govcloud", "case", "--id", c.CaseId)
	if code != 0 || !strings.Contains(out, `"Status": "RESOLVED"`) || strings.Contains(out, secret) {
		t.Errorf("case after fulfil: %d %s", code, out)
	}
	code, out, _ = runCLI(t, "", "outbox", "list", "--data", dir)
	if code != 0 || !strings.Contains(out, "AWS Support case "+c.CaseId+" resolved") || strings.Contains(out, secret) {
		t.Errorf("outbox: %s", out)
	}

	code, out, errOut = runCLI(t, "111122223333\n021000021\n12-3456789\n", "seller", "register", "--legal-name", "Example Co")
	if code != 0 || strings.Contains(out, "111122223333") || !strings.Contains(out, `"********3333"`) {
		t.Errorf("seller register: %d %s %s", code, out, errOut)
	}
	code, out, _ = runCLI(t, "", "seller", "profile")
	if code != 0 || !strings.Contains(out, `"REGISTERED"`) || strings.Contains(out, "3456789\"") {
		t.Errorf("seller profile: %d %s", code, out)
	}
}
