package invoicing_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/invoicing"
)

const acct = "111122223333"

// fakeTx holds an account's invoices, newest issued first; every other
// Tx method is the nil interface's (and panics).
type fakeTx struct {
	gatehouse.Tx
	invoices []*gatehouse.Invoice
}

func (t *fakeTx) Invoices(accountID string) ([]*gatehouse.Invoice, error) {
	var out []*gatehouse.Invoice
	for _, i := range t.invoices {
		if i.AccountID == accountID {
			out = append(out, i)
		}
	}
	return out, nil
}

func (t *fakeTx) Invoice(accountID, id string) (*gatehouse.Invoice, error) {
	for _, i := range t.invoices {
		if i.AccountID == accountID && i.InvoiceID == id {
			return i, nil
		}
	}
	return nil, gatehouse.Errorf(gatehouse.CodeNotFound, "Invoice %s cannot be found.", id)
}

type fakeStore struct {
	gatehouse.Store
	tx *fakeTx
}

func (s *fakeStore) View(_ context.Context, fn func(gatehouse.Tx) error) error { return fn(s.tx) }

func day(d int) time.Time { return time.Date(2025, 3, d, 0, 0, 0, 0, time.UTC) }

func invoice(id string, month, issued int, entity string) *gatehouse.Invoice {
	return &gatehouse.Invoice{AccountID: acct, InvoiceID: id, BillingPeriod: gatehouse.BillingPeriod{Year: 2025, Month: month},
		IssuedDate: day(issued), InvoicingEntity: entity, Type: gatehouse.InvoiceTypeInvoice, Currency: "USD", TotalAmount: "1.00"}
}

func service() *invoicing.Service {
	tx := &fakeTx{invoices: []*gatehouse.Invoice{
		invoice("C", 3, 20, gatehouse.EntityAWSInc),
		invoice("B", 2, 10, gatehouse.EntityAWSEMEA),
		invoice("A", 1, 1, gatehouse.EntityAWSInc),
		{AccountID: "999999999999", InvoiceID: "X", IssuedDate: day(5)},
	}}
	return &invoicing.Service{Store: gatehouse.Narrow[invoicing.Tx](&fakeStore{tx: tx}), URLKey: func() []byte { return []byte("key") }}
}

func ids(is []*gatehouse.Invoice) []string {
	out := []string{}
	for _, i := range is {
		out = append(out, i.InvoiceID)
	}
	return out
}

func TestList(t *testing.T) {
	str := func(s string) *string { return &s }
	tests := []struct {
		name   string
		filter invoicing.Filter
		want   []string
	}{
		{"all", invoicing.Filter{}, []string{"C", "B", "A"}},
		{"by ID", invoicing.Filter{InvoiceID: str("B")}, []string{"B"}},
		{"by empty ID", invoicing.Filter{InvoiceID: str("")}, []string{}},
		{"by period", invoicing.Filter{Period: &gatehouse.BillingPeriod{Year: 2025, Month: 1}}, []string{"A"}},
		{"by other year", invoicing.Filter{Period: &gatehouse.BillingPeriod{Year: 2024, Month: 1}}, []string{}},
		{"issued in [10, 20)", invoicing.Filter{Issued: &invoicing.Interval{Start: day(10), End: day(20)}}, []string{"B"}},
		{"by entity", invoicing.Filter{Entity: gatehouse.EntityAWSInc}, []string{"C", "A"}},
		{"as buyer", invoicing.Filter{ReceiverRole: "BUYER"}, []string{"C", "B", "A"}},
		{"as seller", invoicing.Filter{ReceiverRole: "SELLER"}, []string{}},
	}
	s := service()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := s.List(context.Background(), acct, tt.filter, nil, 100)
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(p.Invoices); !slices.Equal(got, tt.want) || p.Next != "" {
				t.Errorf("List = %v next %q, want %v", got, p.Next, tt.want)
			}
		})
	}
}

func TestListPages(t *testing.T) {
	s := service()
	var got []string
	var token *string
	for range 4 {
		p, err := s.List(context.Background(), acct, invoicing.Filter{}, token, 2)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, ids(p.Invoices)...)
		if p.Next == "" {
			break
		}
		token = &p.Next
	}
	if !slices.Equal(got, []string{"C", "B", "A"}) {
		t.Errorf("pages = %v", got)
	}
	for _, bad := range []string{"", "x", "MA", "NA", "-1", "MTA"} { // "MA" is "0", "NA" is "4" (past the end), "MTA" is "10"
		if _, err := s.List(context.Background(), acct, invoicing.Filter{}, &bad, 2); !errors.Is(err, invoicing.ErrBadToken) {
			t.Errorf("token %q: err = %v, want ErrBadToken", bad, err)
		}
	}
}

