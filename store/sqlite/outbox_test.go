package sqlite_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/roottask"
	"github.com/gatehouse-dev/gatehouse/store/sqlite"
)

// grepFiles reports which of the database's files (the file, its WAL)
// contain any of needles.
func grepFiles(tb testing.TB, path string, needles ...string) []string {
	tb.Helper()
	var found []string
	seen := 0
	for _, p := range []string{path, path + "-wal"} {
		b, err := os.ReadFile(p)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			tb.Fatal(err)
		}
		seen++
		for _, n := range needles {
			if bytes.Contains(b, []byte(n)) {
				found = append(found, filepath.Base(p)+": "+n)
			}
		}
	}
	if seen == 0 {
		tb.Fatal("no database files")
	}
	return found
}

// outboxBodies returns the bodies of every outbox message, revealed.
func outboxBodies(tb testing.TB, s gatehouse.Store) []string {
	tb.Helper()
	var out []string
	mustView(tb, s, func(tx gatehouse.Tx) error {
		msgs, err := tx.OutboxMessages("")
		for _, m := range msgs {
			out = append(out, m.Body.Reveal())
		}
		return err
	})
	return out
}

// TestOutboxBodySealedAtRest issues a root email confirmation code and
// checks that neither the code's line nor any other text of the message
// body is in the database file or its WAL, while the store is open or
// after it is closed, that the store reads it back, and that another
// server key or another row cannot.
func TestOutboxBodySealedAtRest(t *testing.T) {
	path := tempPath(t)
	s := MustOpen(t, path)
	mustUpdate(t, s, func(tx gatehouse.Tx) error {
		return tx.CreateAccount(&gatehouse.Account{ID: acct, Email: "root@example.com"})
	})
	rt := &roottask.Service{Store: gatehouse.Narrow[roottask.Tx](s)}
	for _, to := range []string{"first@example.com", "second@example.com"} {
		if err := rt.StartEmailUpdate(context.Background(), acct, to); err != nil {
			t.Fatal(err)
		}
	}
	bodies := outboxBodies(t, s)
	if len(bodies) != 2 {
		t.Fatalf("%d messages", len(bodies))
	}
	code := regexp.MustCompile(`Confirmation code: (\d{6})`).FindStringSubmatch(bodies[1])
	if code == nil {
		t.Fatalf("no code in %q", bodies[1])
	}
	needles := []string{code[0], "Confirmation code", "Someone asked", "expires at"}
	if found := grepFiles(t, path, needles...); found != nil {
		t.Errorf("open: plain text on disk: %q", found)
	}
	MustClose(t, s)
	if found := grepFiles(t, path, needles...); found != nil {
		t.Errorf("closed: plain text on disk: %q", found)
	}

	s = MustOpen(t, path)
	if got := outboxBodies(t, s); len(got) != 2 || got[1] != bodies[1] {
		t.Errorf("bodies after reopen: %q", got)
	}
	MustClose(t, s)

	other, err := sqlite.Open(context.Background(), path, sqlite.Options{SecretKey: bytes.Repeat([]byte{1}, 32)})
	if err != nil {
		t.Fatal(err)
	}
	err = other.View(context.Background(), func(tx gatehouse.Tx) error { _, err := tx.OutboxMessages(""); return err })
	if gatehouse.ErrorCode(err) != gatehouse.CodeInternal {
		t.Errorf("reading the outbox with another key: %v, want an internal error", err)
	}
	MustClose(t, other)

	// A sealed body moved to another message does not open.
	if _, err := rawDB(t, path).Exec(`UPDATE outbox SET body_sealed = (SELECT body_sealed FROM outbox WHERE to_address = 'second@example.com')
		WHERE to_address = 'first@example.com'`); err != nil {
		t.Fatal(err)
	}
	s = MustOpen(t, path)
	err = s.View(context.Background(), func(tx gatehouse.Tx) error { _, err := tx.OutboxMessages(""); return err })
	if gatehouse.ErrorCode(err) != gatehouse.CodeInternal {
		t.Errorf("reading a body moved from another message: %v, want an internal error", err)
	}
}

// TestOutboxMigrationSealsOldBodies makes a database as it was before
// migration 0016 (plain bodies, an SMTP reply stored as a delivery error,
// in the file itself), opens it, and checks that every body is sealed and
// readable, that the reply is replaced, and that the plain text is gone
// from the file once the store is closed.
func TestOutboxMigrationSealsOldBodies(t *testing.T) {
	path := tempPath(t)
	MustClose(t, MustOpen(t, path))
	bodies := []string{
		"Someone asked to make a@example.com the root user email address.\nConfirmation code: 424242\n",
		"Account 123456789012 was closed.\n",
		"", // an empty body stays empty
	}
	// Enough messages for many pages, so that sealing moves rows around.
	for i := range 300 {
		bodies = append(bodies, strings.Repeat("Notice number "+strconv.Itoa(i)+" was closed. ", 3))
	}
	func() {
		db := rawDB(t, path)
		for _, q := range []string{
			`ALTER TABLE outbox DROP COLUMN body_sealed`,
			`DELETE FROM migrations WHERE name = 'migration/0016_outbox_sealed.sql'`,
		} {
			if _, err := db.Exec(q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		for i, b := range bodies {
			if _, err := db.Exec(`INSERT INTO outbox (id, account_id, to_address, subject, body, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
				"m"+strconv.Itoa(i), acct, "a@example.com", "s", b, 1); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.Exec(`UPDATE outbox SET delivery_error = '535 5.7.8 bad credentials mailer smtp-password' WHERE id = 'm1'`); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
			t.Fatal(err)
		}
		db.Close()
	}()
	if found := grepFiles(t, path, "Confirmation code: 424242"); found == nil {
		t.Fatal("the test database does not hold the plain body")
	}

	s := MustOpen(t, path)
	if got := outboxBodies(t, s); strings.Join(got, "|") != strings.Join(bodies, "|") {
		t.Errorf("bodies after the migration: %q", got)
	}
	var plain int
	if err := rawDB(t, path).QueryRow(`SELECT COUNT(*) FROM outbox WHERE body != '' OR body_sealed IS NULL`).Scan(&plain); err != nil || plain != 0 {
		t.Errorf("%d rows not sealed (%v)", plain, err)
	}
	mustView(t, s, func(tx gatehouse.Tx) error {
		msgs, err := tx.OutboxMessages("")
		for _, m := range msgs {
			want := ""
			if m.ID == "m1" {
				want = "an earlier error (its SMTP reply is not kept)"
			}
			if m.Delivery.LastError != want {
				t.Errorf("%s: last error %q, want %q", m.ID, m.Delivery.LastError, want)
			}
		}
		return err
	})
	MustClose(t, s)
	if found := grepFiles(t, path, "Confirmation code", "Someone asked", "was closed", "smtp-password"); found != nil {
		t.Errorf("plain text left on disk: %q", found)
	}
}
