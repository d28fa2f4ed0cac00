package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/user"
	"strings"
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/query"
	"github.com/gatehouse-dev/gatehouse/iam"
	"github.com/gatehouse-dev/gatehouse/roottask"
)

// Lost root credentials (docs/root-tasks.md, "Lost root credentials"):
// "gatehouse root forgot-password" and "gatehouse root reset-password"
// are unsigned clients of the server, as sign-in is; "gatehouse root
// reset-credentials" is the operator's way back and works on the data
// directory.

// The server's unsigned recovery endpoints (api/recovery.go).
const (
	forgotPasswordPath = "/_gatehouse/forgot-password"
	resetPasswordPath  = "/_gatehouse/reset-password"
)

// unsignedCommand POSTs in to path and prints the JSON answer, or the
// error as the other root commands word it.
func unsignedCommand(ctx context.Context, name, endpoint, path, op string, in any, stdout, stderr io.Writer) int {
	body, err := json.Marshal(in)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", name, err)
		return 1
	}
	out, err := postUnsigned(ctx, endpointURL(endpoint)+path, body)
	if err != nil {
		if e, ok := err.(*awsError); ok {
			fmt.Fprintf(stderr, "%s: An error occurred (%s) when calling %s: %s\n", name, e.Type, op, e.Message)
		} else {
			fmt.Fprintf(stderr, "%s: %v\n", name, err)
		}
		return 1
	}
	printJSON(stdout, out)
	return exitOK
}

// rootForgotPassword is "gatehouse root forgot-password".
func rootForgotPassword(ctx context.Context, name string, fs *flag.FlagSet, endpoint *string, args []string, stdout, stderr io.Writer) int {
	email := fs.String("email", "", "the root user's email address (required)")
	if code, ok := parseFlags(fs, args, stdout); !ok {
		return code
	}
	if fs.NArg() > 0 || *email == "" {
		fmt.Fprintf(stderr, "%s: --email is required, and no arguments\n", name)
		return exitUsage
	}
	return unsignedCommand(ctx, name, *endpoint, forgotPasswordPath, "ForgotPassword", struct{ Email string }{*email}, stdout, stderr)
}

// rootResetPassword is "gatehouse root reset-password": the new password
// is asked for twice without echo at a terminal, else read as the first
// line of stdin.
func rootResetPassword(ctx context.Context, name string, fs *flag.FlagSet, endpoint *string, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	email := fs.String("email", "", "the root user's email address (required)")
	code := fs.String("code", "", "the reset code sent to that address (required)")
	if code, ok := parseFlags(fs, args, stdout); !ok {
		return code
	}
	if fs.NArg() > 0 || *email == "" || *code == "" {
		fmt.Fprintf(stderr, "%s: --email and --code are required, and no arguments\n", name)
		return exitUsage
	}
	pws, err := readNewPassword(stdin, stderr)
	switch {
	case errors.Is(err, errShortInput):
		fmt.Fprintf(stderr, "%s: give the new password as the first line of stdin\n", name)
		return exitUsage
	case err != nil:
		fmt.Fprintf(stderr, "%s: %v\n", name, err)
		return exitUsage
	}
	return unsignedCommand(ctx, name, *endpoint, resetPasswordPath, "ResetPassword",
		struct{ Email, Code, NewPassword string }{*email, *code, pws[0]}, stdout, stderr)
}

// operatorPrincipal names the operator in audit records: who ran the
// command on this machine, not an AWS principal.
func operatorPrincipal() string {
	name := "unknown"
	if u, err := user.Current(); err == nil && u.Username != "" {
		name = u.Username
	}
	host, _ := os.Hostname()
	if host == "" {
		host = "localhost"
	}
	return "gatehouse-operator:" + name + "@" + host
}

