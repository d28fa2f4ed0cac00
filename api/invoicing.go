package api

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/authz"
)

// The AWS Invoicing API (invoicing/2024-12-01) on AWS's JSON 1.0
// protocol: POST / with X-Amz-Target: Invoicing.<Op> and a JSON body;
// errors are {"__type": "com.amazonaws.invoicing#<Code>", "message": ...}
// (plus reason and fieldList for ValidationException).
//
// Every operation is a billing operation (api/invoicing.go authorizeBilling):
// the IAM billing access switch, the account's billing permission model
// and, for GetInvoicePDF, the invoice entity rule decide it.

const (
	invoicingTargetPrefix = "Invoicing"
	invoicingErrorNS      = "com.amazonaws.invoicing#"
	// invoiceURLLifetime is how long a GetInvoicePDF DocumentUrl works.
	invoiceURLLifetime = 5 * time.Minute
	// invoicePDFPath is where presigned invoice documents are served.
	invoicePDFPath = "/_gatehouse/invoices/"
)

// epochTime is a JSON 1.0 timestamp: epoch seconds, as a number.
type epochTime struct{ time.Time }

func (e epochTime) MarshalJSON() ([]byte, error) {
	return []byte(strconv.FormatFloat(float64(e.UnixMilli())/1000, 'f', -1, 64)), nil
}

func (e *epochTime) UnmarshalJSON(b []byte) error {
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return errors.New("timestamp is not a number of seconds")
	}
	e.Time = time.UnixMilli(int64(f * 1000)).UTC()
	return nil
}

func epoch(t time.Time) *epochTime {
	if t.IsZero() {
		return nil
	}
	return &epochTime{t.UTC()}
}

// Wire shapes of the Invoicing API (the model's members only).
type (
	invoiceSummariesSelectorIn struct {
		ResourceType string
		Value        string
	}
	dateIntervalIn struct {
		StartDate *epochTime
		EndDate   *epochTime
	}
	billingPeriodDTO struct {
		Month *int `json:"Month,omitempty"`
		Year  *int `json:"Year,omitempty"`
	}
	invoiceSummariesFilterIn struct {
		TimeInterval    *dateIntervalIn
		BillingPeriod   *billingPeriodDTO
		InvoicingEntity string
		ReceiverRole    string
	}
	listInvoiceSummariesIn struct {
		Selector   *invoiceSummariesSelectorIn
		Filter     *invoiceSummariesFilterIn
		NextToken  *string
		MaxResults *int
	}
	entityDTO struct {
		InvoicingEntity string `json:"InvoicingEntity"`
	}
	currencyAmountDTO struct {
		TotalAmount  string `json:"TotalAmount"`
		CurrencyCode string `json:"CurrencyCode"`
	}
	invoiceSummaryDTO struct {
		AccountId             string             `json:"AccountId"`
		InvoiceId             string             `json:"InvoiceId"`
		IssuedDate            *epochTime         `json:"IssuedDate,omitempty"`
		DueDate               *epochTime         `json:"DueDate,omitempty"`
		Entity                entityDTO          `json:"Entity"`
		BillingPeriod         billingPeriodDTO   `json:"BillingPeriod"`
		InvoiceType           string             `json:"InvoiceType"`
		BaseCurrencyAmount    *currencyAmountDTO `json:"BaseCurrencyAmount,omitempty"`
		PaymentCurrencyAmount *currencyAmountDTO `json:"PaymentCurrencyAmount,omitempty"`
	}
	listInvoiceSummariesOut struct {
		InvoiceSummaries []invoiceSummaryDTO `json:"InvoiceSummaries"`
		NextToken        string              `json:"NextToken,omitempty"`
	}
	getInvoicePDFIn struct {
		InvoiceId string
	}
	supplementalDocumentDTO struct {
		DocumentType string `json:"DocumentType"`
		DocumentId   string `json:"DocumentId"`
	}
	invoicePDFDTO struct {
		InvoiceId                 string                    `json:"InvoiceId"`
		DocumentUrl               string                    `json:"DocumentUrl"`
		DocumentUrlExpirationDate *epochTime                `json:"DocumentUrlExpirationDate"`
		SupplementalDocuments     []supplementalDocumentDTO `json:"SupplementalDocuments"`
	}
	getInvoicePDFOut struct {
		InvoicePDF invoicePDFDTO `json:"InvoicePDF"`
	}
)

