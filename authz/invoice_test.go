package authz_test

import (
	"context"
	"errors"
	"testing"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/authz"
)

// TestInvoiceDocument: the tax invoices of AWS Inc. and AISPL are for
// the root user's console sign-in only; every other invoice is for
// whoever policy allows.
func TestInvoiceDocument(t *testing.T) {
	account := &gatehouse.Account{ID: acct, Email: "r@example.com"}
	user := &gatehouse.User{AccountID: acct, Name: "alice", ID: "AIDAALICE0000000000", Path: "/"}
	root := &authz.Caller{Account: account}
	rootSignIn := &authz.Caller{Account: account, Session: &gatehouse.Session{SignIn: true, MFAAuthenticated: true}}
	alice := &authz.Caller{Account: account, User: user}
	inv := func(entity string, tax bool) *gatehouse.Invoice {
		return &gatehouse.Invoice{AccountID: acct, InvoiceID: "I-1", InvoicingEntity: entity, TaxInvoice: tax}
	}
	for _, c := range []struct {
		name   string
		caller *authz.Caller
		inv    *gatehouse.Invoice
		want   string // "" allowed, else the denial's message prefix
	}{
		{"user, plain invoice", alice, inv(gatehouse.EntityAWSInc, false), ""},
		{"user, EMEA tax invoice", alice, inv(gatehouse.EntityAWSEMEA, true), ""},
		{"user, AWS Inc. tax invoice", alice, inv(gatehouse.EntityAWSInc, true),
			"User: arn:aws:iam::" + acct + ":user/alice is not authorized to download invoice I-1 because tax invoices issued by " +
				gatehouse.EntityAWSInc + " can be downloaded by the account's root user only"},
		{"user, AISPL tax invoice", alice, inv(gatehouse.EntityAWSAISPL, true),
			"User: arn:aws:iam::" + acct + ":user/alice is not authorized to download invoice I-1 because tax invoices issued by " +
				gatehouse.EntityAWSAISPL + " can be downloaded by the account's root user only"},
		{"root key, AWS Inc. tax invoice", root, inv(gatehouse.EntityAWSInc, true), "User: arn:aws:iam::" + acct + ":root is not authorized to perform: invoicing:GetInvoicePDF"},
		{"root sign-in, AWS Inc. tax invoice", rootSignIn, inv(gatehouse.EntityAWSInc, true), ""},
		{"root key, plain invoice", root, inv(gatehouse.EntityAWSInc, false), ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := (&authz.Authorizer{}).InvoiceDocument(context.Background(), c.caller, c.inv)
			if c.want == "" {
				if err != nil {
					t.Fatalf("InvoiceDocument = %v, want allowed", err)
				}
				return
			}
			var ge *gatehouse.Error
			if !errors.As(err, &ge) || ge.Code != gatehouse.CodeDenied || len(ge.Message) < len(c.want) || ge.Message[:len(c.want)] != c.want {
				t.Fatalf("InvoiceDocument = %v, want AccessDenied %q", err, c.want)
			}
		})
	}
}

// TestInvoiceAccount: an account lists its own invoices only.
func TestInvoiceAccount(t *testing.T) {
	account := &gatehouse.Account{ID: acct, Email: "r@example.com"}
	root := &authz.Caller{Account: account}
	for _, c := range []struct {
		account string
		ok      bool
	}{{acct, true}, {"999999999999", false}, {"", false}} {
		err := authz.InvoiceAccount(root, c.account)
		if (err == nil) != c.ok {
			t.Errorf("InvoiceAccount(%q) = %v, want ok %v", c.account, err, c.ok)
		}
		if err != nil && gatehouse.ErrorCode(err) != gatehouse.CodeDenied {
			t.Errorf("InvoiceAccount(%q) code = %s", c.account, gatehouse.ErrorCode(err))
		}
	}
}
