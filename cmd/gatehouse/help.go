package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime/debug"
	"strings"
)

// cmdHelp is the help of one command path.
type cmdHelp struct {
	path string // "account create"
	args string // its arguments, as the synopsis shows them
	text string // what it does (lines of at most 66 characters)
	more string // the details --help adds to text, if any
}

// commands lists every command path, in the order of gatehouse --help.
// The top-level help, each group's help (gatehouse account --help) and
// each command's --help come from it.
var commands = []cmdHelp{
	{path: "serve", args: "[--addr 127.0.0.1:4590] [--data ./gatehouse-data | --ephemeral] [--enable-reset]\n" +
		"      [--log-level debug|info|warn|error] [--smtp-addr HOST:PORT [--smtp-from ADDR] [--smtp-user USER]]\n" +
		"      [--metrics-addr HOST:PORT | --metrics-addr off] [--s3-host localhost[,HOST...]]\n" +
		"      [--tls-cert FILE --tls-key FILE] [--insecure-mfa-delete]",
		text: `run the server; the first start on an empty store creates the
store and an account (GATEHOUSE_ACCOUNT_ID, GATEHOUSE_ROOT_EMAIL,
GATEHOUSE_ROOT_PASSWORD, GATEHOUSE_ROOT_ACCESS_KEY_ID,
GATEHOUSE_ROOT_SECRET_ACCESS_KEY); a later start lists the
accounts served and how to recover a lost root user; --smtp-addr
also delivers the outbox by SMTP (password in $` + envSMTPPassword + `);
S3 object bytes live in <data>/objects (a temporary directory with
--ephemeral); requests to <bucket>.<--s3-host> name the bucket by host;
--tls-cert/--tls-key serve HTTPS, which S3's MFA delete requires
(--insecure-mfa-delete allows it over HTTP, for development only)`,
		more: `Prometheus metrics (no signature needed) are served at GET /metrics
on --addr, or on a listener of their own with --metrics-addr
HOST:PORT; --metrics-addr off turns them off (README, Operating).`},
	{path: "health", args: "[--addr 127.0.0.1:4590] [--timeout 5s]",
		text: `check a running server: GET /_gatehouse/health, exit 0 when it
answers 200, else 1 (the container image's health check)`},
	{path: "account create", args: "--email E [--name N] [--id 12-digit] [--created-at RFC3339] [--iam-billing-access] [--data DIR]",
		text: `create an account in an existing store and print its root
credentials once`},
	{path: "account list", args: "[--data DIR]", text: "list the accounts"},
	{path: "account set", args: "--id ID --billing-permissions legacy|fine-grained|auto [--data DIR]",
		text: "pin the account's billing permission model (auto: by creation date)"},
	{path: "root sign-in", args: "--email EMAIL [--password P] [--mfa-code CODE] [--mfa-serial ARN] [--format json|env] [--endpoint-url URL]",
		text: `sign in as root with the password (asked for without echo at a
terminal, else the first line of stdin) and get temporary root
credentials for one hour; needs no credentials`},
	{path: "root forgot-password", args: "--email EMAIL [--endpoint-url URL]",
		text: `lost root password: send a one-time reset code to the root
email address (see gatehouse outbox list); valid 1 hour, once;
the answer is the same for any address; needs no credentials`},
	{path: "root reset-password", args: "--email EMAIL --code CODE [--endpoint-url URL]",
		text: `set a new root password with the reset code; the new password
is asked for without echo at a terminal, else read as the first
line of stdin; root's MFA devices stay; needs no credentials`},
	{path: "root reset-credentials", args: "--account ID [--access-key [--delete-access-keys]] [--remove-mfa] [--data DIR]",
		text: `operator: give an account's root user a new random password
(and with --access-key a new access key), printed once; audited
as an operator action; works on the data directory`,
		more: `Root may hold two access keys: with two, --access-key needs
--delete-access-keys, which deletes root's keys (and the sessions
made with them) first. --remove-mfa removes root's MFA devices. The
reset ends root's sign-in sessions, voids a pending reset code and
sends a notice to the root email address (docs/root-tasks.md).`},
	{path: "root change-password", args: "[--current P --new P] [--endpoint-url URL]",
		text: `change the root password; asks for the current and the new
password at a terminal, else reads them as two lines on stdin,
unless given as flags`},
	{path: "root change-email", args: "--new EMAIL [--endpoint-url URL]",
		text: "send a confirmation code to EMAIL (see gatehouse outbox list)"},
	{path: "root confirm-email", args: "--new EMAIL --code CODE [--endpoint-url URL]", text: "complete the email change"},
	{path: "root close-account", args: "[--endpoint-url URL]", text: "close the account (root can reopen it within 90 days)"},
	{path: "root reopen-account", args: "[--endpoint-url URL]", text: "reopen a closed account"},
	{path: "root status", args: "[--endpoint-url URL]", text: "print the account state"},
	{path: "billing iam-access", args: "[--enable | --disable] [--endpoint-url URL]",
		text: `show or (as root) change "IAM user and role access to Billing
information"`},
	{path: "billing import", args: "--account ID [--data DIR] FILE.json",
		text: `import invoices for an account (Gatehouse charges nothing:
invoices come from the operator)`,
		more: `FILE.json is a JSON array of invoices {"InvoiceId",
"BillingPeriod": {"Year", "Month"}, "IssuedDate", "DueDate" (RFC
3339), "InvoicingEntity", "Type" (INVOICE | CREDIT_MEMO),
"TaxInvoice", "Currency", "TotalAmount", "Lines": [{"Description",
"Amount"}]}; an invoice with the ID of an existing one replaces it;
all or nothing (docs/invoicing.md)`},
	{path: "billing migrate-policies", args: "[--data DIR] [--account ID] [--apply [--delete-oldest-version] | --rollback]",
		text: `migrate policies from the retired aws-portal:* and
purchase-orders:* actions to the fine-grained billing actions
(dry run unless --apply; docs/invoicing.md)`,
		more: `It finds customer managed and inline policies that use the
retired actions and prints, as JSON, the fine-grained statements to
append; --apply appends them (new default policy versions),
--rollback removes them; all accounts unless --account is given;
exit status 1 when a policy cannot be migrated. The migrator
recognises its statements (Sid BillingConsolePolicyMigrator...) by
content, not position.
What --rollback cannot undo: a managed policy with five versions
(the most it keeps) needs one deleted to migrate; rollback could
not bring it back, so such a policy is not migrated (error) unless
--delete-oldest-version lets apply delete its oldest non-default
version (the report prints that version's document: keep it).
Rollback removes only statements that are exactly the migration of
a statement still in the policy: statements with the prefix that
you wrote, or whose original you edited after --apply, stay (listed
as unmatchedMigratorStatements); a previous default version deleted
since --apply comes back as a new version.`},
	{path: "seller register", args: "--legal-name NAME [--endpoint-url URL]",
		text: `register as an RI Marketplace seller (reads the bank account
number, routing number and tax ID from stdin, one a line)`},
	{path: "seller profile", args: "[--endpoint-url URL]", text: "print the seller profile (secrets masked)"},
	{path: "govcloud sign-up", args: "[--endpoint-url URL]", text: "sign up for AWS GovCloud (US)"},
	{path: "govcloud request-root-keys", args: "[--endpoint-url URL]",
		text: "ask AWS Support for the GovCloud account's root access keys"},
	{path: "govcloud case", args: "--id CASE [--endpoint-url URL]", text: "print a support case"},
	{path: "support fulfill", args: "--case ID [--data DIR]",
		text: "operator: fulfil a GovCloud root key request, printing the secret once"},
	{path: "outbox list", args: "[--data DIR] [--account ID] [--json]",
		text: "print what Gatehouse emailed (confirmation codes, notices), with its SMTP delivery state"},
	{path: "audit list", args: "[--data DIR] [--account ID] [--root-only] [--since RFC3339|DURATION] [--limit 100] [--json]",
		text: "print recent audit records, newest first (root requests show TYPE ROOT)"},
	{path: "policy validate", args: "[--kind identity|resource|trust|boundary|scp|rcp|session] [--max-size N] [--json] FILE...",
		text: "check policy documents as AWS does when they are written (docs/policy.md)"},
	{path: "policy simulate", args: "[--raw] --input CASE.json",
		text: "decide one request offline and print the decision as JSON (docs/policy.md)"},
	{path: "env", args: "[--endpoint-url URL] [--region R] [--format sh|profile] [--profile NAME]",
		text: `print the export lines (eval "$(gatehouse env)"), or the
~/.aws/config profile, that point AWS clients at a server, and
which clients read them`},
	{path: "version", text: "print the version"},
	{path: "help", args: "[COMMAND...]", text: "print this help, or a command's"},
}

