package sqlite_test

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/gatehouse-dev/gatehouse"
)

// TestMFASeedEncryptedAtRest checks that an MFA device's seed never
// reaches the database file in plaintext, and reads back after a reopen.
func TestMFASeedEncryptedAtRest(t *testing.T) {
	const seed = "MFASEEDPLAINTEXTQRSTUVWXYZ234567"
	const serial = "arn:aws:iam::123456789012:mfa/phone"
	path := tempPath(t)
	s := MustOpen(t, path)
	mustUpdate(t, s, func(tx gatehouse.Tx) error {
		return tx.CreateMFADevice(&gatehouse.MFADevice{AccountID: acct, SerialNumber: serial, Name: "phone", Path: "/", Seed: seed})
	})
	MustClose(t, s)
	for _, p := range []string{path, path + "-wal"} {
		b, err := os.ReadFile(p)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte(seed[:16])) {
			t.Errorf("%s holds the plaintext seed", p)
		}
	}
	s = MustOpen(t, path)
	mustView(t, s, func(tx gatehouse.Tx) error {
		d, err := tx.MFADevice(serial)
		if err == nil && d.Seed.Reveal() != seed {
			t.Errorf("seed after reopen = %q", d.Seed.Reveal())
		}
		return err
	})
}

// TestMFASeedBoundToSerial checks that a sealed seed copied to another
// device's row does not open: the serial number is the additional data.
func TestMFASeedBoundToSerial(t *testing.T) {
	path := tempPath(t)
	s := MustOpen(t, path)
	mustUpdate(t, s, func(tx gatehouse.Tx) error {
		for _, name := range []string{"one", "two"} {
			err := tx.CreateMFADevice(&gatehouse.MFADevice{AccountID: acct, SerialNumber: "arn:aws:iam::123456789012:mfa/" + name,
				Name: name, Path: "/", Seed: gatehouse.Secret("SEEDOF" + name)})
			if err != nil {
				return err
			}
		}
		return nil
	})
	MustClose(t, s)
	if _, err := rawDB(t, path).Exec(`UPDATE mfa_devices SET seed = (SELECT seed FROM mfa_devices WHERE name = 'one')
		WHERE name = 'two'`); err != nil {
		t.Fatal(err)
	}
	s = MustOpen(t, path)
	err := s.View(context.Background(), func(tx gatehouse.Tx) error {
		_, err := tx.MFADevice("arn:aws:iam::123456789012:mfa/two")
		return err
	})
	if gatehouse.ErrorCode(err) != gatehouse.CodeInternal {
		t.Errorf("reading a seed moved from another device: %v, want an internal error", err)
	}
}
