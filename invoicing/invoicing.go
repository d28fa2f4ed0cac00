// Package invoicing is the business of AWS Invoicing: an account's invoices, their listing and paging, and their presigned PDF documents.
package invoicing

import (
	"context"
	"encoding/base64"
	"errors"
	"strconv"
	"time"

	"github.com/gatehouse-dev/gatehouse"
)

// Tx is what the service reads in the store.
type Tx interface {
	// Invoice returns CodeNotFound for an unknown invoice.
	Invoice(accountID, invoiceID string) (*gatehouse.Invoice, error)
	// Invoices lists an account's invoices, newest issued first (then by
	// ID).
	Invoices(accountID string) ([]*gatehouse.Invoice, error)
}

// Service reads invoices and signs and serves their documents.
type Service struct {
	// Store is the server's store seen through Tx
	// (gatehouse.Narrow[invoicing.Tx]).
	Store *gatehouse.TxStore[Tx]
	// URLKey returns the key presigned document URLs are signed with.
	URLKey func() []byte
}

// ErrBadToken is returned by List for a next token no earlier call
// returned.
var ErrBadToken = errors.New("invoicing: invalid next token")

// Interval is a half-open interval of issue dates: [Start, End).
type Interval struct{ Start, End time.Time }

// Filter selects invoices; its zero value selects all.
type Filter struct {
	// InvoiceID, when not nil, selects that invoice only.
	InvoiceID *string
	// Period, when set, selects the invoices of that billing period.
	Period *gatehouse.BillingPeriod
	// Issued, when set, selects invoices issued in the interval.
	Issued *Interval
	// Entity, when set, selects the invoices of that invoicing entity.
	Entity string
	// ReceiverRole, when set, selects invoices the account receives in
	// that role (SELLER, RESELLER or BUYER).
	ReceiverRole string
}

// Match reports whether the filter selects inv.
func (f *Filter) Match(inv *gatehouse.Invoice) bool {
	switch {
	case f.InvoiceID != nil && inv.InvoiceID != *f.InvoiceID:
		return false
	case f.Period != nil && inv.BillingPeriod != *f.Period:
		return false
	case f.Issued != nil && (inv.IssuedDate.Before(f.Issued.Start) || !inv.IssuedDate.Before(f.Issued.End)):
		return false
	case f.Entity != "" && f.Entity != inv.InvoicingEntity:
		return false
	case f.ReceiverRole != "" && f.ReceiverRole != "BUYER": // Gatehouse's invoices are all bills to the account
		return false
	}
	return true
}

// Page is one page of a listing.
type Page struct {
	Invoices []*gatehouse.Invoice
	// Next is the token of the next page; "" on the last.
	Next string
}

// List returns a page of at most max of the account's invoices the
// filter selects, newest issued first, from the page token names (nil:
// the first page). A token no earlier call returned is ErrBadToken.
func (s *Service) List(ctx context.Context, accountID string, f Filter, token *string, max int) (Page, error) {
	var all []*gatehouse.Invoice
	err := s.Store.View(ctx, func(tx Tx) error {
		var err error
		all, err = tx.Invoices(accountID)
		return err
	})
	if err != nil {
		return Page{}, err
	}
	var matched []*gatehouse.Invoice
	for _, inv := range all {
		if f.Match(inv) {
			matched = append(matched, inv)
		}
	}
	return paginate(matched, token, max)
}

// paginate cuts a page of at most max invoices out of matched. A token
// is the index of the page's first invoice, base64url-encoded.
func paginate(matched []*gatehouse.Invoice, token *string, max int) (Page, error) {
	start := 0
	if token != nil {
		raw, err := base64.RawURLEncoding.DecodeString(*token)
		n, err2 := strconv.Atoi(string(raw))
		if err != nil || err2 != nil || n < 1 || n > len(matched) {
			return Page{}, ErrBadToken
		}
		start = n
	}
	end := min(start+max, len(matched))
	p := Page{Invoices: matched[start:end]}
	if end < len(matched) {
		p.Next = base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(end)))
	}
	return p, nil
}

// Invoice returns one of the account's invoices (CodeNotFound when it
// has none of that ID).
func (s *Service) Invoice(ctx context.Context, accountID, invoiceID string) (*gatehouse.Invoice, error) {
	var inv *gatehouse.Invoice
	err := s.Store.View(ctx, func(tx Tx) error {
		var err error
		inv, err = tx.Invoice(accountID, invoiceID)
		return err
	})
	return inv, err
}