// invoicingValidation is a ValidationException on one member.
func invoicingValidation(reason, member, constraint string, value any) error {
	v := "null"
	if value != nil {
		v = "'" + strings.Trim(strings.ReplaceAll(jsonString(value), `"`, ``), " ") + "'"
	}
	msg := "1 validation error detected: Value " + v + " at '" + member + "' failed to satisfy constraint: " + constraint
	return &gatehouse.ValidationError{
		Err:    gatehouse.Errorf("ValidationException", "%s", msg),
		Reason: reason,
		Fields: []gatehouse.FieldError{{Name: member, Message: constraint}},
	}
}

func jsonString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// billingOp builds a row of a billing operation table: decode, then
// authorizeBilling for the operation's fine-grained action, then handle.
func billingOp[In any](name, action string, handle func(c *call, in *In) (any, error)) operation {
	return operation{name: name, run: func(c *call) (any, error) {
		in := new(In)
		if err := c.decode(in); err != nil {
			return nil, err
		}
		o := authz.Operation{Request: authz.Request{Action: action, Resource: "*", Revision: c.rev}, Billing: authz.BillingGated, Time: c.srv.now()}
		c.globalContext(&o.Context)
		if err := c.srv.Authz.Check(c.ctx, c.caller, &o); err != nil {
			return nil, err
		}
		return handle(c, in)
	}}
}

// invoiceEntityMessage words the denial of a root-only tax invoice
// (aws-reference §1.2 B3).
func invoiceEntityMessage(principalARN string, inv *gatehouse.Invoice) string {
	return "User: " + principalARN + " is not authorized to download invoice " + inv.InvoiceID +
		" because tax invoices issued by " + inv.InvoicingEntity + " can be downloaded by the account's root user only"
}

// invoicingOperations is the Invoicing operation table.
func invoicingOperations() []operation {
	return []operation{
		billingOp("ListInvoiceSummaries", "invoicing:ListInvoiceSummaries", listInvoiceSummaries),
		billingOp("GetInvoicePDF", "invoicing:GetInvoicePDF", getInvoicePDF),
	}
}

