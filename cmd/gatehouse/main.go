// Command gatehouse is the Gatehouse server and its operator tools.
//
// Usage:
//
//	gatehouse serve [--addr ADDR] [--data DIR | --ephemeral] [--enable-reset]
//	gatehouse account create --email E [--name N] [--id ID] [--created-at T] [--iam-billing-access]
//	gatehouse root change-password|change-email|confirm-email|close-account|reopen-account|status
//	gatehouse billing iam-access [--enable|--disable]
//	gatehouse outbox list [--account ID] [--json]
//	gatehouse account list
//	gatehouse account set --id ID --billing-permissions legacy|fine-grained|auto
//	gatehouse audit list [--account ID] [--root-only] [--since T] [--limit N] [--json]
//	gatehouse policy validate [--kind KIND] [--json] FILE...
//	gatehouse policy simulate --input CASE.json
//	gatehouse version
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Version is the release version, set at build time with
// -ldflags "-X main.Version=...".
var Version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// exit codes shared by the commands.
const (
	exitOK       = 0
	exitFindings = 1 // the command ran and found problems (policy errors, mismatches)
	exitUsage    = 2 // bad arguments or unreadable input
)

const usage = `usage: gatehouse <command> [arguments]

commands:
  serve [--addr 127.0.0.1:4590] [--data ./gatehouse-data | --ephemeral] [--enable-reset]
        run the server; the first start on an empty store creates an account
        (GATEHOUSE_ACCOUNT_ID, GATEHOUSE_ROOT_EMAIL, GATEHOUSE_ROOT_PASSWORD,
        GATEHOUSE_ROOT_ACCESS_KEY_ID, GATEHOUSE_ROOT_SECRET_ACCESS_KEY)
  account create --email E [--name N] [--id 12-digit] [--created-at RFC3339] [--iam-billing-access] [--data DIR]
        create an account in an existing store and print its root
        credentials once
  account list [--data DIR]
        list the accounts
  account set --id ID --billing-permissions legacy|fine-grained|auto [--data DIR]
        pin the account's billing permission model (auto: by creation date)
  root change-password | change-email --new E | confirm-email --new E --code C |
       close-account | reopen-account | status   [--endpoint-url URL]
        root-only account tasks, signed with the AWS_* credential variables
        (docs/root-tasks.md)
  billing iam-access [--enable | --disable] [--endpoint-url URL]
        show or change IAM user and role access to Billing information
  seller register --legal-name N | profile   [--endpoint-url URL]
        RI Marketplace seller registration (bank details and tax ID on stdin)
  govcloud sign-up | request-root-keys | case --id CASE   [--endpoint-url URL]
        sign up for AWS GovCloud (US) and request its root access keys
  support fulfill --case ID [--data DIR]
        operator: fulfil a GovCloud root key request, printing the secret once
  outbox list [--data DIR] [--account ID] [--json]
        print what Gatehouse would have emailed (confirmation codes, notices)
  audit list [--data DIR] [--account ID] [--root-only] [--since RFC3339|DURATION] [--limit 100] [--json]
        print recent audit records, newest first (root requests show TYPE ROOT)
  policy validate [--kind identity|resource|trust|boundary|scp|rcp|session] [--json] FILE...
        check policy documents as AWS does when they are written
  policy simulate --input CASE.json
        decide one request offline and print the decision as JSON
  version
        print the version

The commands with --data (default ./gatehouse-data) work on the store that
gatehouse serve created there, whether the server runs or not; only serve
creates a store.
`

// run dispatches a command line; it is main without the process.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], stdout, stderr)
	case "account":
		return runAccount(ctx, args[1:], stdout, stderr)
	case "audit":
		return runAudit(ctx, args[1:], stdout, stderr)
	case "policy":
		return runPolicy(args[1:], stdin, stdout, stderr)
	case "billing":
		return runBilling(ctx, args[1:], stdout, stderr)
	case "root":
		return runRoot(ctx, args[1:], stdin, stdout, stderr)
	case "outbox":
		return runOutbox(ctx, args[1:], stdout, stderr)
	case "seller":
		return runSeller(ctx, args[1:], stdin, stdout, stderr)
	case "govcloud":
		return runGovCloud(ctx, args[1:], stdout, stderr)
	case "support":
		return runSupport(ctx, args[1:], stdout, stderr)
	case "version", "--version":
		fmt.Fprintln(stdout, "gatehouse", Version)
		return exitOK
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "gatehouse: unknown command %q\n\n%s", args[0], usage)
	return exitUsage
}
