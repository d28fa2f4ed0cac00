package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse"
)

const importJSON = `[
  {"InvoiceId": "EU-2025-02", "BillingPeriod": {"Year": 2025, "Month": 2}, "IssuedDate": "2025-03-02T00:00:00Z",
   "DueDate": "2025-04-01T00:00:00Z", "InvoicingEntity": "Amazon Web Services EMEA SARL", "Type": "INVOICE",
   "TaxInvoice": true, "Currency": "EUR", "TotalAmount": "12.34", "Lines": [{"Description": "Amazon EC2", "Amount": "12.34"}]},
  {"InvoiceId": "US-2025-02", "BillingPeriod": {"Year": 2025, "Month": 2}, "IssuedDate": "2025-03-02T00:00:00Z",
   "InvoicingEntity": "Amazon Web Services, Inc.", "Type": "CREDIT_MEMO", "Currency": "USD", "TotalAmount": "-5.00"}
]`

func TestBillingImport(t *testing.T) {
	dir := seedMigrateDir(t)
	file := filepath.Join(t.TempDir(), "invoices.json")
	if err := os.WriteFile(file, []byte(importJSON), 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := runBilling(context.Background(), []string{"import", "--data", dir, file, "--account", migAcct1}, &stdout, &stderr); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), `"EU-2025-02"`) {
		t.Errorf("output %s", stdout.String())
	}
	st, err := (&storeConfig{dataDir: dir}).open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	err = st.View(context.Background(), func(tx gatehouse.Tx) error {
		all, err := tx.Invoices(migAcct1)
		if err != nil {
			return err
		}
		if len(all) != 2 || !all[0].TaxInvoice && !all[1].TaxInvoice {
			t.Errorf("invoices %+v", all)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestBillingImportRejects(t *testing.T) {
	dir := seedMigrateDir(t)
	for name, tc := range map[string]struct {
		body, account string
	}{
		"bad entity":      {strings.Replace(importJSON, "EMEA SARL", "Ltd", 1), migAcct1},
		"other account":   {strings.Replace(importJSON, `"InvoiceId": "EU`, `"AccountId": "333333333333", "InvoiceId": "EU`, 1), migAcct1},
		"unknown member":  {strings.Replace(importJSON, `"TaxInvoice"`, `"Vat"`, 1), migAcct1},
		"unknown account": {importJSON, "999999999999"},
	} {
		t.Run(name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "invoices.json")
			os.WriteFile(file, []byte(tc.body), 0o600)
			var stdout, stderr bytes.Buffer
			if code := runBilling(context.Background(), []string{"import", "--data", dir, "--account", tc.account, file}, &stdout, &stderr); code == exitOK {
				t.Fatalf("exit 0: %s", stdout.String())
			}
			if stderr.Len() == 0 {
				t.Error("no message")
			}
		})
	}
}
