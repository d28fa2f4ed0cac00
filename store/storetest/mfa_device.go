package storetest

import (
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse"
)

// newDevice returns an unassigned device of acct1 named name.
func newDevice(name string, created int) *gatehouse.MFADevice {
	return &gatehouse.MFADevice{
		AccountID: acct1, SerialNumber: gatehouse.MFADeviceARN("", acct1, "/", name), Name: name, Path: "/",
		Seed: gatehouse.Secret("JBSWY3DPEHPK3PXP" + strings.ToUpper(name)), CreatedAt: at(created),
	}
}

// fullDevice returns a device with every field set, assigned to user.
func fullDevice(user string) *gatehouse.MFADevice {
	d := newDevice("phone", 1)
	d.Path = "/team/ops/"
	d.SerialNumber = gatehouse.MFADeviceARN("", acct1, d.Path, d.Name)
	d.UserName, d.EnabledAt, d.LastStep = user, at(30), 57_000_123
	d.Tags = []gatehouse.Tag{{Key: "owner", Value: "alice"}, {Key: "kind", Value: ""}}
	return d
}

func normDevice(d *gatehouse.MFADevice) gatehouse.MFADevice {
	n := *d
	n.EnabledAt, n.CreatedAt = n.EnabledAt.UTC(), n.CreatedAt.UTC()
	if len(n.Tags) == 0 {
		n.Tags = nil
	}
	return n
}

// wantDevice compares two devices, seeds first: a Secret prints
// redacted.
func wantDevice(t testing.TB, got, want *gatehouse.MFADevice) {
	t.Helper()
	if got.Seed.Reveal() != want.Seed.Reveal() {
		t.Fatalf("device %s: seed %q, want %q", want.SerialNumber, got.Seed.Reveal(), want.Seed.Reveal())
	}
	wantEqual(t, "MFA device", normDevice(got), normDevice(want))
}

// seedDevices stores the devices in one update.
func seedDevices(t testing.TB, s gatehouse.Store, devices ...*gatehouse.MFADevice) {
	t.Helper()
	mustUpdate(t, s, func(tx gatehouse.Tx) error {
		for _, d := range devices {
			if err := tx.CreateMFADevice(d); err != nil {
				return err
			}
		}
		return nil
	})
}

// getDevice reads one device.
func getDevice(t testing.TB, s gatehouse.Store, serial string) *gatehouse.MFADevice {
	t.Helper()
	var d *gatehouse.MFADevice
	mustView(t, s, func(tx gatehouse.Tx) error {
		var err error
		d, err = tx.MFADevice(serial)
		return err
	})
	return d
}

// wantDeviceSerials fails t unless the account's devices are, in order,
// the ones named.
func wantDeviceSerials(t testing.TB, s gatehouse.Store, accountID string, serials []string) {
	t.Helper()
	got := []string{}
	mustView(t, s, func(tx gatehouse.Tx) error {
		devices, err := tx.MFADevices(accountID)
		for _, d := range devices {
			got = append(got, d.SerialNumber)
		}
		return err
	})
	wantEqual(t, "MFA devices", got, serials)
}

