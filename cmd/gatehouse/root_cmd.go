package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/gatehouse-dev/gatehouse/sigv4"
)

// The client commands of the gatehouse service (docs/root-tasks.md):
// "gatehouse root ..." and "gatehouse billing iam-access" sign requests
// with the usual AWS credential environment variables, as the aws CLI
// does, and print the JSON result.

// defaultEndpoint is where the client commands send requests unless
// --endpoint-url or the AWS configuration says otherwise.
const defaultEndpoint = "http://127.0.0.1:4590"

// client calls the gatehouse service.
type client struct {
	endpoint string
	signer   sigv4.Signer
	http     *http.Client
}

// newClient loads the AWS configuration (awsconfig.go) for a signed
// client command.
func newClient(ctx context.Context, endpoint string) (*client, error) {
	endpoint, cfg, creds, err := clientSettings(ctx, endpoint, true)
	if err != nil {
		return nil, err
	}
	return &client{
		endpoint: endpoint,
		signer: sigv4.Signer{AccessKeyID: creds.AccessKeyID, SecretAccessKey: creds.SecretAccessKey,
			SessionToken: creds.SessionToken, Region: cfg.Region, Service: "gatehouse"},
		http: &http.Client{Timeout: 30 * time.Second},
	}, nil
}

// awsError is an error answer of the service.
type awsError struct {
	Type    string
	Message string
}

func (e *awsError) Error() string { return e.Type + ": " + e.Message }

// call POSTs op with the JSON input in and returns the result body.
func (c *client) call(ctx context.Context, op string, in any) ([]byte, error) {
	body, err := json.Marshal(in)
	if err != nil {
		return nil, err
	}
	r, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint+"/"+strings.ToLower(op[:1])+op[1:], bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	r.Header.Set("Content-Type", "application/json")
	if err := c.signer.Sign(r, body); err != nil {
		return nil, err
	}
	return doRequest(c.http, r)
}

// doRequest sends r and returns the body of a 200 answer, or the AWS
// error of any other.
func doRequest(hc *http.Client, r *http.Request) ([]byte, error) {
	resp, err := hc.Do(r)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		e := &awsError{Type: resp.Header.Get("X-Amzn-Errortype")}
		var m struct {
			Message string `json:"message"`
		}
		if json.Unmarshal(out, &m) == nil {
			e.Message = m.Message
		}
		if e.Type == "" {
			e.Type, e.Message = resp.Status, strings.TrimSpace(string(out))
		}
		return nil, e
	}
	return out, nil
}

// clientCommand runs one gatehouse operation for a command and prints the
// result as indented JSON.
func clientCommand(ctx context.Context, name, endpoint, op string, in any, stdout, stderr io.Writer) int {
	c, err := newClient(ctx, endpoint)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", name, err)
		return 1
	}
	out, err := c.call(ctx, op, in)
	if err != nil {
		if e, ok := err.(*awsError); ok { // worded as the aws CLI words it
			fmt.Fprintf(stderr, "%s: An error occurred (%s) when calling the %s operation: %s\n", name, e.Type, op, e.Message)
		} else {
			fmt.Fprintf(stderr, "%s: %v\n", name, err)
		}
		return 1
	}
	printJSON(stdout, out)
	return exitOK
}

// printJSON prints a JSON answer indented (as it came, if it is not JSON).
func printJSON(w io.Writer, out []byte) {
	var b bytes.Buffer
	if json.Indent(&b, out, "", "  ") != nil {
		b.Reset()
		b.Write(out)
	}
	b.WriteByte('\n')
	w.Write(b.Bytes())
}

