package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
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

// runBilling dispatches "gatehouse billing" subcommands.
func runBilling(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		if cmd, ok := billingCommands()[args[0]]; ok {
			return cmd(ctx, args[1:], stdout, stderr)
		}
	}
	fmt.Fprint(stderr, groupUsage("billing"))
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
	fs := newFlagSet("billing migrate-policies", stderr)
	var sc storeConfig
	sc.register(fs)
	account := fs.String("account", "", "account ID (default: every account)")
	apply := fs.Bool("apply", false, "append the fine-grained statements (default: dry run)")
	deleteOldest := fs.Bool("delete-oldest-version", false,
		"with --apply: to migrate a managed policy that has five versions, delete its oldest non-default version (--rollback cannot bring it back)")
	rollback := fs.Bool("rollback", false, "remove the statements an earlier --apply appended")
	if code, ok := parseFlags(fs, args, stdout); !ok {
		return code
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
	bst := gatehouse.Narrow[billing.Tx](st)
	for _, id := range ids {
		var r *billing.Report
		if *rollback {
			r, err = billing.RollbackAccount(ctx, bst, id, now)
		} else {
			r, err = billing.MigrateAccount(ctx, bst, id, billing.MigrateOptions{Apply: *apply, DeleteOldestVersion: *deleteOldest}, now)
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