func mfaDeviceTests() []test {
	return []test{
		{"CreateGet", func(t *testing.T, s gatehouse.Store) {
			seedUsers(t, s, acct1, "Alice")
			user, unassigned, root := fullDevice("Alice"), newDevice("spare", 2), newDevice("root-device", 3)
			root.UserName, root.EnabledAt, root.LastStep = gatehouse.RootUserName, at(40), 7
			seedDevices(t, s, user, unassigned, root)
			for _, want := range []*gatehouse.MFADevice{user, unassigned, root} {
				wantDevice(t, getDevice(t, s, want.SerialNumber), want)
			}
		}},
		{"UserNameAsStored", func(t *testing.T, s gatehouse.Store) {
			seedUsers(t, s, acct1, "Alice")
			seedDevices(t, s, fullDevice("ALICE"))
			if got := getDevice(t, s, fullDevice("").SerialNumber).UserName; got != "Alice" {
				t.Errorf("UserName = %q, want the user's stored name Alice", got)
			}
		}},
		{"StampsCreatedAt", func(t *testing.T, s gatehouse.Store) {
			d := newDevice("stamped", 0)
			d.CreatedAt = time.Time{}
			seedDevices(t, s, d)
			if d.CreatedAt.IsZero() {
				t.Fatal("CreateMFADevice left a zero CreatedAt")
			}
			wantDevice(t, getDevice(t, s, d.SerialNumber), d)
		}},
		{"UnassignedHasNoEnableDate", func(t *testing.T, s gatehouse.Store) {
			d := newDevice("spare", 1)
			d.EnabledAt = at(5)
			seedDevices(t, s, d)
			if got := getDevice(t, s, d.SerialNumber); !got.EnabledAt.IsZero() {
				t.Errorf("unassigned device has EnabledAt %v", got.EnabledAt)
			}
		}},
		{"SeedsRoundTrip", func(t *testing.T, s gatehouse.Store) {
			for _, tc := range []struct{ name, seed string }{
				{"Base32", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"},
				{"Empty", ""},
				{"Long", strings.Repeat("A", 4096)},
			} {
				t.Run(tc.name, func(t *testing.T) {
					d := newDevice(tc.name, 1)
					d.Seed = gatehouse.Secret(tc.seed)
					seedDevices(t, s, d)
					wantDevice(t, getDevice(t, s, d.SerialNumber), d)
				})
			}
		}},
		{"SerialIgnoresCase", func(t *testing.T, s gatehouse.Store) {
			d := newDevice("Phone", 1)
			seedDevices(t, s, d)
			wantDevice(t, getDevice(t, s, strings.ToUpper(d.SerialNumber)), d)
			err := s.Update(t.Context(), func(tx gatehouse.Tx) error { return tx.CreateMFADevice(newDevice("PHONE", 2)) })
			wantCode(t, err, gatehouse.CodeAlreadyExists)
		}},
		{"ListSortedPerAccount", func(t *testing.T, s gatehouse.Store) {
			other := newDevice("other", 1)
			other.AccountID, other.SerialNumber = acct2, gatehouse.MFADeviceARN("", acct2, "/", "other")
			seedDevices(t, s, newDevice("b", 1), newDevice("C", 2), newDevice("a", 3), other)
			wantDeviceSerials(t, s, acct1, []string{
				gatehouse.MFADeviceARN("", acct1, "/", "a"), gatehouse.MFADeviceARN("", acct1, "/", "b"), gatehouse.MFADeviceARN("", acct1, "/", "C"),
			})
			wantDeviceSerials(t, s, acct2, []string{other.SerialNumber})
			wantDeviceSerials(t, s, "333333333333", []string{})
		}},
		{"UpdateAssignment", func(t *testing.T, s gatehouse.Store) {
			seedUsers(t, s, acct1, "alice")
			d := newDevice("phone", 1)
			seedDevices(t, s, d)
			steps := []struct {
				name  string
				apply func(d *gatehouse.MFADevice)
			}{
				{"AssignUser", func(d *gatehouse.MFADevice) { d.UserName, d.EnabledAt, d.LastStep = "alice", at(10), 100 }},
				{"UseCode", func(d *gatehouse.MFADevice) { d.LastStep = 101 }},
				{"Tag", func(d *gatehouse.MFADevice) { d.Tags = []gatehouse.Tag{{Key: "k", Value: "v"}} }},
				{"Unassign", func(d *gatehouse.MFADevice) { d.UserName, d.EnabledAt = "", time.Time{} }},
				{"AssignRoot", func(d *gatehouse.MFADevice) { d.UserName, d.EnabledAt = gatehouse.RootUserName, at(20) }},
			}
			for _, step := range steps {
				step.apply(d)
				mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.UpdateMFADevice(d) })
				wantDevice(t, getDevice(t, s, d.SerialNumber), d)
			}
		}},
		{"UpdateKeepsFixedFields", func(t *testing.T, s gatehouse.Store) {
			d := newDevice("phone", 1)
			seedDevices(t, s, d)
			changed := *d
			changed.Name, changed.Path, changed.Seed, changed.CreatedAt = "other", "/x/", "OTHERSEED", at(99)
			changed.AccountID = acct2
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.UpdateMFADevice(&changed) })
			wantDevice(t, getDevice(t, s, d.SerialNumber), d)
		}},
		{"UnassignClearsEnableDate", func(t *testing.T, s gatehouse.Store) {
			seedUsers(t, s, acct1, "alice")
			d := fullDevice("alice")
			seedDevices(t, s, d)
			d.UserName = "" // EnabledAt left as it was
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.UpdateMFADevice(d) })
			if got := getDevice(t, s, d.SerialNumber); got.UserName != "" || !got.EnabledAt.IsZero() {
				t.Errorf("after unassigning: UserName %q, EnabledAt %v", got.UserName, got.EnabledAt)
			}
		}},
		{"FollowsUserRename", func(t *testing.T, s gatehouse.Store) {
			seedUsers(t, s, acct1, "alice")
			d := fullDevice("alice")
			seedDevices(t, s, d)
			mustUpdate(t, s, func(tx gatehouse.Tx) error {
				u, err := tx.User(acct1, "alice")
				if err != nil {
					return err
				}
				u.Name = "alicia"
				return tx.UpdateUser("alice", u)
			})
			d.UserName = "alicia"
			wantDevice(t, getDevice(t, s, d.SerialNumber), d)
		}},
		{"UserDeleteUnassigns", func(t *testing.T, s gatehouse.Store) {
			seedUsers(t, s, acct1, "alice")
			d := fullDevice("alice")
			seedDevices(t, s, d)
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.DeleteUser(acct1, "alice") })
			d.UserName, d.EnabledAt = "", time.Time{}
			wantDevice(t, getDevice(t, s, d.SerialNumber), d)
			// A new user of the same name does not inherit the device.
			seedUsers(t, s, acct1, "alice")
			wantDevice(t, getDevice(t, s, d.SerialNumber), d)
		}},
		{"Delete", func(t *testing.T, s gatehouse.Store) {
			seedUsers(t, s, acct1, "alice")
			seedDevices(t, s, fullDevice("alice"), newDevice("spare", 2))
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.DeleteMFADevice(strings.ToUpper(fullDevice("").SerialNumber)) })
			wantDeviceSerials(t, s, acct1, []string{newDevice("spare", 0).SerialNumber})
			// The serial number is free again.
			seedDevices(t, s, fullDevice("alice"))
		}},
		{"ErrorMessagesHoldNoSeeds", func(t *testing.T, s gatehouse.Store) {
			d := newDevice("phone", 1)
			seedDevices(t, s, d)
			err := s.Update(t.Context(), func(tx gatehouse.Tx) error { return tx.CreateMFADevice(newDevice("phone", 2)) })
			wantCode(t, err, gatehouse.CodeAlreadyExists)
			if strings.Contains(err.Error(), d.Seed.Reveal()) {
				t.Errorf("error %q holds the seed", err)
			}
		}},
		{"Errors", func(t *testing.T, s gatehouse.Store) {
			seedUsers(t, s, acct1, "alice")
			seedDevices(t, s, newDevice("known", 1))
			unknown := newDevice("unknown", 1)
			nobody := newDevice("known", 1)
			nobody.UserName = "nobody"
			runErrorCases(t, s, []errorCase{
				{"CreateDuplicate", func(tx gatehouse.Tx) error { return tx.CreateMFADevice(newDevice("known", 2)) },
					gatehouse.CodeAlreadyExists},
				{"CreateUnknownUser", func(tx gatehouse.Tx) error {
					d := newDevice("fresh", 1)
					d.UserName = "nobody"
					return tx.CreateMFADevice(d)
				}, gatehouse.CodeNotFound},
				{"GetUnknown", func(tx gatehouse.Tx) error { _, err := tx.MFADevice(unknown.SerialNumber); return err },
					gatehouse.CodeNotFound},
				{"UpdateUnknown", func(tx gatehouse.Tx) error { return tx.UpdateMFADevice(unknown) }, gatehouse.CodeNotFound},
				{"UpdateUnknownUser", func(tx gatehouse.Tx) error { return tx.UpdateMFADevice(nobody) }, gatehouse.CodeNotFound},
				{"DeleteUnknown", func(tx gatehouse.Tx) error { return tx.DeleteMFADevice(unknown.SerialNumber) },
					gatehouse.CodeNotFound},
			})
			wantDevice(t, getDevice(t, s, newDevice("known", 0).SerialNumber), newDevice("known", 1))
		}},
		{"ViewIsReadOnly", func(t *testing.T, s gatehouse.Store) {
			d := newDevice("phone", 1)
			seedDevices(t, s, d)
			for name, fn := range map[string]func(tx gatehouse.Tx) error{
				"CreateMFADevice": func(tx gatehouse.Tx) error { return tx.CreateMFADevice(newDevice("ghost", 1)) },
				"UpdateMFADevice": func(tx gatehouse.Tx) error {
					c := *d
					c.LastStep = 5
					return tx.UpdateMFADevice(&c)
				},
				"DeleteMFADevice": func(tx gatehouse.Tx) error { return tx.DeleteMFADevice(d.SerialNumber) },
			} {
				if err := s.View(t.Context(), fn); err == nil {
					t.Errorf("%s inside View succeeded", name)
				}
			}
			wantDeviceSerials(t, s, acct1, []string{d.SerialNumber})
			wantDevice(t, getDevice(t, s, d.SerialNumber), d)
		}},
		{"RevisionMoves", func(t *testing.T, s gatehouse.Store) {
			d := newDevice("phone", 1)
			for _, step := range []struct {
				name string
				fn   func(tx gatehouse.Tx) error
			}{
				{"CreateMFADevice", func(tx gatehouse.Tx) error { return tx.CreateMFADevice(d) }},
				{"UpdateMFADevice", func(tx gatehouse.Tx) error { d.LastStep = 9; return tx.UpdateMFADevice(d) }},
				{"DeleteMFADevice", func(tx gatehouse.Tx) error { return tx.DeleteMFADevice(d.SerialNumber) }},
			} {
				before := mustRevision(t, s)
				mustUpdate(t, s, step.fn)
				if after := mustRevision(t, s); after <= before {
					t.Errorf("%s: revision %d after the update, was %d", step.name, after, before)
				}
			}
		}},
	}
}
