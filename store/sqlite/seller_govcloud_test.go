package sqlite_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/gatehouse-dev/gatehouse"
)

// TestSellerSecretsSealed checks that the seller's bank account, routing
// number and tax ID, and a GovCloud root secret, are not in the database
// files in plaintext.
func TestSellerSecretsSealed(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "gatehouse.db")
	s := MustOpen(t, path)
	ctx := context.Background()
	secrets := []string{"SECRETBANK4242424242", "SECRETROUTE777", "SECRETTAX999", "SECRETGOVCLOUDROOTKEY"}
	err := s.Update(ctx, func(tx gatehouse.Tx) error {
		if err := tx.CreateAccount(&gatehouse.Account{ID: "111111111111", Email: "a@example.com"}); err != nil {
			return err
		}
		if err := tx.PutSellerProfile(&gatehouse.SellerProfile{AccountID: "111111111111", LegalName: "Seller",
			BankAccount: gatehouse.Secret(secrets[0]), RoutingNumber: gatehouse.Secret(secrets[1]), TaxID: gatehouse.Secret(secrets[2]),
			Status: gatehouse.SellerRegistered}); err != nil {
			return err
		}
		return tx.CreateGovCloudAccount(&gatehouse.GovCloudAccount{ID: "999999999999", StandardAccountID: "111111111111",
			State: gatehouse.AccountActive, RootKeyID: "AKIAGOVCLOUDROOT0001", RootKeySecret: gatehouse.Secret(secrets[3])})
	})
	if err != nil {
		t.Fatal(err)
	}
	MustClose(t, s)
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(files) == 0 {
		t.Fatal("no database files")
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, secret := range secrets {
			if bytes.Contains(b, []byte(secret)) {
				t.Errorf("%s holds %s in plaintext", f, secret)
			}
		}
		if bytes.Contains(b, []byte("Seller")) {
			t.Logf("%s holds the legal name (not a secret), as expected", filepath.Base(f))
		}
	}
	s = MustOpen(t, path)
	s.View(ctx, func(tx gatehouse.Tx) error {
		p, err := tx.SellerProfile("111111111111")
		if err != nil || p.TaxID.Reveal() != secrets[2] {
			t.Errorf("reopened profile: %v %v", p, err)
		}
		return nil
	})
}

// populateSellerGovCloud writes a row in each table of migration 0008
// (for populate).
func populateSellerGovCloud(tx gatehouse.Tx, acct string) error {
	if err := tx.PutTaxRegistration(&gatehouse.TaxRegistration{AccountID: acct, RegistrationID: "DE1", Status: "Verified"}); err != nil {
		return err
	}
	if err := tx.PutSellerProfile(&gatehouse.SellerProfile{AccountID: acct, LegalName: "S", BankAccount: "1234",
		RoutingNumber: "021000021", TaxID: "123456789", Status: gatehouse.SellerRegistered}); err != nil {
		return err
	}
	if err := tx.CreateGovCloudAccount(&gatehouse.GovCloudAccount{ID: "987654321098", StandardAccountID: acct, State: "ACTIVE"}); err != nil {
		return err
	}
	return tx.CreateSupportCase(&gatehouse.SupportCase{ID: "case-1", AccountID: acct, Kind: gatehouse.CaseGovCloudRootKeys,
		Subject: "keys", Status: gatehouse.CaseOpen})
}
