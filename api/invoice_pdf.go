package api

import (
	"crypto/rand"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/invoicing"
)

// The edge of the AWS Invoicing API (package api/invoicingops has its
// operations): the presigned invoice documents GetInvoicePDF hands out
// are served here, by an unsigned GET.

// urlKey returns the key presigned invoice URLs are signed with: the
// Server's URLKey, else a random key made once per process (URLs then
// stop working when the server restarts, well within their lifetime
// in most cases).
func (s *Server) urlKey() []byte {
	s.urlKeyOnce.Do(func() {
		if len(s.URLKey) > 0 {
			s.urlKeyVal = s.URLKey
			return
		}
		s.urlKeyVal = make([]byte, 32)
		rand.Read(s.urlKeyVal)
	})
	return s.urlKeyVal
}

// serveInvoicePDF serves GET /_gatehouse/invoices/<id>.pdf?account=&expires=&signature=:
// the PDF of an invoice to whoever holds a URL GetInvoicePDF presigned;
// 403 when the URL is expired or does not carry a valid signature.
func (s *Server) serveInvoicePDF(w http.ResponseWriter, r *http.Request) {
	id, ok := strings.CutSuffix(r.PathValue("file"), ".pdf")
	q := r.URL.Query()
	expires, err := strconv.ParseInt(q.Get("expires"), 10, 64)
	if !ok || err != nil {
		http.Error(w, "Forbidden: the invoice URL is not valid.", http.StatusForbidden)
		return
	}
	pdf, err := s.invoices.Download(r.Context(), q.Get("account"), id, expires, q.Get("signature"), s.now())
	switch {
	case errors.Is(err, invoicing.ErrURLInvalid):
		http.Error(w, "Forbidden: the invoice URL is not valid.", http.StatusForbidden)
		return
	case errors.Is(err, invoicing.ErrURLExpired):
		http.Error(w, "Forbidden: the invoice URL has expired.", http.StatusForbidden)
		return
	case gatehouse.ErrorCode(err) == gatehouse.CodeNotFound:
		http.NotFound(w, r)
		return
	case err != nil:
		s.Logger.ErrorContext(r.Context(), "invoice pdf", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `inline; filename="`+id+`.pdf"`)
	w.Write(pdf)
}

// baseURL returns scheme://host of the request, for URLs that point back
// at this server.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
