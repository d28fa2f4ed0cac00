package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/gatehouse-dev/gatehouse/roottask"
)

// The RI Marketplace seller and AWS GovCloud (US) commands
// (docs/root-tasks.md C1, C2, D1): "gatehouse seller" and "gatehouse
// govcloud" are clients of the gatehouse service, signed like "gatehouse
// root"; "gatehouse support fulfill" is the operator's side of a support
// case and works on the data directory.

const sellerUsage = `usage: gatehouse seller register --legal-name NAME [--endpoint-url URL]
           (reads the bank account number, routing number and tax ID from stdin, one a line)
       gatehouse seller profile [--endpoint-url URL]
`

const govCloudUsage = `usage: gatehouse govcloud sign-up | request-root-keys | case --id CASE   [--endpoint-url URL]
`

const supportUsage = `usage: gatehouse support fulfill --case ID [--data DIR]
`

// runSeller handles "gatehouse seller".
func runSeller(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, sellerUsage)
		return exitUsage
	}
	fs := flag.NewFlagSet("gatehouse seller "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	endpoint := fs.String("endpoint-url", "", "the Gatehouse endpoint")
	legalName := fs.String("legal-name", "", "the seller's legal name")
	if err := fs.Parse(args[1:]); err != nil || fs.NArg() > 0 {
		fmt.Fprint(stderr, sellerUsage)
		return exitUsage
	}
	name := "gatehouse seller " + args[0]
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
	fmt.Fprint(stderr, sellerUsage)
	return exitUsage
}

// runGovCloud handles "gatehouse govcloud".
func runGovCloud(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, govCloudUsage)
		return exitUsage
	}
	fs := flag.NewFlagSet("gatehouse govcloud "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	endpoint := fs.String("endpoint-url", "", "the Gatehouse endpoint")
	id := fs.String("id", "", "the support case ID")
	if err := fs.Parse(args[1:]); err != nil || fs.NArg() > 0 {
		fmt.Fprint(stderr, govCloudUsage)
		return exitUsage
	}
	name := "gatehouse govcloud " + args[0]
	switch args[0] {
	case "sign-up":
		return clientCommand(ctx, name, *endpoint, "SignUpGovCloud", struct{}{}, stdout, stderr)
	case "request-root-keys":
		return clientCommand(ctx, name, *endpoint, "RequestGovCloudRootAccessKeys", struct{}{}, stdout, stderr)
	case "case":
		return clientCommand(ctx, name, *endpoint, "GetSupportCase", map[string]string{"CaseId": *id}, stdout, stderr)
	}
	fmt.Fprint(stderr, govCloudUsage)
	return exitUsage
}

// runSupport handles "gatehouse support fulfill": AWS Support's side of a
// GovCloud root key request. It issues the GovCloud account's root access
// key and prints the secret once.
func runSupport(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "fulfill" {
		fmt.Fprint(stderr, supportUsage)
		return exitUsage
	}
	fs := flag.NewFlagSet("gatehouse support fulfill", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var sc storeConfig
	sc.register(fs)
	caseID := fs.String("case", "", "the support case ID")
	if err := fs.Parse(args[1:]); err != nil || fs.NArg() > 0 || *caseID == "" {
		fmt.Fprint(stderr, supportUsage)
		return exitUsage
	}
	st, err := sc.open(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "gatehouse support fulfill: %v\n", err)
		return 1
	}
	defer st.Close()
	g, err := (&roottask.Service{Store: st}).FulfillGovCloudRootKeyRequest(ctx, *caseID)
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
