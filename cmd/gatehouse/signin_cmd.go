package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// signInPath is the server's unsigned root sign-in endpoint
// (api/signin.go).
const signInPath = "/_gatehouse/signin"

// rootSignIn is "gatehouse root sign-in": it sends the root email
// address, the password (--password, else asked for at a terminal, else
// the first line of stdin) and an MFA code, and prints the temporary root
// credentials it gets, as JSON or as shell export lines.
func rootSignIn(ctx context.Context, name string, fs *flag.FlagSet, endpoint *string, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	email := fs.String("email", "", "the root user's email address (required)")
	pw := fs.String("password", "", "the root password (prefer stdin: flags end up in shell history)")
	mfaCode := fs.String("mfa-code", "", "a code of root's MFA device (required when root has one)")
	mfaSerial := fs.String("mfa-serial", "", "the serial number (ARN) of root's MFA device, when root has several")
	format := fs.String("format", "json", "output: json, or env for export lines of AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN")
	if code, ok := parseFlags(fs, args, stdout); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "%s: unexpected argument %q\n", name, fs.Arg(0))
		return exitUsage
	}
	if *email == "" || (*format != "json" && *format != "env") {
		fmt.Fprintf(stderr, "%s: --email is required; --format is json or env\n", name)
		return exitUsage
	}
	if *pw == "" {
		pws, err := readPasswords(stdin, stderr, "Root password: ")
		if errors.Is(err, errShortInput) {
			fmt.Fprintf(stderr, "%s: give the root password as the first line of stdin (or --password)\n", name)
			return exitUsage
		} else if err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", name, err)
			return exitUsage
		}
		*pw = pws[0]
	}
	body, err := json.Marshal(struct {
		Email, Password string
		MFASerialNumber string `json:",omitempty"`
		MFACode         string `json:",omitempty"`
	}{*email, *pw, *mfaSerial, *mfaCode})
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", name, err)
		return 1
	}
	out, err := postUnsigned(ctx, endpointURL(*endpoint)+signInPath, body)
	if err != nil {
		if e, ok := err.(*awsError); ok {
			fmt.Fprintf(stderr, "%s: An error occurred (%s) when signing in: %s\n", name, e.Type, e.Message)
		} else {
			fmt.Fprintf(stderr, "%s: %v\n", name, err)
		}
		return 1
	}
	if *format == "env" {
		var res struct {
			Credentials struct{ AccessKeyId, SecretAccessKey, SessionToken, Expiration string }
		}
		if err := json.Unmarshal(out, &res); err != nil {
			fmt.Fprintf(stderr, "%s: reading the answer: %v\n", name, err)
			return 1
		}
		c := res.Credentials
		fmt.Fprintf(stdout, "export AWS_ACCESS_KEY_ID=%s\nexport AWS_SECRET_ACCESS_KEY=%s\nexport AWS_SESSION_TOKEN=%s\n# expires %s\n",
			shellQuote(c.AccessKeyId), shellQuote(c.SecretAccessKey), shellQuote(c.SessionToken), c.Expiration)
		return exitOK
	}
	printJSON(stdout, out)
	return exitOK
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// postUnsigned POSTs a JSON body and returns the answer, or the AWS
// error it carries.
func postUnsigned(ctx context.Context, url string, body []byte) ([]byte, error) {
	r, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	r.Header.Set("Content-Type", "application/json")
	return doRequest(&http.Client{Timeout: 30 * time.Second}, r)
}
