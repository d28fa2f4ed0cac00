package invoicing

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/url"
	"strconv"
	"time"

	"github.com/gatehouse-dev/gatehouse"
)

const (
	// URLLifetime is how long a GetInvoicePDF DocumentUrl works.
	URLLifetime = 5 * time.Minute
	// PDFPath is where presigned invoice documents are served.
	PDFPath = "/_gatehouse/invoices/"
)

// Errors of Download: the URL is not one the service signed, or it has
// expired.
var (
	ErrURLInvalid = errors.New("invoicing: the invoice URL is not valid")
	ErrURLExpired = errors.New("invoicing: the invoice URL has expired")
)

func (s *Service) signature(account, id string, expires int64) string {
	m := hmac.New(sha256.New, s.URLKey())
	m.Write([]byte("gatehouse-invoice-pdf\n" + account + "\n" + id + "\n" + strconv.FormatInt(expires, 10)))
	return hex.EncodeToString(m.Sum(nil))
}

// DocumentURL returns the presigned URL of an invoice's PDF, served under
// base (scheme://host), and when it expires: URLLifetime from now, to the
// second.
func (s *Service) DocumentURL(base string, inv *gatehouse.Invoice, now time.Time) (string, time.Time) {
	expires := now.Add(URLLifetime).UTC().Truncate(time.Second)
	q := url.Values{}
	q.Set("account", inv.AccountID)
	q.Set("expires", strconv.FormatInt(expires.Unix(), 10))
	q.Set("signature", s.signature(inv.AccountID, inv.InvoiceID, expires.Unix()))
	return base + PDFPath + url.PathEscape(inv.InvoiceID) + ".pdf?" + q.Encode(), expires
}

// Download checks the parts of a presigned URL (ErrURLInvalid,
// ErrURLExpired) and returns the invoice's PDF.
func (s *Service) Download(ctx context.Context, account, id string, expires int64, signature string, now time.Time) ([]byte, error) {
	if !hmac.Equal([]byte(s.signature(account, id, expires)), []byte(signature)) {
		return nil, ErrURLInvalid
	}
	if !now.Before(time.Unix(expires, 0)) {
		return nil, ErrURLExpired
	}
	inv, err := s.Invoice(ctx, account, id)
	if err != nil {
		return nil, err
	}
	return PDF(inv), nil
}
