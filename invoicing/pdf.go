package invoicing

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/gatehouse-dev/gatehouse"
)

// PDF renders an invoice as a one-page PDF 1.4 document: Helvetica
// text lines (the standard font needs no embedding), one content stream,
// a correct cross-reference table.
func PDF(inv *gatehouse.Invoice) []byte {
	title := "Invoice"
	switch {
	case inv.Type == gatehouse.InvoiceTypeCreditMemo:
		title = "Credit memo"
	case inv.TaxInvoice:
		title = "Tax invoice"
	}
	lines := []string{
		inv.InvoicingEntity,
		"",
		title + " " + inv.InvoiceID,
		"Account: " + inv.AccountID,
		fmt.Sprintf("Billing period: %04d-%02d", inv.BillingPeriod.Year, inv.BillingPeriod.Month),
		"Issued: " + pdfDate(inv.IssuedDate),
		"Due: " + pdfDate(inv.DueDate),
		"",
	}
	for _, l := range inv.Lines {
		lines = append(lines, fmt.Sprintf("%s: %s %s", l.Description, l.Amount, inv.Currency))
	}
	lines = append(lines, "", fmt.Sprintf("Total: %s %s", inv.TotalAmount, inv.Currency))

	var content bytes.Buffer
	content.WriteString("BT\n/F1 12 Tf\n14 TL\n50 790 Td\n")
	for i, l := range lines {
		if i > 0 {
			content.WriteString("T*\n")
		}
		content.WriteString("(" + pdfEscape(l) + ") Tj\n")
	}
	content.WriteString("ET\n")

	objects := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", content.Len(), content.String()),
		"<< /Title (" + pdfEscape(title+" "+inv.InvoiceID) + ") /Producer (Gatehouse) >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objects))
	for i, o := range objects {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objects)+1, len(objects), xref)
	return b.Bytes()
}

func pdfDate(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02")
}

// pdfEscape makes s a PDF literal string body: backslash, parentheses
// escaped; characters outside printable ASCII become '?'.
func pdfEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\\' || r == '(' || r == ')':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r >= 0x20 && r < 0x7f:
			b.WriteRune(r)
		default:
			b.WriteByte('?')
		}
	}
	return b.String()
}
