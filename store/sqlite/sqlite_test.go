package sqlite_test

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/store/sqlite"
	"github.com/gatehouse-dev/gatehouse/store/storetest"
)

const acct = "123456789012"

// testKey returns the secret key the tests seal access keys with.
func testKey() []byte { return bytes.Repeat([]byte{0x5a}, 32) }

// MustOpen opens the store at path and closes it when tb ends.
func MustOpen(tb testing.TB, path string) *sqlite.Store {
	tb.Helper()
	s, err := sqlite.Open(context.Background(), path, sqlite.Options{SecretKey: testKey()})
	if err != nil {
		tb.Fatalf("open %s: %v", path, err)
	}
	tb.Cleanup(func() { MustClose(tb, s) })
	return s
}

// MustClose closes s; closing twice is harmless.
func MustClose(tb testing.TB, s *sqlite.Store) {
	tb.Helper()
	if err := s.Close(); err != nil {
		tb.Fatalf("close: %v", err)
	}
}

// tempPath returns the path of a database file in a new directory.
func tempPath(tb testing.TB) string { return filepath.Join(tb.TempDir(), "gatehouse.db") }

func mustUpdate(tb testing.TB, s gatehouse.Store, fn func(tx gatehouse.Tx) error) {
	tb.Helper()
	if err := s.Update(context.Background(), fn); err != nil {
		tb.Fatalf("update: %v", err)
	}
}

func mustView(tb testing.TB, s gatehouse.Store, fn func(tx gatehouse.Tx) error) {
	tb.Helper()
	if err := s.View(context.Background(), fn); err != nil {
		tb.Fatalf("view: %v", err)
	}
}

func TestConformance(t *testing.T) {
	t.Run("Memory", func(t *testing.T) {
		t.Parallel()
		storetest.Run(t, func(t *testing.T) gatehouse.Store { return MustOpen(t, sqlite.MemoryPath) })
	})
	t.Run("File", func(t *testing.T) {
		t.Parallel()
		storetest.Run(t, func(t *testing.T) gatehouse.Store { return MustOpen(t, tempPath(t)) })
	})
}

func userRef(name string) gatehouse.EntityRef {
	return gatehouse.EntityRef{Kind: gatehouse.KindUser, Name: name}
}

func groupRef(name string) gatehouse.EntityRef {
	return gatehouse.EntityRef{Kind: gatehouse.KindGroup, Name: name}
}

func roleRef(name string) gatehouse.EntityRef {
	return gatehouse.EntityRef{Kind: gatehouse.KindRole, Name: name}
}

// policyARN is the managed policy populate creates.
const policyARN = "arn:aws:iam::123456789012:policy/p"

// awsPolicyARN is an AWS managed policy: the store keeps only its
// attachments.
const awsPolicyARN = "arn:aws:iam::aws:policy/ReadOnlyAccess"

// sessionExpiration is when the session populate creates expires.
var sessionExpiration = time.Date(2030, 1, 2, 3, 4, 5, 6, time.UTC)