func listInvoiceSummaries(c *call, in *listInvoiceSummariesIn) (any, error) {
	if in.Selector == nil {
		return nil, invoicingValidation("fieldValidationFailed", "selector", "Member must not be null", nil)
	}
	switch in.Selector.ResourceType {
	case "ACCOUNT_ID", "INVOICE_ID":
	default:
		return nil, invoicingValidation("fieldValidationFailed", "selector.resourceType",
			"Member must satisfy enum value set: [ACCOUNT_ID, INVOICE_ID]", in.Selector.ResourceType)
	}
	max := 100
	if in.MaxResults != nil {
		if *in.MaxResults < 1 || *in.MaxResults > 100 {
			return nil, invoicingValidation("fieldValidationFailed", "maxResults",
				"Member must have value between 1 and 100", *in.MaxResults)
		}
		max = *in.MaxResults
	}
	f := in.Filter
	if f != nil {
		if bp := f.BillingPeriod; bp != nil {
			if bp.Month == nil || *bp.Month < 1 || *bp.Month > 12 {
				return nil, invoicingValidation("fieldValidationFailed", "filter.billingPeriod.month", "Member must have value between 1 and 12", valueOrNil(bp.Month))
			}
			if bp.Year == nil || *bp.Year < 2005 || *bp.Year > 2050 {
				return nil, invoicingValidation("fieldValidationFailed", "filter.billingPeriod.year", "Member must have value between 2005 and 2050", valueOrNil(bp.Year))
			}
		}
		if ti := f.TimeInterval; ti != nil && (ti.StartDate == nil || ti.EndDate == nil) {
			return nil, invoicingValidation("fieldValidationFailed", "filter.timeInterval", "StartDate and EndDate are required", nil)
		}
		switch f.ReceiverRole {
		case "", "SELLER", "RESELLER", "BUYER":
		default:
			return nil, invoicingValidation("fieldValidationFailed", "filter.receiverRole",
				"Member must satisfy enum value set: [SELLER, RESELLER, BUYER]", f.ReceiverRole)
		}
	}
	if in.Selector.ResourceType == "ACCOUNT_ID" && in.Selector.Value != c.account() {
		// Gatehouse has no organizations: an account sees its own invoices only.
		return nil, gatehouse.Errorf(gatehouse.EAccessDenied, "User: %s is not authorized to list the invoices of account %s",
			c.caller.ARN(), in.Selector.Value)
	}
	var all []*gatehouse.Invoice
	err := c.srv.Store.View(c.ctx, func(tx gatehouse.Tx) error {
		var err error
		all, err = tx.Invoices(c.account())
		return err
	})
	if err != nil {
		return nil, err
	}
	out := listInvoiceSummariesOut{InvoiceSummaries: []invoiceSummaryDTO{}}
	var matched []*gatehouse.Invoice
	for _, inv := range all {
		if in.Selector.ResourceType == "INVOICE_ID" && inv.InvoiceID != in.Selector.Value {
			continue
		}
		if f != nil {
			if bp := f.BillingPeriod; bp != nil && (inv.BillingPeriod.Year != *bp.Year || inv.BillingPeriod.Month != *bp.Month) {
				continue
			}
			if ti := f.TimeInterval; ti != nil && (inv.IssuedDate.Before(ti.StartDate.Time) || !inv.IssuedDate.Before(ti.EndDate.Time)) {
				continue
			}
			if f.InvoicingEntity != "" && f.InvoicingEntity != inv.InvoicingEntity {
				continue
			}
			if f.ReceiverRole != "" && f.ReceiverRole != "BUYER" { // Gatehouse's invoices are all bills to the account
				continue
			}
		}
		matched = append(matched, inv)
	}
	start := 0
	if in.NextToken != nil {
		raw, err := base64.RawURLEncoding.DecodeString(*in.NextToken)
		n, err2 := strconv.Atoi(string(raw))
		if err != nil || err2 != nil || n < 1 || n > len(matched) {
			return nil, invoicingValidation("invalidNextToken", "nextToken", "Member must be a token returned by an earlier call", nil)
		}
		start = n
	}
	end := min(start+max, len(matched))
	for _, inv := range matched[start:end] {
		amount := &currencyAmountDTO{TotalAmount: inv.TotalAmount, CurrencyCode: inv.Currency}
		y, m := inv.BillingPeriod.Year, inv.BillingPeriod.Month
		out.InvoiceSummaries = append(out.InvoiceSummaries, invoiceSummaryDTO{
			AccountId: inv.AccountID, InvoiceId: inv.InvoiceID,
			IssuedDate: epoch(inv.IssuedDate), DueDate: epoch(inv.DueDate),
			Entity:        entityDTO{InvoicingEntity: inv.InvoicingEntity},
			BillingPeriod: billingPeriodDTO{Month: &m, Year: &y},
			InvoiceType:   inv.Type, BaseCurrencyAmount: amount, PaymentCurrencyAmount: amount,
		})
	}
	if end < len(matched) {
		out.NextToken = base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(end)))
	}
	return out, nil
}

