package api_test

import (
	"testing"
	"time"
)

// TestRoleLastUsed: AssumeRole records the role's last use, at most once
// a minute (sts.RoleLastUsedInterval), so a busy role does not rewrite
// itself on every session.
func TestRoleLastUsed(t *testing.T) {
	h := newHarness(t, nil)
	admin, _ := principals(t, h) // admin assumes ops once
	lastUsed := func() string {
		t.Helper()
		r := h.send(t, "iam", rootKey, iamForm("GetRole", "RoleName", "ops"))
		if r.status != 200 {
			t.Fatalf("GetRole: HTTP %d %s", r.status, r.body)
		}
		return field(t, r.body, "LastUsedDate")
	}
	assume := func(name string) {
		t.Helper()
		r := h.send(t, "sts", admin, stsForm("AssumeRole", "RoleArn", "arn:aws:iam::"+accountID+":role/ops", "RoleSessionName", name))
		if r.status != 200 {
			t.Fatalf("AssumeRole: HTTP %d %s", r.status, r.body)
		}
	}
	setBack := func(d time.Duration) { // the next request's time is now-d+1min
		h.mu.Lock()
		h.now = h.now.Add(-d)
		h.mu.Unlock()
	}
	first := lastUsed()
	if first == "" {
		t.Fatal("no LastUsedDate after AssumeRole")
	}
	// 30 seconds after the first session (GetRole took a minute of the
	// harness clock): not recorded again.
	setBack(2*time.Minute - 30*time.Second)
	assume("within-a-minute")
	setBack(time.Minute)
	if got := lastUsed(); got != first {
		t.Errorf("LastUsedDate %s after a session within a minute, want %s kept", got, first)
	}
	// Later sessions are recorded.
	h.mu.Lock()
	h.now = h.now.Add(5 * time.Minute)
	h.mu.Unlock()
	assume("later")
	if got := lastUsed(); got == first {
		t.Errorf("LastUsedDate still %s after a session minutes later", got)
	}
}