// populate writes one of everything: a row in every table.
func populate(tb testing.TB, s gatehouse.Store) {
	tb.Helper()
	mustUpdate(tb, s, func(tx gatehouse.Tx) error {
		steps := []func() error{
			func() error {
				return tx.CreateAccount(&gatehouse.Account{ID: acct, Email: "root@example.com", Name: "main"})
			},
			func() error { return tx.SetAccountAlias(acct, "main-alias") },
			func() error {
				return tx.CreateUser(&gatehouse.User{AccountID: acct, Name: "alice", ID: "AIDAALICE", Path: "/",
					Tags: []gatehouse.Tag{{Key: "k", Value: "v"}}})
			},
			func() error {
				return tx.CreateGroup(&gatehouse.Group{AccountID: acct, Name: "dev", ID: "AGPADEV", Path: "/"})
			},
			func() error { return tx.AddUserToGroup(acct, "dev", "alice") },
			func() error {
				p := &gatehouse.ManagedPolicy{AccountID: acct, Name: "p", ID: "ANPAP", Path: "/", DefaultVersionID: "v1", NextVersion: 2}
				return tx.CreatePolicy(p, &gatehouse.PolicyVersion{VersionID: "v1", Document: "{}"})
			},
			func() error { return tx.AttachPolicy(acct, groupRef("dev"), policyARN) },
			func() error { return tx.AttachPolicy(acct, groupRef("dev"), awsPolicyARN) },
			func() error {
				return tx.PutInlinePolicy(&gatehouse.InlinePolicy{AccountID: acct,
					Owner: gatehouse.EntityRef{Kind: gatehouse.KindUser, Name: "alice"}, Name: "inline", Document: `{"a":1}`})
			},
			func() error {
				return tx.CreateAccessKey(&gatehouse.AccessKey{ID: "AKIAALICE", AccountID: acct, UserName: "alice",
					Status: gatehouse.KeyActive, Secret: "alice-secret"})
			},
			func() error { return tx.AttachPolicy(acct, userRef("alice"), policyARN) },
			func() error { return tx.AttachPolicy(acct, userRef("alice"), awsPolicyARN) },
			func() error {
				return tx.PutInlinePolicy(&gatehouse.InlinePolicy{AccountID: acct, Owner: groupRef("dev"), Name: "inline", Document: `{"g":1}`})
			},
			func() error {
				lastUsed := time.Date(2025, 3, 4, 5, 6, 7, 8, time.UTC)
				return tx.CreateRole(&gatehouse.Role{AccountID: acct, Name: "deploy", ID: "AROADEPLOY", Path: "/",
					AssumeRolePolicy: "{}", MaxSessionDuration: 3600, Tags: []gatehouse.Tag{{Key: "k", Value: "v"}}, LastUsed: &lastUsed})
			},
			func() error { return tx.AttachPolicy(acct, roleRef("deploy"), policyARN) },
			func() error { return tx.AttachPolicy(acct, roleRef("deploy"), awsPolicyARN) },
			func() error {
				return tx.PutInlinePolicy(&gatehouse.InlinePolicy{AccountID: acct, Owner: roleRef("deploy"), Name: "inline", Document: `{"r":1}`})
			},
			func() error {
				return tx.CreateSession(&gatehouse.Session{AccessKeyID: "ASIADEPLOY", Secret: "session-secret",
					TokenHash: []byte{1, 2, 3}, AccountID: acct, Kind: gatehouse.SessionRole, RoleName: "deploy",
					SessionName: "s", PolicyARNs: []string{policyARN}, Expiration: sessionExpiration})
			},
			func() error {
				return tx.CreateMFADevice(&gatehouse.MFADevice{AccountID: acct, SerialNumber: "arn:aws:iam::123456789012:mfa/phone",
					Name: "phone", Path: "/", Seed: "JBSWY3DPEHPK3PXP", UserName: "alice", LastStep: 1})
			},
			func() error {
				return tx.AppendAudit(&gatehouse.AuditRecord{RequestID: "req", AccountID: acct, Action: "CreateUser"})
			},
			func() error {
				return tx.PutAccountSettings(acct, &gatehouse.AccountSettings{
					Regions: map[string]gatehouse.RegionOptStatus{"af-south-1": gatehouse.RegionEnabled}})
			},
			func() error {
				return tx.AddOutboxMessage(&gatehouse.OutboxMessage{AccountID: acct, To: "root@example.com", Subject: "s", Body: "b"})
			},
			func() error { return populateSellerGovCloud(tx, acct) },
			func() error {
				return tx.PutInvoice(&gatehouse.Invoice{AccountID: acct, InvoiceID: "INV-1", IssuedDate: time.Unix(1, 0)})
			},
			func() error {
				return tx.PutPaymentPreferences(&gatehouse.PaymentPreferences{AccountID: acct, Currency: "EUR"})
			},
			func() error {
				return tx.CreateLoginProfile(&gatehouse.LoginProfile{AccountID: acct, UserName: "alice", PasswordHash: "hash"})
			},
			func() error {
				return tx.PutCredentialReport(&gatehouse.CredentialReport{AccountID: acct, Content: []byte("user,arn\n")})
			},
			func() error {
				return tx.PutRootPasswordReset(&gatehouse.RootPasswordReset{AccountID: acct, CodeHash: "hash",
					ExpiresAt: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)})
			},
			func() error {
				return tx.CreateBucket(&gatehouse.Bucket{ID: "b-1", Name: "bucket", AccountID: acct, Region: "us-east-1"})
			},
			func() error {
				_, err := tx.PutObject(&gatehouse.Object{BucketID: "b-1", Key: "k", VersionID: "null", BlobID: "blob"})
				return err
			},
			func() error { return tx.CreateUpload(&gatehouse.Upload{ID: "u-1", BucketID: "b-1", Key: "k"}) },
			func() error {
				_, err := tx.PutPart(&gatehouse.Part{UploadID: "u-1", Number: 1, BlobID: "part"})
				return err
			},
		}
		for _, step := range steps {
			if err := step(); err != nil {
				return err
			}
		}
		return nil
	})
}