// groupNotes are said once in a group's help.
var groupNotes = map[string]string{
	"root": `Root-only account tasks (docs/root-tasks.md). Requests are signed with
the AWS configuration the aws CLI reads (AWS_* variables, AWS_PROFILE,
~/.aws/config and ~/.aws/credentials) and sent to --endpoint-url, else
the configured endpoint (AWS_ENDPOINT_URL_GATEHOUSE, AWS_ENDPOINT_URL,
the profile's endpoint_url), else ` + defaultEndpoint + `.
All but sign-in and status are console tasks: they need a root sign-in
session (eval "$(gatehouse root sign-in --email EMAIL --format env)").
forgot-password and reset-password need no credentials;
reset-credentials is the operator's and works on the data directory.`,
	"billing": `iam-access is a client of the server, signed like gatehouse root;
import and migrate-policies work on the data directory.`,
	"seller":   `Signed like gatehouse root, in a root sign-in session (docs/root-tasks.md).`,
	"govcloud": `Signed like gatehouse root, in a root sign-in session (docs/root-tasks.md).`,
}

const dataNote = `The commands with --data (default ./gatehouse-data) work on the store
that gatehouse serve created there, whether the server runs or not;
only serve creates a store.`

// usage is the top-level help.
var usage = topUsage()

func topUsage() string {
	var b strings.Builder
	b.WriteString("usage: gatehouse <command> [arguments]\n\ncommands:\n")
	for _, c := range commands {
		writeEntry(&b, c, false)
	}
	b.WriteString("\n" + dataNote + "\nRun gatehouse COMMAND --help for a command's flags.\n")
	return b.String()
}

