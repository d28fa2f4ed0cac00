package roottask

import (
	"context"
	"crypto/sha256"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/password"
)

var codeInBody = regexp.MustCompile(`Password reset code: (\S+)\n`)

// newestCode returns the code of the newest reset message.
func newestCode(t *testing.T, s *Service) string {
	t.Helper()
	var code string
	err := s.Store.View(context.Background(), whole(func(tx gatehouse.Tx) error {
		msgs, err := tx.OutboxMessages("")
		for _, m := range msgs {
			if c := codeInBody.FindStringSubmatch(m.Body.Reveal()); c != nil {
				code = c[1]
			}
		}
		return err
	}))
	if err != nil || code == "" {
		t.Fatalf("no reset code (%v)", err)
	}
	return code
}

// TestResetCode: codes are 12 symbols of the 32-symbol alphabet in three
// groups, and are read back ignoring case, dashes and spaces.
func TestResetCode(t *testing.T) {
	s := newService(t)
	seen := map[string]bool{}
	for range 50 {
		c, err := s.newResetCode()
		if err != nil {
			t.Fatal(err)
		}
		if !regexp.MustCompile(`^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$`).MatchString(c) || seen[c] {
			t.Fatalf("code %q", c)
		}
		seen[c] = true
		loose := strings.ToLower(strings.ReplaceAll(c, "-", " "))
		if resetCodeHash("1", "a@b.c", loose) != resetCodeHash("1", "A@B.C", c) {
			t.Errorf("%q and %q hash apart", loose, c)
		}
		if resetCodeHash("1", "a@b.c", c) == resetCodeHash("2", "a@b.c", c) || resetCodeHash("1", "a@b.c", c) == resetCodeHash("1", "x@b.c", c) {
			t.Error("the hash does not bind the account and the address")
		}
	}
	if normalizeResetCode(strings.Repeat("A", 65)) != "" {
		t.Error("an overlong code is not refused")
	}
}

// TestResetRootCredentials: the operator's reset replaces the password,
// voids a pending reset code, respects the key quota, deletes keys and
// removes only root's MFA devices when asked, and notifies root without
// the secrets.
func TestResetRootCredentials(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	const acct = "111111111111"
	if _, err := s.RequestRootPasswordReset(ctx, "root@example.com", "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	pending := newestCode(t, s)
	err := s.Store.Update(ctx, whole(func(tx gatehouse.Tx) error {
		for _, k := range []string{"AKIAROOTKEY000000001", "AKIAROOTKEY000000002"} {
			if err := tx.CreateAccessKey(&gatehouse.AccessKey{ID: k, AccountID: acct, Status: gatehouse.KeyActive, Secret: "s3cr3t/" + gatehouse.Secret(k)}); err != nil {
				return err
			}
		}
		if err := tx.CreateUser(&gatehouse.User{AccountID: acct, Name: "alice", ID: "AIDAALICE", Path: "/"}); err != nil {
			return err
		}
		for name, user := range map[string]string{"root-device": gatehouse.RootUserName, "alice-device": "alice"} {
			if err := tx.CreateMFADevice(&gatehouse.MFADevice{AccountID: acct, SerialNumber: gatehouse.MFADeviceARN("", acct, "/", name), Name: name, Path: "/",
				Seed: "JBSWY3DPEHPK3PXP", UserName: user, EnabledAt: time.Now()}); err != nil {
				return err
			}
		}
		token := sha256.Sum256([]byte("t"))
		return tx.CreateSession(&gatehouse.Session{AccessKeyID: "ASIASIGNIN0000000001", Secret: "x", TokenHash: token[:], AccountID: acct,
			Kind: gatehouse.SessionUser, SignIn: true, Expiration: time.Now().Add(time.Hour)})
	}))
	if err != nil {
		t.Fatal(err)
	}

	// Two keys: a third is refused, and nothing changes.
	_, err = s.ResetRootCredentials(ctx, CredentialsReset{AccountID: acct, Password: "operator password 1",
		AccessKey: &gatehouse.AccessKey{ID: "AKIAROOTKEY000000003", Secret: "new-secret"}})
	if gatehouse.ErrorCode(err) != gatehouse.CodeLimit {
		t.Fatalf("third key: %v", err)
	}
	if a, _ := s.Account(ctx, acct); a != nil {
		if ok, _ := password.Check(a.RootPasswordHash, "operator password 1"); ok {
			t.Fatal("a refused reset changed the password")
		}
	}
	if _, err := s.ResetRootCredentials(ctx, CredentialsReset{AccountID: acct, Password: "short"}); gatehouse.ErrorCode(err) != gatehouse.CodeInvalid {
		t.Errorf("short password: %v", err)
	}

	newKey := &gatehouse.AccessKey{ID: "AKIAROOTKEY000000003", Secret: "new-secret"}
	res, err := s.ResetRootCredentials(ctx, CredentialsReset{AccountID: acct, Password: "operator password 2",
		AccessKey: newKey, DeleteAccessKeys: true, RemoveMFA: true})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(res.DeletedKeys, ",") != "AKIAROOTKEY000000001,AKIAROOTKEY000000002" || len(res.RemovedMFA) != 1 ||
		!strings.HasSuffix(res.RemovedMFA[0], "/root-device") || res.EndedSessions != 1 {
		t.Errorf("result %+v", res)
	}
	err = s.Store.View(ctx, whole(func(tx gatehouse.Tx) error {
		a, err := tx.Account(acct)
		if err != nil {
			return err
		}
		if ok, _ := password.Check(a.RootPasswordHash, "operator password 2"); !ok {
			t.Error("the password was not replaced")
		}
		keys, err := tx.AccessKeys(acct, "")
		if err != nil {
			return err
		}
		if len(keys) != 1 || keys[0].ID != newKey.ID || keys[0].Secret.Reveal() != "new-secret" || keys[0].Status != gatehouse.KeyActive {
			t.Errorf("root's keys after the reset: %+v", keys)
		}
		devices, err := tx.MFADevices(acct)
		if err != nil {
			return err
		}
		if len(devices) != 1 || devices[0].UserName != "alice" {
			t.Errorf("MFA devices after the reset: %+v", devices)
		}
		if _, err := tx.RootPasswordReset(acct); gatehouse.ErrorCode(err) != gatehouse.CodeNotFound {
			t.Errorf("the pending reset survived: %v", err)
		}
		msgs, err := tx.OutboxMessages(acct)
		if err != nil {
			return err
		}
		last := msgs[len(msgs)-1]
		body := last.Body.Reveal()
		if last.Subject != "The Gatehouse operator reset your root user credentials" || !strings.Contains(body, newKey.ID) ||
			strings.Contains(body, "operator password") || strings.Contains(body, "new-secret") {
			t.Errorf("notice %q:\n%s", last.Subject, body)
		}
		return nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ResetRootPassword(ctx, "root@example.com", pending, "after the operator"); gatehouse.ErrorCode(err) != gatehouse.CodeDenied {
		t.Errorf("the code requested before the operator's reset: %v", err)
	}
	if _, err := s.ResetRootCredentials(ctx, CredentialsReset{AccountID: "999999999999", Password: "operator password 3"}); gatehouse.ErrorCode(err) != gatehouse.CodeNotFound {
		t.Errorf("unknown account: %v", err)
	}
}