// checkPopulated checks that everything populate wrote is there.
func checkPopulated(tb testing.TB, s gatehouse.Store) {
	tb.Helper()
	mustView(tb, s, func(tx gatehouse.Tx) error {
		if a, err := tx.Account(acct); err != nil || a.Email != "root@example.com" {
			tb.Errorf("account: %v, %v", a, err)
		}
		if alias, err := tx.AccountAlias(acct); err != nil || alias != "main-alias" {
			tb.Errorf("alias: %q, %v", alias, err)
		}
		if u, err := tx.User(acct, "alice"); err != nil || len(u.Tags) != 1 {
			tb.Errorf("user: %v, %v", u, err)
		}
		if members, err := tx.GroupMembers(acct, "dev"); err != nil || len(members) != 1 {
			tb.Errorf("members: %v, %v", members, err)
		}
		if v, err := tx.PolicyVersion("arn:aws:iam::123456789012:policy/p", "v1"); err != nil || v.Document != "{}" {
			tb.Errorf("policy version: %v, %v", v, err)
		}
		if arns, err := tx.AttachedPolicies(acct, gatehouse.EntityRef{Kind: gatehouse.KindGroup, Name: "dev"}); err != nil || len(arns) != 2 {
			tb.Errorf("attached: %v, %v", arns, err)
		}
		if p, err := tx.InlinePolicy(acct, gatehouse.EntityRef{Kind: gatehouse.KindUser, Name: "alice"}, "inline"); err != nil || p.Document != `{"a":1}` {
			tb.Errorf("inline: %v, %v", p, err)
		}
		if k, err := tx.AccessKey("AKIAALICE"); err != nil || k.Secret.Reveal() != "alice-secret" {
			tb.Errorf("access key: %v, %v", k, err)
		}
		if arns, err := tx.AttachedPolicies(acct, userRef("alice")); err != nil || len(arns) != 2 {
			tb.Errorf("attached to user: %v, %v", arns, err)
		}
		if p, err := tx.InlinePolicy(acct, groupRef("dev"), "inline"); err != nil || p.Document != `{"g":1}` {
			tb.Errorf("group inline: %v, %v", p, err)
		}
		if r, err := tx.Role(acct, "DEPLOY"); err != nil || len(r.Tags) != 1 || r.LastUsed == nil {
			tb.Errorf("role: %v, %v", r, err)
		}
		if refs, err := tx.PolicyAttachments(acct, policyARN); err != nil || len(refs) != 3 {
			tb.Errorf("attachments: %v, %v", refs, err)
		}
		if p, err := tx.InlinePolicy(acct, roleRef("deploy"), "inline"); err != nil || p.Document != `{"r":1}` {
			tb.Errorf("role inline: %v, %v", p, err)
		}
		if sess, err := tx.Session("ASIADEPLOY"); err != nil || sess.Secret.Reveal() != "session-secret" ||
			!sess.Expiration.Equal(sessionExpiration) || len(sess.PolicyARNs) != 1 || len(sess.TokenHash) != 3 {
			tb.Errorf("session: %v, %v", sess, err)
		}
		return nil
	})
}

