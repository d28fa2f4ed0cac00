package storetest

import (
	"testing"

	"github.com/gatehouse-dev/gatehouse"
)

// fullSettings returns account settings with every field set.
func fullSettings() *gatehouse.AccountSettings {
	return &gatehouse.AccountSettings{
		Contact: &gatehouse.ContactInformation{
			FullName: "Jane Doe", AddressLine1: "1 Main St", AddressLine2: "Suite 2", AddressLine3: "Floor 3",
			City: "Seattle", StateOrRegion: "WA", DistrictOrCounty: "King", PostalCode: "98101", CountryCode: "US",
			PhoneNumber: "+1 206-555-0100", CompanyName: "Example \"Corp\"", WebsiteURL: "https://example.com",
		},
		AlternateContacts: []gatehouse.AlternateContact{
			{Type: gatehouse.ContactBilling, Name: "Bill", Title: "CFO", EmailAddress: "bill@example.com", PhoneNumber: "+1 555"},
			{Type: gatehouse.ContactSecurity, Name: "Sec", Title: "CISO", EmailAddress: "sec@example.com", PhoneNumber: "(555) 0100"},
		},
		Regions: map[string]gatehouse.RegionOptStatus{
			"af-south-1": gatehouse.RegionEnabled, "me-south-1": gatehouse.RegionDisabled,
		},
		PasswordPolicy: &gatehouse.PasswordPolicy{
			MinimumPasswordLength: 14, RequireSymbols: true, RequireNumbers: true, RequireUppercaseCharacters: true,
			RequireLowercaseCharacters: true, AllowUsersToChangePassword: true, MaxPasswordAge: 90,
			PasswordReusePrevention: 24, HardExpiry: true,
		},
	}
}

func accountSettingsTests() []test {
	return []test{
		{"EmptyByDefault", func(t *testing.T, s gatehouse.Store) {
			seedAccounts(t, s)
			mustView(t, s, func(tx gatehouse.Tx) error {
				got, err := tx.AccountSettings(acct1)
				if err != nil {
					return err
				}
				wantEqual(t, "settings", got, &gatehouse.AccountSettings{})
				return nil
			})
		}},
		{"PutGet", func(t *testing.T, s gatehouse.Store) {
			seedAccounts(t, s)
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.PutAccountSettings(acct1, fullSettings()) })
			mustView(t, s, func(tx gatehouse.Tx) error {
				got, err := tx.AccountSettings(acct1)
				if err != nil {
					return err
				}
				wantEqual(t, "settings", got, fullSettings())
				other, err := tx.AccountSettings(acct2)
				if err != nil {
					return err
				}
				wantEqual(t, "other account's settings", other, &gatehouse.AccountSettings{})
				return nil
			})
		}},
		{"Replace", func(t *testing.T, s gatehouse.Store) {
			seedAccounts(t, s)
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.PutAccountSettings(acct1, fullSettings()) })
			// Alternate contacts come back sorted by type, whatever the
			// order put.
			want := &gatehouse.AccountSettings{AlternateContacts: []gatehouse.AlternateContact{
				{Type: gatehouse.ContactOperations, Name: "Ops", Title: "SRE", EmailAddress: "ops@example.com", PhoneNumber: "+1"},
				{Type: gatehouse.ContactBilling, Name: "B", Title: "T", EmailAddress: "b@example.com", PhoneNumber: "1"},
			}}
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.PutAccountSettings(acct1, want) })
			mustView(t, s, func(tx gatehouse.Tx) error {
				got, err := tx.AccountSettings(acct1)
				if err != nil {
					return err
				}
				want.AlternateContacts[0], want.AlternateContacts[1] = want.AlternateContacts[1], want.AlternateContacts[0]
				wantEqual(t, "settings", got, want)
				return nil
			})
		}},
		{"RevisionMoves", func(t *testing.T, s gatehouse.Store) {
			seedAccounts(t, s)
			before := mustRevision(t, s)
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.PutAccountSettings(acct1, fullSettings()) })
			if after := mustRevision(t, s); after <= before {
				t.Errorf("revision %d after a put, was %d", after, before)
			}
		}},
		{"Errors", func(t *testing.T, s gatehouse.Store) {
			seedAccounts(t, s)
			runErrorCases(t, s, []errorCase{
				{"GetUnknownAccount", func(tx gatehouse.Tx) error { _, err := tx.AccountSettings("999999999999"); return err },
					gatehouse.CodeNotFound},
				{"PutUnknownAccount", func(tx gatehouse.Tx) error {
					return tx.PutAccountSettings("999999999999", fullSettings())
				}, gatehouse.CodeNotFound},
			})
		}},
	}
}