func TestDocumentURL(t *testing.T) {
	s := service()
	now := time.Date(2025, 3, 1, 12, 0, 0, 500, time.UTC)
	inv := invoice("A", 1, 1, gatehouse.EntityAWSInc)
	raw, expires := s.DocumentURL("http://h", inv, now)
	if !expires.Equal(time.Date(2025, 3, 1, 12, 5, 0, 0, time.UTC)) {
		t.Errorf("expires = %v", expires)
	}
	u, err := url.Parse(raw)
	if err != nil || u.Path != invoicing.PDFPath+"A.pdf" || u.Query().Get("account") != acct ||
		u.Query().Get("expires") != strconv.FormatInt(expires.Unix(), 10) {
		t.Fatalf("DocumentURL = %s", raw)
	}
	// The signature is HMAC-SHA256 over "gatehouse-invoice-pdf\n<account>\n<id>\n<expires>"
	// with the URL key: pinned, so URLs signed before a change still verify.
	m := hmac.New(sha256.New, []byte("key"))
	m.Write([]byte("gatehouse-invoice-pdf\n" + acct + "\nA\n" + strconv.FormatInt(expires.Unix(), 10)))
	if got, want := u.Query().Get("signature"), hex.EncodeToString(m.Sum(nil)); got != want {
		t.Errorf("signature = %s, want %s", got, want)
	}
	sig := u.Query().Get("signature")
	tests := []struct {
		name             string
		account, id, sig string
		expires          int64
		at               time.Time
		want             error
	}{
		{"valid", acct, "A", sig, expires.Unix(), now, nil},
		{"last second", acct, "A", sig, expires.Unix(), expires.Add(-time.Second), nil},
		{"expired", acct, "A", sig, expires.Unix(), expires, invoicing.ErrURLExpired},
		{"other invoice", acct, "B", sig, expires.Unix(), now, invoicing.ErrURLInvalid},
		{"other account", "999999999999", "A", sig, expires.Unix(), now, invoicing.ErrURLInvalid},
		{"later expiry", acct, "A", sig, expires.Unix() + 60, now, invoicing.ErrURLInvalid},
		{"no signature", acct, "A", "", expires.Unix(), now, invoicing.ErrURLInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pdf, err := s.Download(context.Background(), tt.account, tt.id, tt.expires, tt.sig, tt.at)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Download = %v, want %v", err, tt.want)
			}
			if err == nil && !bytes.HasPrefix(pdf, []byte("%PDF-1.4\n")) {
				t.Errorf("Download = %q, want a PDF", pdf[:min(len(pdf), 20)])
			}
		})
	}
}

func TestDownloadUnknown(t *testing.T) {
	s := service()
	_, expires := s.DocumentURL("http://h", &gatehouse.Invoice{AccountID: acct, InvoiceID: "Z"}, day(1))
	raw, _ := s.DocumentURL("http://h", &gatehouse.Invoice{AccountID: acct, InvoiceID: "Z"}, day(1))
	u, _ := url.Parse(raw)
	_, err := s.Download(context.Background(), acct, "Z", expires.Unix(), u.Query().Get("signature"), day(1))
	if gatehouse.ErrorCode(err) != gatehouse.CodeNotFound {
		t.Errorf("Download of an unknown invoice = %v, want %s", err, gatehouse.CodeNotFound)
	}
}

func TestPDF(t *testing.T) {
	tests := []struct {
		name string
		inv  *gatehouse.Invoice
		want []string
	}{
		{"invoice", invoice("A", 1, 1, gatehouse.EntityAWSInc), []string{"(Invoice A)", "(Billing period: 2025-01)", "(Issued: 2025-03-01)", "(Due: -)"}},
		{"tax invoice", &gatehouse.Invoice{InvoiceID: "T", TaxInvoice: true}, []string{"(Tax invoice T)"}},
		{"credit memo", &gatehouse.Invoice{InvoiceID: "M", Type: gatehouse.InvoiceTypeCreditMemo, TaxInvoice: true}, []string{"(Credit memo M)"}},
		{"escaped", &gatehouse.Invoice{InvoiceID: "E", Lines: []gatehouse.InvoiceLine{{Description: `a(b)\é`, Amount: "1"}}},
			[]string{`(a\(b\)\\?: 1 ) Tj`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pdf := string(invoicing.PDF(tt.inv))
			if !strings.HasPrefix(pdf, "%PDF-1.4\n") || !strings.HasSuffix(pdf, "%%EOF\n") {
				t.Fatalf("not a PDF: %q", pdf)
			}
			for _, w := range tt.want {
				if !strings.Contains(pdf, w) {
					t.Errorf("PDF lacks %q:\n%s", w, pdf)
				}
			}
		})
	}
}