// writeEntry writes one command's synopsis and text, with its details
// when more is set.
func writeEntry(w io.Writer, c cmdHelp, more bool) {
	fmt.Fprintf(w, "  %s\n", strings.TrimSpace(c.path+" "+c.args))
	text := c.text
	if more && c.more != "" {
		text += "\n" + c.more
	}
	for line := range strings.SplitSeq(text, "\n") {
		fmt.Fprintf(w, "        %s\n", line)
	}
}

// isGroup reports whether name is a command that has subcommands.
func isGroup(name string) bool {
	for _, c := range commands {
		if strings.HasPrefix(c.path, name+" ") {
			return true
		}
	}
	return false
}

// lookup returns the help of a command path.
func lookup(path string) (cmdHelp, bool) {
	for _, c := range commands {
		if c.path == path {
			return c, true
		}
	}
	return cmdHelp{}, false
}

// groupUsage is the help of a group of commands (gatehouse account).
func groupUsage(group string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "usage: gatehouse %s <command> [arguments]\n\n", group)
	if n := groupNotes[group]; n != "" {
		b.WriteString(n + "\n\n")
	}
	b.WriteString("commands:\n")
	for _, c := range commands {
		if strings.HasPrefix(c.path, group+" ") {
			writeEntry(&b, c, false)
		}
	}
	return b.String()
}

// isHelpArg reports whether arg asks for help.
func isHelpArg(arg string) bool {
	return arg == "-h" || arg == "-help" || arg == "--help" || arg == "help"
}

// newFlagSet returns the flag set of a command path; it reports bad
// flags on stderr, and parseFlags prints the help.
func newFlagSet(path string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("gatehouse "+path, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {}
	return fs
}

// parseFlags parses a command's arguments. When they ask for help it
// prints the help to stdout; ok is false when the command is done then
// (exit code exitOK) or the flags are bad (exitUsage).
func parseFlags(fs *flag.FlagSet, args []string, stdout io.Writer) (code int, ok bool) {
	err := fs.Parse(args)
	if err == nil {
		return exitOK, true
	}
	path := strings.TrimPrefix(fs.Name(), "gatehouse ")
	if errors.Is(err, flag.ErrHelp) {
		printCommandHelp(stdout, path, fs)
		return exitOK, false
	}
	// The flag package has reported the error.
	c, _ := lookup(path)
	fmt.Fprintf(fs.Output(), "usage: %s\n(gatehouse %s --help for more)\n", strings.TrimSpace(fs.Name()+" "+c.args), path)
	return exitUsage, false
}

// printCommandHelp prints a command's --help: its synopsis, what it does
// and its flags.
func printCommandHelp(w io.Writer, path string, fs *flag.FlagSet) {
	c, _ := lookup(path)
	fmt.Fprintf(w, "usage: gatehouse %s\n\n", strings.TrimSpace(path+" "+c.args))
	for line := range strings.SplitSeq(strings.TrimSpace(c.text+"\n"+c.more), "\n") {
		fmt.Fprintf(w, "  %s\n", line)
	}
	if group, _, ok := strings.Cut(path, " "); ok && groupNotes[group] != "" {
		fmt.Fprintf(w, "\n%s\n", groupNotes[group])
	}
	if fs != nil {
		var n int
		fs.VisitAll(func(*flag.Flag) { n++ })
		if n > 0 {
			fmt.Fprint(w, "\nflags:\n")
			out := fs.Output()
			fs.SetOutput(w)
			fs.PrintDefaults()
			fs.SetOutput(out)
		}
	}
}

// Version is the release version, set at build time with
// -ldflags "-X main.Version=..."; without it, gatehouse version reports
// the build information Go records.
var Version = "dev"

// version is the version gatehouse version and serve print.
func version() string {
	info, ok := debug.ReadBuildInfo()
	return versionString(Version, info, ok)
}

// versionString is release (-X main.Version), else the module version,
// else "dev", followed by the VCS revision and whether the working tree
// was modified, when the build recorded them.
func versionString(release string, info *debug.BuildInfo, ok bool) string {
	v := release
	var rev string
	var modified bool
	if ok && info != nil {
		if (v == "" || v == "dev") && info.Main.Version != "" && info.Main.Version != "(devel)" {
			v = info.Main.Version
		}
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	if v == "" {
		v = "dev"
	}
	if rev == "" {
		return v
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if modified {
		rev += ", modified"
	}
	return v + " (" + rev + ")"
}
