package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/billing"
)

// billingCommand is one subcommand of "gatehouse billing".
type billingCommand func(ctx context.Context, args []string, stdout, stderr io.Writer) int

// billingCommands returns the subcommands of "gatehouse billing".
func billingCommands() map[string]billingCommand {
	return map[string]billingCommand{
		"migrate-policies": billingMigratePolicies,
		"iam-access":       billingIAMAccess,
		"import":           billingImport,
	}
}

// billingUsage describes the billing subcommands.
var billingUsage = map[string]string{
	"import": `import --account ID [--data DIR] FILE.json
        import invoices for an account (Gatehouse charges nothing: invoices
        come from the operator); FILE.json is a JSON array of invoices
        {"InvoiceId", "BillingPeriod": {"Year", "Month"}, "IssuedDate",
        "DueDate" (RFC 3339), "InvoicingEntity", "Type" (INVOICE |
        CREDIT_MEMO), "TaxInvoice", "Currency", "TotalAmount", "Lines":
        [{"Description", "Amount"}]}; an invoice with the ID of an
        existing one replaces it; all or nothing`,
	"iam-access": `iam-access [--enable | --disable] [--endpoint-url URL]
        show or (as root) change "IAM user and role access to Billing
        information"; signs with AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY /
        AWS_SESSION_TOKEN`,
	"migrate-policies": `migrate-policies [--data DIR] [--account ID] [--apply [--delete-oldest-version] | --rollback]
        find customer managed and inline policies that use the retired
        aws-portal:* / purchase-orders:* actions and print, as JSON, the
        fine-grained statements to append (dry run); --apply appends them
        (new default policy versions), --rollback removes them; all
        accounts unless --account is given; exit status 1 when a policy
        cannot be migrated. The migrator recognises its statements
        (Sid BillingConsolePolicyMigrator...) by content, not position.
        What --rollback cannot undo: a managed policy with five versions
        (the most it keeps) needs one deleted to migrate; rollback could
        not bring it back, so such a policy is not migrated (error) unless
        --delete-oldest-version lets apply delete its oldest non-default
        version (the report prints that version's document: keep it).
        Rollback removes only statements that are exactly the migration
        of a statement still in the policy: statements with the prefix
        that you wrote, or whose original you edited after --apply, stay
        (listed as unmatchedMigratorStatements); a previous default
        version deleted since --apply comes back as a new version`,
}

func printBillingUsage(w io.Writer) {
	fmt.Fprint(w, "usage: gatehouse billing <command> [arguments]\n\ncommands:\n")
	var names []string
	for n := range billingUsage {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %s\n", billingUsage[n])
	}
}

// runBilling dispatches "gatehouse billing" subcommands.
func runBilling(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		printBillingUsage(stderr)
		return exitUsage
	}
	if cmd, ok := billingCommands()[args[0]]; ok {
		return cmd(ctx, args[1:], stdout, stderr)
	}
	if args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		printBillingUsage(stdout)
		return exitOK
	}
	fmt.Fprintf(stderr, "gatehouse billing: unknown command %q\n\n", args[0])
	printBillingUsage(stderr)
	return exitUsage
}

// migrateOutput is the JSON that billing migrate-policies prints.
type migrateOutput struct {
	Mode string `json:"mode"`
	// Applied reports whether any policy was changed.
	Applied  bool              `json:"applied"`
	Accounts []*billing.Report `json:"accounts"`
}

func billingMigratePolicies(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("gatehouse billing migrate-policies", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var sc storeConfig
	sc.register(fs)
	account := fs.String("account", "", "account ID (default: every account)")
	apply := fs.Bool("apply", false, "append the fine-grained statements (default: dry run)")
	deleteOldest := fs.Bool("delete-oldest-version", false,
		"with --apply: to migrate a managed policy that has five versions, delete its oldest non-default version (--rollback cannot bring it back)")
	rollback := fs.Bool("rollback", false, "remove the statements an earlier --apply appended")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: gatehouse billing %s\n\nflags:\n", billingUsage["migrate-policies"])
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() > 0 || (*apply && *rollback) || (*deleteOldest && !*apply) {
		fmt.Fprintln(stderr, "gatehouse billing migrate-policies: give at most one of --apply and --rollback, --delete-oldest-version only with --apply, and no arguments")
		return exitUsage
	}
	st, err := sc.open(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "gatehouse billing migrate-policies: %v\n", err)
		return 1
	}
	defer st.Close()
	ids := []string{*account}
	if *account == "" {
		ids = nil
		err := st.View(ctx, func(tx gatehouse.Tx) error {
			accounts, err := tx.Accounts()
			for _, a := range accounts {
				ids = append(ids, a.ID)
			}
			return err
		})
		if err != nil {
			fmt.Fprintf(stderr, "gatehouse billing migrate-policies: %v\n", err)
			return 1
		}
	}
	out := migrateOutput{Mode: billing.ModeDryRun, Accounts: []*billing.Report{}}
	switch {
	case *apply:
		out.Mode = billing.ModeApply
	case *rollback:
		out.Mode = billing.ModeRollback
	}
	code := exitOK
	now := time.Now()
	for _, id := range ids {
		var r *billing.Report
		if *rollback {
			r, err = billing.RollbackAccount(ctx, st, id, now)
		} else {
			r, err = billing.MigrateAccount(ctx, st, id, billing.MigrateOptions{Apply: *apply, DeleteOldestVersion: *deleteOldest}, now)
		}
		if err != nil {
			fmt.Fprintf(stderr, "gatehouse billing migrate-policies: account %s: %s\n", id, gatehouse.ErrorMessage(err))
			return 1
		}
		out.Applied = out.Applied || r.Applied
		for _, p := range r.Policies {
			if p.Error != "" {
				code = exitFindings
			}
		}
		out.Accounts = append(out.Accounts, r)
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		fmt.Fprintf(stderr, "gatehouse billing migrate-policies: %v\n", err)
		return 1
	}
	return code
}
