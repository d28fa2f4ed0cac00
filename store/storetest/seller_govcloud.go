package storetest

import (
	"testing"

	"github.com/gatehouse-dev/gatehouse"
)

// sellerGovCloudTests cover tax registrations, seller profiles, GovCloud
// accounts and support cases.
func sellerGovCloudTests() []test {
	return []test{
		{"TaxRegistrationPutGet", func(t *testing.T, s gatehouse.Store) {
			seedAccounts(t, s)
			mustView(t, s, func(tx gatehouse.Tx) error {
				_, err := tx.TaxRegistration(acct1)
				wantCode(t, err, gatehouse.CodeNotFound)
				return nil
			})
			want := gatehouse.TaxRegistration{AccountID: acct1, RegistrationID: "B", RegistrationType: "VAT", LegalName: "Example GmbH",
				LegalAddress: &gatehouse.TaxAddress{Line1: "Str. 1", City: "Berlin", PostalCode: "10115", CountryCode: "DE"},
				Sector:       "Business", CertifiedEmail: "tax@example.com", AdditionalInfo: []byte(`{"a":1}`), Status: "Verified", UpdatedAt: at(1)}
			for i, id := range []string{"A", "B"} {
				r := want
				r.RegistrationID, r.UpdatedAt = id, at(i)
				mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.PutTaxRegistration(&r) })
			}
			mustView(t, s, func(tx gatehouse.Tx) error {
				r, err := tx.TaxRegistration(acct1)
				if err != nil {
					return err
				}
				wantEqual(t, "registration", *r, want)
				_, err = tx.TaxRegistration(acct2)
				wantCode(t, err, gatehouse.CodeNotFound)
				return nil
			})
		}},
		{"SellerProfileRoundTrip", func(t *testing.T, s gatehouse.Store) {
			seedAccounts(t, s)
			want := gatehouse.SellerProfile{AccountID: acct1, LegalName: "Seller", BankAccount: "12345678",
				RoutingNumber: "021000021", TaxID: "123456789", Status: gatehouse.SellerRegistered, RegisteredAt: at(3)}
			p := want
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.PutSellerProfile(&p) })
			mustView(t, s, func(tx gatehouse.Tx) error {
				got, err := tx.SellerProfile(acct1)
				if err != nil {
					return err
				}
				if got.BankAccount.Reveal() != "12345678" || got.RoutingNumber.Reveal() != "021000021" || got.TaxID.Reveal() != "123456789" {
					t.Errorf("secrets did not round-trip")
				}
				wantEqual(t, "profile", *got, want)
				_, err = tx.SellerProfile(acct2)
				wantCode(t, err, gatehouse.CodeNotFound)
				return nil
			})
		}},
		{"GovCloudAndCases", func(t *testing.T, s gatehouse.Store) {
			seedAccounts(t, s)
			g := &gatehouse.GovCloudAccount{ID: "999999999999", StandardAccountID: acct1, State: gatehouse.AccountActive, CreatedAt: at(1)}
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.CreateGovCloudAccount(g) })
			runErrorCases(t, s, []errorCase{
				{"SecondForSameAccount", func(tx gatehouse.Tx) error {
					return tx.CreateGovCloudAccount(&gatehouse.GovCloudAccount{ID: "999999999998", StandardAccountID: acct1, State: "ACTIVE"})
				}, gatehouse.CodeAlreadyExists},
				{"IDOfAnAccount", func(tx gatehouse.Tx) error {
					return tx.CreateGovCloudAccount(&gatehouse.GovCloudAccount{ID: acct2, StandardAccountID: "333333333333", State: "ACTIVE"})
				}, gatehouse.CodeAlreadyExists},
				{"UnknownCase", func(tx gatehouse.Tx) error { _, err := tx.SupportCase("nope"); return err }, gatehouse.CodeNotFound},
				{"UpdateUnknownCase", func(tx gatehouse.Tx) error {
					return tx.UpdateSupportCase(&gatehouse.SupportCase{ID: "nope", Status: "RESOLVED"})
				}, gatehouse.CodeNotFound},
			})
			g.RootKeyID, g.RootKeySecret, g.RootKeyCreatedAt = "AKIAGOVCLOUDROOT0001", "govcloud-secret", at(5)
			c := &gatehouse.SupportCase{ID: "case-1", AccountID: acct1, Kind: gatehouse.CaseGovCloudRootKeys, Subject: "keys",
				Status: gatehouse.CaseOpen, CreatedAt: at(2)}
			mustUpdate(t, s, func(tx gatehouse.Tx) error {
				if err := tx.UpdateGovCloudAccount(g); err != nil {
					return err
				}
				if err := tx.CreateSupportCase(c); err != nil {
					return err
				}
				c.Status, c.ResolvedAt = gatehouse.CaseResolved, at(6)
				return tx.UpdateSupportCase(c)
			})
			mustView(t, s, func(tx gatehouse.Tx) error {
				got, err := tx.GovCloudAccount(acct1)
				if err != nil {
					return err
				}
				wantEqual(t, "GovCloud account", *got, *g)
				if got.RootARN() != "arn:aws-us-gov:iam::999999999999:root" {
					t.Errorf("root ARN %s", got.RootARN())
				}
				gotCase, err := tx.SupportCase("case-1")
				if err != nil {
					return err
				}
				wantEqual(t, "case", *gotCase, *c)
				_, err = tx.GovCloudAccount(acct2)
				wantCode(t, err, gatehouse.CodeNotFound)
				return nil
			})
		}},
	}
}
