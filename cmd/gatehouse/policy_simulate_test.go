package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPolicySimulateValidates: policy simulate refuses a case whose
// policies AWS would refuse when written (naming the policy and the
// finding), evaluates it anyway with --raw, and warns on an action that
// does not exist.
func TestPolicySimulateValidates(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	const request = `"request": {"principal": {"type": "user", "arn": "arn:aws:iam::111122223333:user/alice", "account": "111122223333"},
		"action": "%s", "resource": "*"}`
	badIdentity := write("bad.json", `{`+strings.Replace(request, "%s", "s3:GetObject", 1)+`,
		"policies": {"identity": [{"id": "p1", "document": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
		"NotPrincipal": {"AWS": "*"}, "Action": "s3:GetObject", "Resource": "*"}]}}]}}`)
	unknown := write("unknown.json", `{`+strings.Replace(request, "%s", "s3:GetObjectz", 1)+`,
		"policies": {"identity": [{"id": "p1", "document": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
		"Action": "s3:GetObjectz", "Resource": "*"}]}}]}}`)

	code, out, errOut := runCLI(t, "", "policy", "simulate", "--input", badIdentity)
	if code != exitFindings || out != "" || !strings.Contains(errOut, `identity policy "p1": error MalformedPolicyDocument`) ||
		!strings.Contains(errOut, "--raw") {
		t.Errorf("invalid identity policy: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	code, out, errOut = runCLI(t, "", "policy", "simulate", "--raw", "--input", badIdentity)
	if code != exitOK || !strings.Contains(out, `"decision"`) {
		t.Errorf("--raw: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	code, out, errOut = runCLI(t, "", "policy", "simulate", "--input", unknown)
	if code != exitOK || !strings.Contains(out, `"decision": "allowed"`) || !strings.Contains(errOut, "warning") ||
		!strings.Contains(errOut, "s3:GetObjectz is not an AWS action") {
		t.Errorf("unknown action: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}
