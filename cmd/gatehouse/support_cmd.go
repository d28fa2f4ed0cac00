package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/roottask"
)

// The RI Marketplace seller and AWS GovCloud (US) commands
// (docs/root-tasks.md C1, C2, D1): "gatehouse seller" and "gatehouse
// govcloud" are clients of the gatehouse service, signed like "gatehouse
// root"; "gatehouse support fulfill" is the operator's side of a support
// case and works on the data directory.

// runSeller handles "gatehouse seller".
func runSeller(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, groupUsage("seller"))
		return exitUsage
	}
	fs := newFlagSet("seller "+args[0], stderr)
	endpoint := fs.String("endpoint-url", "", "Gatehouse endpoint (default: the configured endpoint, else "+defaultEndpoint+")")
	var legalName *string
	if args[0] == "register" {
		legalName = fs.String("legal-name", "", "the seller's legal name")
	}
	name := "gatehouse seller " + args[0]
	if code, ok := parseFlags(fs, args[1:], stdout); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "%s: unexpected argument %q\n", name, fs.Arg(0))
		return exitUsage
	}
	switch args[0] {
	case "register":
		// Secrets come from stdin, never from arguments (visible to ps).
		sc := bufio.NewScanner(stdin)
		var v [3]string
		for i := range v {
			if !sc.Scan() {
				fmt.Fprintf(stderr, "%s: stdin must hold the bank account number, routing number and tax ID, one a line\n", name)
				return exitUsage
			}
			v[i] = strings.TrimSpace(sc.Text())
		}
		return clientCommand(ctx, name, *endpoint, "RegisterMarketplaceSeller", map[string]string{"LegalName": *legalName,
			"BankAccountNumber": v[0], "RoutingNumber": v[1], "TaxId": v[2]}, stdout, stderr)
	case "profile":
		return clientCommand(ctx, name, *endpoint, "GetMarketplaceSellerProfile", struct{}{}, stdout, stderr)
	}
	fmt.Fprint(stderr, groupUsage("seller"))
	return exitUsage
}

// runGovCloud handles "gatehouse govcloud".
func runGovCloud(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, groupUsage("govcloud"))
		return exitUsage
	}
	fs := newFlagSet("govcloud "+args[0], stderr)
	endpoint := fs.String("endpoint-url", "", "Gatehouse endpoint (default: the configured endpoint, else "+defaultEndpoint+")")
	var id *string
	if args[0] == "case" {
		id = fs.String("id", "", "the support case ID")
	}
	name := "gatehouse govcloud " + args[0]
	if code, ok := parseFlags(fs, args[1:], stdout); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "%s: unexpected argument %q\n", name, fs.Arg(0))
		return exitUsage
	}
	switch args[0] {
	case "sign-up":
		return clientCommand(ctx, name, *endpoint, "SignUpGovCloud", struct{}{}, stdout, stderr)
	case "request-root-keys":
		return clientCommand(ctx, name, *endpoint, "RequestGovCloudRootAccessKeys", struct{}{}, stdout, stderr)
	case "case":
		return clientCommand(ctx, name, *endpoint, "GetSupportCase", map[string]string{"CaseId": *id}, stdout, stderr)
	}
	fmt.Fprint(stderr, groupUsage("govcloud"))
	return exitUsage
}

// runSupport handles "gatehouse support fulfill": AWS Support's side of a
// GovCloud root key request. It issues the GovCloud account's root access
// key and prints the secret once.
func runSupport(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "fulfill" {
		fmt.Fprint(stderr, groupUsage("support"))
		return exitUsage
	}
	fs := newFlagSet("support fulfill", stderr)
	var sc storeConfig
	sc.register(fs)
	caseID := fs.String("case", "", "the support case ID")
	if code, ok := parseFlags(fs, args[1:], stdout); !ok {
		return code
	}
	if fs.NArg() > 0 || *caseID == "" {
		fmt.Fprintln(stderr, "gatehouse support fulfill: --case is required, and no arguments")
		return exitUsage
	}
	st, err := sc.open(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "gatehouse support fulfill: %v\n", err)
		return 1
	}
	defer st.Close()
	g, err := (&roottask.Service{Store: gatehouse.Narrow[roottask.Tx](st)}).FulfillGovCloudRootKeyRequest(ctx, *caseID)
	if err != nil {
		fmt.Fprintf(stderr, "gatehouse support fulfill: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "Case %s resolved.\nGovCloud account:      %s (standard account %s)\nRoot user:             %s\n"+
		"AccessKeyId:           %s\nSecretAccessKey:       %s\nCreated:               %s\n"+
		"The secret is shown once: store it now.\n",
		*caseID, g.ID, g.StandardAccountID, g.RootARN(), g.RootKeyID, g.RootKeySecret.Reveal(),
		g.RootKeyCreatedAt.UTC().Format(time.RFC3339))
	return exitOK
}
