package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/invoicing"
)

// importOutput is the JSON that billing import prints.
type importOutput struct {
	AccountID string   `json:"accountId"`
	Imported  []string `json:"imported"`
}

func billingImport(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("billing import", stderr)
	var sc storeConfig
	sc.register(fs)
	account := fs.String("account", "", "account ID the invoices are issued to (required)")
	// Accept the flags after the file too: gatehouse billing import FILE --account ID.
	var files []string
	for rest := args; ; {
		if code, ok := parseFlags(fs, rest, stdout); !ok {
			return code
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	if *account == "" || len(files) != 1 {
		fmt.Fprintln(stderr, "usage: gatehouse billing import --account ID [--data DIR] FILE.json")
		return exitUsage
	}
	raw, err := os.ReadFile(files[0])
	if err != nil {
		fmt.Fprintf(stderr, "gatehouse billing import: %v\n", err)
		return exitUsage
	}
	invoices, err := invoicing.ParseImport(raw)
	if err != nil {
		fmt.Fprintf(stderr, "gatehouse billing import: %s: %v\n", files[0], err)
		return exitUsage
	}
	seen := map[string]bool{}
	for _, inv := range invoices {
		if inv.AccountID == "" {
			inv.AccountID = *account
		}
		if inv.AccountID != *account {
			fmt.Fprintf(stderr, "gatehouse billing import: invoice %s is for account %s, not %s\n", inv.InvoiceID, inv.AccountID, *account)
			return exitUsage
		}
		if err := inv.Validate(); err != nil {
			fmt.Fprintf(stderr, "gatehouse billing import: %s\n", gatehouse.ErrorMessage(err))
			return exitUsage
		}
		if seen[inv.InvoiceID] {
			fmt.Fprintf(stderr, "gatehouse billing import: invoice %s appears twice\n", inv.InvoiceID)
			return exitUsage
		}
		seen[inv.InvoiceID] = true
		inv.IssuedDate, inv.DueDate = inv.IssuedDate.UTC(), inv.DueDate.UTC()
	}
	st, err := sc.open(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "gatehouse billing import: %v\n", err)
		return 1
	}
	defer st.Close()
	out := importOutput{AccountID: *account, Imported: []string{}}
	err = st.Update(ctx, func(tx gatehouse.Tx) error {
		if _, err := tx.Account(*account); err != nil {
			return err
		}
		for _, inv := range invoices {
			if err := tx.PutInvoice(inv); err != nil {
				return err
			}
			out.Imported = append(out.Imported, inv.InvoiceID)
		}
		return nil
	})
	if err != nil {
		fmt.Fprintf(stderr, "gatehouse billing import: %s\n", gatehouse.ErrorMessage(err))
		return 1
	}
	b, _ := json.MarshalIndent(out, "", "  ")
	fmt.Fprintf(stdout, "%s\n", b)
	return exitOK
}