// runRoot dispatches "gatehouse root" subcommands.
func runRoot(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, groupUsage("root"))
		return exitUsage
	}
	if args[0] == "reset-credentials" { // the operator's: the data directory, not the server
		return rootResetCredentials(ctx, args[1:], stdout, stderr)
	}
	name := "gatehouse root " + args[0]
	fs := newFlagSet("root "+args[0], stderr)
	endpoint := fs.String("endpoint-url", "", "Gatehouse endpoint (default: the configured endpoint, else "+defaultEndpoint+")")
	var op string
	var in any = struct{}{}
	switch args[0] {
	case "change-password":
		current := fs.String("current", "", "current root password (prefer stdin: flags end up in shell history)")
		next := fs.String("new", "", "new root password (prefer stdin)")
		if code, ok := parseFlags(fs, args[1:], stdout); !ok {
			return code
		}
		if *current == "" && *next == "" {
			// The current password (empty when root has none), then the
			// new one: asked for at a terminal (the new one twice), else
			// two lines on stdin.
			pws, err := readNewPassword(stdin, stderr, "Current root password: ")
			switch {
			case errors.Is(err, errShortInput):
				fmt.Fprintf(stderr, "%s: give the current and the new password as two lines on stdin (or --current and --new)\n", name)
				return exitUsage
			case err != nil:
				fmt.Fprintf(stderr, "%s: %v\n", name, err)
				return exitUsage
			}
			*current, *next = pws[0], pws[1]
		}
		op, in = "ChangeRootPassword", struct{ CurrentPassword, NewPassword string }{*current, *next}
	case "change-email", "confirm-email":
		email := fs.String("new", "", "the new root email address (required)")
		code := new(string)
		if args[0] == "confirm-email" {
			code = fs.String("code", "", "the confirmation code sent to the new address (required)")
		}
		if code, ok := parseFlags(fs, args[1:], stdout); !ok {
			return code
		}
		if *email == "" || (args[0] == "confirm-email") != (*code != "") {
			fmt.Fprintf(stderr, "%s: --new is required; --code is required by confirm-email only\n", name)
			return exitUsage
		}
		if args[0] == "change-email" {
			op, in = "StartRootEmailUpdate", struct{ NewEmail string }{*email}
		} else {
			op, in = "ConfirmRootEmailUpdate", struct{ NewEmail, Code string }{*email, *code}
		}
	case "close-account", "reopen-account", "status":
		if code, ok := parseFlags(fs, args[1:], stdout); !ok {
			return code
		}
		op = map[string]string{"close-account": "CloseAccount", "reopen-account": "ReopenAccount", "status": "GetAccountStatus"}[args[0]]
	case "sign-in":
		return rootSignIn(ctx, name, fs, endpoint, args[1:], stdin, stdout, stderr)
	case "forgot-password":
		return rootForgotPassword(ctx, name, fs, endpoint, args[1:], stdout, stderr)
	case "reset-password":
		return rootResetPassword(ctx, name, fs, endpoint, args[1:], stdin, stdout, stderr)
	default:
		fmt.Fprint(stderr, groupUsage("root"))
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "%s: unexpected argument %q\n", name, fs.Arg(0))
		return exitUsage
	}
	return clientCommand(ctx, name, *endpoint, op, in, stdout, stderr)
}

// billingIAMAccess is "gatehouse billing iam-access".
func billingIAMAccess(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	const name = "gatehouse billing iam-access"
	fs := newFlagSet("billing iam-access", stderr)
	endpoint := fs.String("endpoint-url", "", "Gatehouse endpoint (default: the configured endpoint, else "+defaultEndpoint+")")
	enable := fs.Bool("enable", false, "activate IAM user and role access to Billing information (root only)")
	disable := fs.Bool("disable", false, "deactivate it (root only)")
	if code, ok := parseFlags(fs, args, stdout); !ok {
		return code
	}
	if fs.NArg() > 0 || *enable && *disable {
		fmt.Fprintf(stderr, "%s: give --enable, --disable or neither\n", name)
		return exitUsage
	}
	switch {
	case *enable:
		return clientCommand(ctx, name, *endpoint, "UpdateIAMBillingAccess", struct{ IamUserAccessToBilling string }{"ALLOW"}, stdout, stderr)
	case *disable:
		return clientCommand(ctx, name, *endpoint, "UpdateIAMBillingAccess", struct{ IamUserAccessToBilling string }{"DENY"}, stdout, stderr)
	}
	return clientCommand(ctx, name, *endpoint, "GetIAMBillingAccess", struct{}{}, stdout, stderr)
}