func TestReopen(t *testing.T) {
	path := tempPath(t)
	s := MustOpen(t, path)
	populate(t, s)
	rev, err := s.Revision(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	MustClose(t, s)

	s = MustOpen(t, path)
	checkPopulated(t, s)
	if got, err := s.Revision(context.Background()); err != nil || got != rev {
		t.Fatalf("revision after reopen = %d, %v; want %d", got, err, rev)
	}
}

func TestPathWithSpecialCharacters(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a b?c#d%20e")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "store.db")
	s := MustOpen(t, path)
	populate(t, s)
	MustClose(t, s)
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("database not at %s: %v", path, err)
	}
	checkPopulated(t, MustOpen(t, path))
}

func TestFilePermissions(t *testing.T) {
	path := tempPath(t)
	populate(t, MustOpen(t, path))
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		t.Errorf("database file mode %v, want owner-only", perm)
	}
}

// rawDB opens the database file directly, for inspection.
func rawDB(tb testing.TB, path string) *sql.DB {
	tb.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = db.Close() })
	return db
}

func TestMigrationsIdempotent(t *testing.T) {
	files, err := filepath.Glob("migration/*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("migration files: %v, %v", files, err)
	}
	path := tempPath(t)
	for range 3 {
		s := MustOpen(t, path)
		populateOnce(t, s)
		MustClose(t, s)
	}
	var n int
	if err := rawDB(t, path).QueryRow(`SELECT COUNT(*) FROM migrations`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != len(files) {
		t.Errorf("%d migrations recorded, want %d", n, len(files))
	}
	checkPopulated(t, MustOpen(t, path))
}

// populateOnce populates s unless it already holds the account.
func populateOnce(tb testing.TB, s gatehouse.Store) {
	tb.Helper()
	err := s.View(context.Background(), func(tx gatehouse.Tx) error { _, err := tx.Account(acct); return err })
	if gatehouse.ErrorCode(err) == gatehouse.CodeNotFound {
		populate(tb, s)
	}
}

func TestSecretsEncryptedAtRest(t *testing.T) {
	// An access key's secret and a session's.
	const (
		plain        = "PLAINTEXT-SECRET-0123456789abcdefghij"
		sessionPlain = "SESSION-PLAINTEXT-9876543210zyxwvuts"
	)
	path := tempPath(t)
	s := MustOpen(t, path)
	mustUpdate(t, s, func(tx gatehouse.Tx) error {
		if err := tx.CreateAccessKey(&gatehouse.AccessKey{ID: "AKIAROOT", AccountID: acct, Status: gatehouse.KeyActive, Secret: plain}); err != nil {
			return err
		}
		return tx.CreateSession(&gatehouse.Session{AccessKeyID: "ASIAROOT", Secret: sessionPlain, TokenHash: []byte{1},
			AccountID: acct, Kind: gatehouse.SessionUser, Expiration: sessionExpiration})
	})
	search := func(when string) {
		t.Helper()
		found := 0
		for _, p := range []string{path, path + "-wal"} {
			b, err := os.ReadFile(p)
			if os.IsNotExist(err) {
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			found++
			for _, secret := range []string{plain, sessionPlain} {
				if bytes.Contains(b, []byte(secret)) || bytes.Contains(b, []byte(secret[:16])) {
					t.Errorf("%s: %s holds the plaintext secret %.8s...", when, filepath.Base(p), secret)
				}
			}
		}
		if found == 0 {
			t.Fatalf("%s: no database files", when)
		}
	}
	search("open")
	MustClose(t, s)
	search("closed")

	s = MustOpen(t, path)
	mustView(t, s, func(tx gatehouse.Tx) error {
		k, err := tx.AccessKey("AKIAROOT")
		if err != nil {
			return err
		}
		if k.Secret.Reveal() != plain {
			t.Errorf("secret after reopen = %q", k.Secret.Reveal())
		}
		sess, err := tx.Session("ASIAROOT")
		if err != nil {
			return err
		}
		if sess.Secret.Reveal() != sessionPlain {
			t.Errorf("session secret after reopen = %q", sess.Secret.Reveal())
		}
		return nil
	})
	MustClose(t, s)

	// Another server key cannot read the secrets.
	other, err := sqlite.Open(context.Background(), path, sqlite.Options{SecretKey: bytes.Repeat([]byte{1}, 32)})
	if err != nil {
		t.Fatal(err)
	}
	defer MustClose(t, other)
	err = other.View(context.Background(), func(tx gatehouse.Tx) error { _, err := tx.AccessKey("AKIAROOT"); return err })
	if gatehouse.ErrorCode(err) != gatehouse.CodeInternal {
		t.Errorf("reading a secret with the wrong key: %v, want an internal error", err)
	}
	err = other.View(context.Background(), func(tx gatehouse.Tx) error { _, err := tx.Session("ASIAROOT"); return err })
	if gatehouse.ErrorCode(err) != gatehouse.CodeInternal {
		t.Errorf("reading a session secret with the wrong key: %v, want an internal error", err)
	}
}

// TestSecretBoundToKeyID checks that a sealed secret moved to another row
// does not open: the access key ID is the additional data.
func TestSecretBoundToKeyID(t *testing.T) {
	path := tempPath(t)
	s := MustOpen(t, path)
	mustUpdate(t, s, func(tx gatehouse.Tx) error {
		for _, keyID := range []string{"ASIAONE", "ASIATWO"} {
			err := tx.CreateSession(&gatehouse.Session{AccessKeyID: keyID, Secret: gatehouse.Secret("secret-of-" + keyID),
				AccountID: acct, Kind: gatehouse.SessionUser, Expiration: sessionExpiration})
			if err != nil {
				return err
			}
		}
		return nil
	})
	MustClose(t, s)
	if _, err := rawDB(t, path).Exec(`UPDATE sessions SET secret = (SELECT secret FROM sessions WHERE access_key_id = 'ASIAONE')
		WHERE access_key_id = 'ASIATWO'`); err != nil {
		t.Fatal(err)
	}
	s = MustOpen(t, path)
	err := s.View(context.Background(), func(tx gatehouse.Tx) error { _, err := tx.Session("ASIATWO"); return err })
	if gatehouse.ErrorCode(err) != gatehouse.CodeInternal {
		t.Errorf("reading a secret moved from another session: %v, want an internal error", err)
	}
}

func TestOpenRejectsBadKey(t *testing.T) {
	for _, tc := range []struct {
		name string
		key  []byte
	}{
		{"Nil", nil},
		{"AES128", make([]byte, 16)},
		{"31Bytes", make([]byte, 31)},
		{"33Bytes", make([]byte, 33)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := sqlite.Open(context.Background(), sqlite.MemoryPath, sqlite.Options{SecretKey: tc.key})
			if err == nil {
				_ = s.Close()
				t.Fatalf("Open accepted a %d-byte key", len(tc.key))
			}
		})
	}
}

func TestNowStampsZeroTimes(t *testing.T) {
	now := time.Date(2025, 1, 2, 3, 4, 5, 6000, time.UTC)
	s, err := sqlite.Open(context.Background(), sqlite.MemoryPath, sqlite.Options{SecretKey: testKey(), Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer MustClose(t, s)
	u := &gatehouse.User{AccountID: acct, Name: "alice", ID: "AIDAALICE", Path: "/"}
	mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.CreateUser(u) })
	if !u.CreatedAt.Equal(now) {
		t.Errorf("CreateUser set CreatedAt %v, want %v", u.CreatedAt, now)
	}
	r := &gatehouse.Role{AccountID: acct, Name: "deploy", ID: "AROADEPLOY", Path: "/", AssumeRolePolicy: "{}"}
	sess := &gatehouse.Session{AccessKeyID: "ASIAROOT", Secret: "s", AccountID: acct, Kind: gatehouse.SessionUser,
		Expiration: now.Add(time.Hour)}
	mustUpdate(t, s, func(tx gatehouse.Tx) error {
		if err := tx.CreateRole(r); err != nil {
			return err
		}
		return tx.CreateSession(sess)
	})
	if !r.CreatedAt.Equal(now) {
		t.Errorf("CreateRole set CreatedAt %v, want %v", r.CreatedAt, now)
	}
	if !sess.IssuedAt.Equal(now) {
		t.Errorf("CreateSession set IssuedAt %v, want %v", sess.IssuedAt, now)
	}
	mustView(t, s, func(tx gatehouse.Tx) error {
		got, err := tx.User(acct, "alice")
		if err != nil {
			return err
		}
		if !got.CreatedAt.Equal(now) {
			t.Errorf("stored CreatedAt %v, want %v", got.CreatedAt, now)
		}
		gotRole, err := tx.Role(acct, "deploy")
		if err != nil {
			return err
		}
		if !gotRole.CreatedAt.Equal(now) {
			t.Errorf("stored role CreatedAt %v, want %v", gotRole.CreatedAt, now)
		}
		gotSess, err := tx.Session("ASIAROOT")
		if err != nil {
			return err
		}
		if !gotSess.IssuedAt.Equal(now) {
			t.Errorf("stored session IssuedAt %v, want %v", gotSess.IssuedAt, now)
		}
		return nil
	})
}

func TestSessionNeedsExpiration(t *testing.T) {
	s := MustOpen(t, sqlite.MemoryPath)
	err := s.Update(context.Background(), func(tx gatehouse.Tx) error {
		return tx.CreateSession(&gatehouse.Session{AccessKeyID: "ASIAFOREVER", Secret: "s", AccountID: acct, Kind: gatehouse.SessionUser})
	})
	if err == nil {
		t.Fatal("CreateSession stored a session without an expiration time")
	}
	err = s.View(context.Background(), func(tx gatehouse.Tx) error { _, err := tx.Session("ASIAFOREVER"); return err })
	if gatehouse.ErrorCode(err) != gatehouse.CodeNotFound {
		t.Errorf("session after the failed create: %v", err)
	}
}

// TestTwoStoresOneFile runs concurrent updates through two Stores on one
// file, as two server processes would: they meet only at SQLite's locks.
func TestTwoStoresOneFile(t *testing.T) {
	path := tempPath(t)
	stores := []*sqlite.Store{MustOpen(t, path), MustOpen(t, path)}
	const perWriter = 10
	var wg sync.WaitGroup
	errs := make(chan error, 4*perWriter)
	for w := range 4 {
		s := stores[w%2]
		wg.Go(func() {
			for i := range perWriter {
				errs <- s.Update(context.Background(), func(tx gatehouse.Tx) error {
					return tx.CreateUser(&gatehouse.User{AccountID: acct, Name: string(rune('a'+w)) + string(rune('a'+i)),
						ID: "AIDA" + string(rune('A'+w)) + string(rune('A'+i)), Path: "/"})
				})
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("update: %v", err)
		}
	}
	for _, s := range stores {
		mustView(t, s, func(tx gatehouse.Tx) error {
			users, err := tx.Users(acct)
			if err != nil {
				return err
			}
			if len(users) != 4*perWriter {
				t.Errorf("%d users, want %d", len(users), 4*perWriter)
			}
			return nil
		})
	}
}

// TestCanceledContext checks that an update whose context ends midway
// rolls back and leaves the store usable; for the in-memory store it must
// not lose the database with its only connection.
func TestCanceledContext(t *testing.T) {
	for _, tc := range []struct {
		name string
		path func(t *testing.T) string
	}{
		{"Memory", func(*testing.T) string { return sqlite.MemoryPath }},
		{"File", func(t *testing.T) string { return tempPath(t) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := MustOpen(t, tc.path(t))
			populate(t, s)
			ctx, cancel := context.WithCancel(context.Background())
			err := s.Update(ctx, func(tx gatehouse.Tx) error {
				if err := tx.CreateUser(&gatehouse.User{AccountID: acct, Name: "ghost", ID: "AIDAGHOST", Path: "/"}); err != nil {
					return err
				}
				cancel()
				return tx.CreateUser(&gatehouse.User{AccountID: acct, Name: "ghost2", ID: "AIDAGHOST2", Path: "/"})
			})
			if err == nil {
				t.Fatal("update with a canceled context succeeded")
			}
			if err := s.View(ctx, func(gatehouse.Tx) error { return nil }); err == nil {
				t.Error("view with a canceled context succeeded")
			}
			checkPopulated(t, s)
			err = s.View(context.Background(), func(tx gatehouse.Tx) error { _, err := tx.User(acct, "ghost"); return err })
			if gatehouse.ErrorCode(err) != gatehouse.CodeNotFound {
				t.Errorf("user of the canceled update: %v, want none", err)
			}
		})
	}
}

func TestOpenRefusesNewerDatabase(t *testing.T) {
	path := tempPath(t)
	MustClose(t, MustOpen(t, path))
	if _, err := rawDB(t, path).Exec(`INSERT INTO migrations (name) VALUES ('migration/9999_future.sql')`); err != nil {
		t.Fatal(err)
	}
	s, err := sqlite.Open(context.Background(), path, sqlite.Options{SecretKey: testKey()})
	if err == nil {
		_ = s.Close()
		t.Fatal("Open accepted a database with an unknown migration")
	}
}

func TestWALMode(t *testing.T) {
	path := tempPath(t)
	populate(t, MustOpen(t, path))
	var mode string
	if err := rawDB(t, path).QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v; want wal", mode, err)
	}
}

func TestReset(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, ":memory:", sqlite.Options{SecretKey: make([]byte, 32)})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	err = st.Update(ctx, func(tx gatehouse.Tx) error {
		if err := tx.CreateAccount(&gatehouse.Account{ID: "111122223333", Email: "a@example.com"}); err != nil {
			return err
		}
		if err := tx.CreateUser(&gatehouse.User{AccountID: "111122223333", Name: "bob", ID: "AIDAEXAMPLE0000001", Path: "/"}); err != nil {
			return err
		}
		if err := tx.CreateRole(&gatehouse.Role{AccountID: "111122223333", Name: "deploy", ID: "AROAEXAMPLE0000001", Path: "/"}); err != nil {
			return err
		}
		return tx.CreateSession(&gatehouse.Session{AccessKeyID: "ASIAEXAMPLE0000001", Secret: "s", AccountID: "111122223333",
			Kind: gatehouse.SessionRole, RoleName: "deploy", Expiration: sessionExpiration})
	})
	if err != nil {
		t.Fatal(err)
	}
	before, _ := st.Revision(ctx)
	if err := st.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	after, _ := st.Revision(ctx)
	if after <= before {
		t.Errorf("revision %d after reset, want more than %d", after, before)
	}
	st.View(ctx, func(tx gatehouse.Tx) error {
		if as, _ := tx.Accounts(); len(as) != 0 {
			t.Errorf("%d accounts after reset", len(as))
		}
		if _, err := tx.User("111122223333", "bob"); gatehouse.ErrorCode(err) != gatehouse.CodeNotFound {
			t.Errorf("user after reset: %v", err)
		}
		if _, err := tx.Role("111122223333", "deploy"); gatehouse.ErrorCode(err) != gatehouse.CodeNotFound {
			t.Errorf("role after reset: %v", err)
		}
		if _, err := tx.Session("ASIAEXAMPLE0000001"); gatehouse.ErrorCode(err) != gatehouse.CodeNotFound {
			t.Errorf("session after reset: %v", err)
		}
		return nil
	})
}

// dataTables lists the tables of db that hold data:
// all but the bookkeeping ones.
func dataTables(tb testing.TB, db *sql.DB) []string {
	tb.Helper()
	rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table'
		AND name NOT IN ('migrations', 'revision') AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name`)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			tb.Fatal(err)
		}
		tables = append(tables, name)
	}
	if err := rows.Err(); err != nil {
		tb.Fatal(err)
	}
	return tables
}

// rowCounts returns the number of rows of each table.
func rowCounts(tb testing.TB, db *sql.DB, tables []string) map[string]int {
	tb.Helper()
	counts := make(map[string]int, len(tables))
	for _, table := range tables {
		var n int
		if err := db.QueryRow(`SELECT COUNT(*) FROM "` + table + `"`).Scan(&n); err != nil {
			tb.Fatal(err)
		}
		counts[table] = n
	}
	return counts
}

// TestResetEmptiesEveryTable checks that populate writes a row in every
// table, and that Reset leaves none.
func TestResetEmptiesEveryTable(t *testing.T) {
	path := tempPath(t)
	s := MustOpen(t, path)
	populate(t, s)
	db := rawDB(t, path)
	tables := dataTables(t, db)
	for _, want := range []string{"roles", "role_attached_policies", "role_inline_policies", "sessions"} {
		if !slices.Contains(tables, want) {
			t.Errorf("no table %s among %v", want, tables)
		}
	}
	for table, n := range rowCounts(t, db, tables) {
		if n == 0 {
			t.Errorf("populate wrote no row in %s", table)
		}
	}
	if err := s.Reset(context.Background()); err != nil {
		t.Fatal(err)
	}
	for table, n := range rowCounts(t, db, tables) {
		if n != 0 {
			t.Errorf("%d rows in %s after reset", n, table)
		}
	}
	populate(t, s)
	checkPopulated(t, s)
}

// TestUpgradeFrom0001 opens a database written before roles and sessions
// existed: the new migration applies and the old data stays.
func TestUpgradeFrom0001(t *testing.T) {
	path := tempPath(t)
	script, err := os.ReadFile("migration/0001_init.sql")
	if err != nil {
		t.Fatal(err)
	}
	db := rawDB(t, path)
	for _, q := range []string{
		string(script),
		`CREATE TABLE migrations (name TEXT PRIMARY KEY) STRICT`,
		`INSERT INTO migrations (name) VALUES ('migration/0001_init.sql')`,
		`INSERT INTO users (id, account_id, name, name_key, path, created_at, permissions_boundary, tags)
			VALUES ('AIDAOLD', '` + acct + `', 'Old', 'old', '/', NULL, '', '[]')`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	s := MustOpen(t, path)
	mustUpdate(t, s, func(tx gatehouse.Tx) error {
		return tx.CreateRole(&gatehouse.Role{AccountID: acct, Name: "new", ID: "AROANEW", Path: "/"})
	})
	mustView(t, s, func(tx gatehouse.Tx) error {
		if _, err := tx.User(acct, "OLD"); err != nil {
			return err
		}
		_, err := tx.Role(acct, "NEW")
		return err
	})
	var n int
	files, _ := filepath.Glob("migration/*.sql")
	if err := rawDB(t, path).QueryRow(`SELECT COUNT(*) FROM migrations`).Scan(&n); err != nil || n != len(files) {
		t.Errorf("%d migrations recorded (%v), want %d", n, err, len(files))
	}
}