// rootResetCredentials is "gatehouse root reset-credentials": the
// operator's way back to a root user whose credentials are lost. It works
// on the data directory, whether the server runs or not, and prints the
// new credentials once.
func rootResetCredentials(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	const name = "gatehouse root reset-credentials"
	fs := newFlagSet("root reset-credentials", stderr)
	var sc storeConfig
	sc.register(fs)
	accountID := fs.String("account", "", "the account ID (required)")
	accessKey := fs.Bool("access-key", false, "also create a new root access key (root may hold 2)")
	deleteKeys := fs.Bool("delete-access-keys", false, "delete root's access keys (and the sessions made with them) first")
	removeMFA := fs.Bool("remove-mfa", false, "remove root's MFA devices, so root can sign in with the password alone")
	if code, ok := parseFlags(fs, args, stdout); !ok {
		return code
	}
	if fs.NArg() > 0 || *accountID == "" {
		fmt.Fprintf(stderr, "%s: --account is required, and no arguments\n", name)
		return exitUsage
	}
	st, err := sc.open(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", name, err)
		return 1
	}
	defer st.Close()

	keys := &iam.Service{Store: gatehouse.Narrow[iam.Tx](st)}
	pw, err := keys.NewSecretAccessKey()
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", name, err)
		return 1
	}
	in := roottask.CredentialsReset{AccountID: *accountID, Password: gatehouse.Secret(pw.Reveal()[:24]),
		DeleteAccessKeys: *deleteKeys, RemoveMFA: *removeMFA}
	if *accessKey {
		id, err := keys.NewAccessKeyID()
		if err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", name, err)
			return 1
		}
		secret, err := keys.NewSecretAccessKey()
		if err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", name, err)
			return 1
		}
		in.AccessKey = &gatehouse.AccessKey{ID: id, Secret: secret}
	}
	// The root ARN names the account's partition. An account the store
	// does not hold keeps the standard one: ResetRootCredentials reports
	// the missing account, and any other read error, itself.
	partition := gatehouse.Partition
	_ = st.View(ctx, func(tx gatehouse.Tx) error {
		a, err := tx.Account(*accountID)
		if err == nil {
			partition = a.ARNPartition()
		}
		return err
	})
	var rid [16]byte
	rand.Read(rid[:])
	rec := &gatehouse.AuditRecord{Time: time.Now().UTC(), RequestID: hex.EncodeToString(rid[:]), AccountID: *accountID,
		PrincipalARN: operatorPrincipal(), PrincipalType: gatehouse.PrincipalOperator,
		Service: "gatehouse", Action: "ResetRootCredentials", Resource: "arn:" + partition + ":iam::" + *accountID + ":root",
		UserAgent: "gatehouse/" + version() + " root reset-credentials",
		Speller:   query.Codec{}} // the audit's spelling of codes: IAM's
	res, err := (&roottask.Service{Store: gatehouse.Narrow[roottask.Tx](st)}).ResetRootCredentials(gatehouse.WithAudit(ctx, rec), in)
	if err != nil {
		if !rec.Written() { // audit the refusal too
			rec.SetError(gatehouse.ErrorCode(err))
			if werr := st.Update(gatehouse.WithAudit(ctx, rec), func(gatehouse.Tx) error { return nil }); werr != nil {
				fmt.Fprintf(stderr, "%s: writing the audit record: %v\n", name, werr)
			}
		}
		msg := gatehouse.ErrorMessage(err)
		if gatehouse.ErrorCode(err) == gatehouse.CodeLimit {
			msg += " (add --delete-access-keys, or run without --access-key)"
		}
		fmt.Fprintf(stderr, "%s: %s\n", name, msg)
		return 1
	}
	a := res.Account
	fmt.Fprintf(stdout, "Reset the root credentials of account %s (root user %s).\n", a.ID, orNone(a.Email))
	fmt.Fprintf(stdout, "  root password:          %s\n", in.Password.Reveal())
	if in.AccessKey != nil {
		fmt.Fprintf(stdout, "  root access key id:     %s\n", in.AccessKey.ID)
		fmt.Fprintf(stdout, "  root secret access key: %s\n", in.AccessKey.Secret.Reveal())
	}
	if len(res.DeletedKeys) > 0 {
		fmt.Fprintf(stdout, "  deleted access keys:    %s\n", strings.Join(res.DeletedKeys, ", "))
	}
	if len(res.RemovedMFA) > 0 {
		fmt.Fprintf(stdout, "  removed MFA devices:    %s\n", strings.Join(res.RemovedMFA, ", "))
	}
	fmt.Fprintf(stdout, "  ended root sessions:    %d\n", res.EndedSessions)
	fmt.Fprintln(stdout, "These are shown once. A notice went to the root email address; the reset is in the audit trail (gatehouse audit list).")
	if !*removeMFA && !*deleteKeys && !*accessKey {
		fmt.Fprintln(stdout, "Root's MFA devices and access keys are unchanged: a sign-in still needs root's MFA code if it has a device (--remove-mfa removes them).")
	}
	return exitOK
}

func orNone(s string) string {
	if s == "" {
		return "(no email address)"
	}
	return s
}