func valueOrNil(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

func getInvoicePDF(c *call, in *getInvoicePDFIn) (any, error) {
	if in.InvoiceId == "" {
		return nil, invoicingValidation("fieldValidationFailed", "invoiceId", "Member must not be null", nil)
	}
	var inv *gatehouse.Invoice
	err := c.srv.Store.View(c.ctx, func(tx gatehouse.Tx) error {
		var err error
		inv, err = tx.Invoice(c.account(), in.InvoiceId)
		return err
	})
	if err != nil {
		return nil, err
	}
	if inv.RootOnlyDocument() {
		// A root rule, not a policy: the request was allowed by policy, so
		// the audit record's decision is corrected to the explicit deny.
		// Root downloads these in the console: a root sign-in.
		resource := ""
		if rec := gatehouse.AuditFrom(c.ctx); rec != nil {
			resource = rec.Resource
		}
		if !c.caller.IsRoot() {
			return nil, authz.Deny(c.ctx, resource, invoiceEntityMessage(c.caller.ARN(), inv))
		}
		if err := c.srv.Authz.RequireConsoleSignIn(c.ctx, c.caller, "invoicing:GetInvoicePDF", resource); err != nil {
			return nil, err
		}
	}
	expires := c.srv.now().Add(invoiceURLLifetime).UTC().Truncate(time.Second)
	return getInvoicePDFOut{InvoicePDF: invoicePDFDTO{
		InvoiceId:                 inv.InvoiceID,
		DocumentUrl:               c.srv.invoiceURL(c.baseURL, inv.AccountID, inv.InvoiceID, expires),
		DocumentUrlExpirationDate: epoch(expires),
		SupplementalDocuments:     []supplementalDocumentDTO{},
	}}, nil
}

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

func (s *Server) invoiceSignature(account, id string, expires int64) string {
	m := hmac.New(sha256.New, s.urlKey())
	m.Write([]byte("gatehouse-invoice-pdf\n" + account + "\n" + id + "\n" + strconv.FormatInt(expires, 10)))
	return hex.EncodeToString(m.Sum(nil))
}

// invoiceURL returns the presigned URL of an invoice's PDF.
func (s *Server) invoiceURL(base, account, id string, expires time.Time) string {
	q := url.Values{}
	q.Set("account", account)
	q.Set("expires", strconv.FormatInt(expires.Unix(), 10))
	q.Set("signature", s.invoiceSignature(account, id, expires.Unix()))
	return base + invoicePDFPath + url.PathEscape(id) + ".pdf?" + q.Encode()
}

// serveInvoicePDF serves GET /_gatehouse/invoices/<id>.pdf?account=&expires=&signature=:
// the PDF of an invoice to whoever holds a URL GetInvoicePDF presigned;
// 403 when the URL is expired or does not carry a valid signature.
func (s *Server) serveInvoicePDF(w http.ResponseWriter, r *http.Request) {
	id, ok := strings.CutSuffix(r.PathValue("file"), ".pdf")
	q := r.URL.Query()
	account := q.Get("account")
	expires, err := strconv.ParseInt(q.Get("expires"), 10, 64)
	want := s.invoiceSignature(account, id, expires)
	if !ok || err != nil || !hmac.Equal([]byte(want), []byte(q.Get("signature"))) {
		http.Error(w, "Forbidden: the invoice URL is not valid.", http.StatusForbidden)
		return
	}
	if !s.now().Before(time.Unix(expires, 0)) {
		http.Error(w, "Forbidden: the invoice URL has expired.", http.StatusForbidden)
		return
	}
	var inv *gatehouse.Invoice
	err = s.Store.View(r.Context(), func(tx gatehouse.Tx) error {
		var err error
		inv, err = tx.Invoice(account, id)
		return err
	})
	if gatehouse.ErrorCode(err) == gatehouse.ENoSuchEntity {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		s.Logger.ErrorContext(r.Context(), "invoice pdf", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `inline; filename="`+id+`.pdf"`)
	w.Write(invoicePDF(inv))
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
