package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/awsmanaged"
	"github.com/gatehouse-dev/gatehouse/billing"
	"github.com/gatehouse-dev/gatehouse/iam"
)

// runAccount handles the operator commands that act on the data
// directory directly, whether the server runs or not.
func runAccount(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, groupUsage("account"))
		return exitUsage
	}
	switch args[0] {
	case "create":
		return accountCreate(ctx, args[1:], stdout, stderr)
	case "list":
		return accountList(ctx, args[1:], stdout, stderr)
	case "set":
		return accountSet(ctx, args[1:], stdout, stderr)
	}
	fmt.Fprint(stderr, groupUsage("account"))
	return exitUsage
}

func accountCreate(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("account create", stderr)
	var sc storeConfig
	sc.register(fs)
	email := fs.String("email", "", "root user email address (required)")
	name := fs.String("name", "", "account name (default: the root email's local part)")
	id := fs.String("id", "", "12-digit account ID (default: random)")
	createdAt := fs.String("created-at", "", "creation time, RFC 3339 (default: now); decides the billing permission model")
	billingAccess := fs.Bool("iam-billing-access", false, "turn on IAM user and role access to Billing information (default off, as for a standalone AWS account)")
	if code, ok := parseFlags(fs, args, stdout); !ok {
		return code
	}
	if *email == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "gatehouse account create: --email is required")
		return exitUsage
	}
	spec := iam.AccountSpec{ID: *id, Email: *email, Name: *name, CreateRootKey: true, IAMBillingAccess: *billingAccess}
	if *createdAt != "" {
		t, err := time.Parse(time.RFC3339, *createdAt)
		if err != nil {
			fmt.Fprintf(stderr, "gatehouse account create: --created-at: %q is not an RFC 3339 time\n", *createdAt)
			return exitUsage
		}
		spec.CreatedAt = t
	}
	st, err := sc.open(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "gatehouse account create: %v\n", err)
		return 1
	}
	defer st.Close()
	svc := &iam.Service{Store: gatehouse.Narrow[iam.Tx](awsmanaged.Wrap(st, nil))}
	pw, err := svc.NewSecretAccessKey()
	if err != nil {
		fmt.Fprintf(stderr, "gatehouse account create: %v\n", err)
		return 1
	}
	spec.RootPassword = gatehouse.Secret(pw.Reveal()[:24])
	a, key, err := svc.CreateAccount(ctx, spec)
	if err != nil {
		fmt.Fprintf(stderr, "gatehouse account create: %s\n", gatehouse.ErrorMessage(err))
		return 1
	}
	fmt.Fprintf(stdout, "account id:             %s\n", a.ID)
	fmt.Fprintf(stdout, "root email:             %s\n", a.Email)
	fmt.Fprintf(stdout, "account name:           %s\n", a.Name)
	if a.IAMBillingAccess {
		fmt.Fprintln(stdout, "IAM billing access:     ALLOW")
	}
	fmt.Fprintf(stdout, "root password:          %s\n", spec.RootPassword.Reveal())
	fmt.Fprintf(stdout, "root access key id:     %s\n", key.ID)
	fmt.Fprintf(stdout, "root secret access key: %s\n", key.Secret.Reveal())
	fmt.Fprintln(stdout, "These are shown once.")
	return exitOK
}

func accountList(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("account list", stderr)
	var sc storeConfig
	sc.register(fs)
	if code, ok := parseFlags(fs, args, stdout); !ok {
		return code
	}
	st, err := sc.open(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "gatehouse account list: %v\n", err)
		return 1
	}
	defer st.Close()
	var accounts []*gatehouse.Account
	if err := st.View(ctx, func(tx gatehouse.Tx) error {
		var err error
		accounts, err = tx.Accounts()
		return err
	}); err != nil {
		fmt.Fprintf(stderr, "gatehouse account list: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "%-12s  %-20s  %-30s  %s\n", "ACCOUNT", "CREATED", "ROOT EMAIL", "NAME")
	for _, a := range accounts {
		email := a.Email
		if email == "" {
			email = "-" // a GovCloud account's root has no email address
		}
		fmt.Fprintf(stdout, "%-12s  %-20s  %-30s  %s\n", a.ID, a.CreatedAt.UTC().Format(time.RFC3339), email, a.AccountName())
	}
	return exitOK
}

// accountSet changes an account's operator settings. Today that is the
// billing permission model (aws-reference §3.1): pinned to legacy or
// fine-grained to rehearse the transition, or auto (decided by the
// account's creation date, as AWS did).
func accountSet(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("account set", stderr)
	var sc storeConfig
	sc.register(fs)
	id := fs.String("id", "", "12-digit account ID (required)")
	perms := fs.String("billing-permissions", "", "billing permission model: legacy, fine-grained or auto (by creation date)")
	if code, ok := parseFlags(fs, args, stdout); !ok {
		return code
	}
	if *id == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "gatehouse account set: --id is required")
		return exitUsage
	}
	if *perms == "" {
		fmt.Fprintln(stderr, "gatehouse account set: nothing to set (--billing-permissions legacy|fine-grained|auto)")
		return exitUsage
	}
	model, ok := billing.ParsePermissionModel(*perms)
	if !ok {
		fmt.Fprintf(stderr, "gatehouse account set: --billing-permissions: %q is not legacy, fine-grained or auto\n", *perms)
		return exitUsage
	}
	stored := string(model)
	if model == billing.Auto {
		stored = ""
	}
	st, err := sc.open(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "gatehouse account set: %v\n", err)
		return 1
	}
	defer st.Close()
	var a *gatehouse.Account
	err = st.Update(ctx, func(tx gatehouse.Tx) error {
		var err error
		if a, err = tx.Account(*id); err != nil {
			return err
		}
		a.BillingPermissions = stored
		return tx.UpdateAccount(a)
	})
	if err != nil {
		fmt.Fprintf(stderr, "gatehouse account set: %s\n", gatehouse.ErrorMessage(err))
		return 1
	}
	effective := billing.EffectiveModel(a.CreatedAt, model, time.Now())
	fmt.Fprintf(stdout, "account id:             %s\n", a.ID)
	fmt.Fprintf(stdout, "billing permissions:    %s (in force: %s)\n", model, effective)
	return exitOK
}
