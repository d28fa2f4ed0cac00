// Command gatehouse is the Gatehouse server and its operator tools.
//
// Run gatehouse --help for the commands (help.go lists them), and
// gatehouse COMMAND --help for one command's flags.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

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

// run dispatches a command line; it is main without the process.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	if isGroup(args[0]) {
		switch {
		case len(args) == 1:
			fmt.Fprint(stderr, groupUsage(args[0]))
			return exitUsage
		case isHelpArg(args[1]):
			fmt.Fprint(stdout, groupUsage(args[0]))
			return exitOK
		}
		if _, ok := lookup(args[0] + " " + args[1]); !ok {
			fmt.Fprintf(stderr, "gatehouse %s: unknown command %q\n\n%s", args[0], args[1], groupUsage(args[0]))
			return exitUsage
		}
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], stdout, stderr)
	case "health":
		return health(ctx, args[1:], stdout, stderr)
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
	case "env":
		return runEnv(args[1:], stdout, stderr)
	case "version", "--version":
		if code, ok := parseFlags(newFlagSet("version", stderr), args[1:], stdout); !ok {
			return code
		}
		fmt.Fprintln(stdout, "gatehouse", version())
		return exitOK
	case "help", "-h", "-help", "--help":
		return help(ctx, args[1:], stdin, stdout, stderr)
	}
	fmt.Fprintf(stderr, "gatehouse: unknown command %q\n\n%s", args[0], usage)
	return exitUsage
}

// help is gatehouse help [COMMAND...]: the top-level help, a group's or
// a command's.
func help(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	path := strings.Join(args, " ")
	switch _, leaf := lookup(path); {
	case path == "":
		fmt.Fprint(stdout, usage)
		return exitOK
	case path == "help" || len(args) == 1 && isHelpArg(args[0]):
		printCommandHelp(stdout, "help", nil)
		return exitOK
	case isGroup(path):
		fmt.Fprint(stdout, groupUsage(path))
		return exitOK
	case leaf:
		return run(ctx, append(args, "--help"), stdin, stdout, stderr)
	}
	fmt.Fprintf(stderr, "gatehouse help: unknown command %q\n\n%s", path, usage)
	return exitUsage
}
