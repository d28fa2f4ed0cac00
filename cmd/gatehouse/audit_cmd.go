package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/gatehouse-dev/gatehouse"
)

// defaultAuditLimit is how many records `audit list` prints unless
// --limit says otherwise.
const defaultAuditLimit = 100

// runAudit handles the operator commands on the audit trail, which read
// the data directory directly, whether the server runs or not.
func runAudit(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, groupUsage("audit"))
		return exitUsage
	}
	switch args[0] {
	case "list":
		return auditList(ctx, args[1:], time.Now, stdout, stderr)
	}
	fmt.Fprint(stderr, groupUsage("audit"))
	return exitUsage
}

// auditRecordJSON is the --json form of one audit record.
type auditRecordJSON struct {
	Seq           int64     `json:"seq"`
	Time          time.Time `json:"time"`
	RequestID     string    `json:"requestId"`
	AccountID     string    `json:"accountId"`
	PrincipalARN  string    `json:"principalArn"`
	PrincipalType string    `json:"principalType"`
	Root          bool      `json:"root"`
	AccessKeyID   string    `json:"accessKeyId"`
	SignIn        bool      `json:"signIn"`
	MFA           bool      `json:"mfa"`
	Service       string    `json:"service"`
	Action        string    `json:"action"`
	Resource      string    `json:"resource"`
	Decision      string    `json:"decision"`
	ErrorCode     string    `json:"errorCode"`
	SourceIP      string    `json:"sourceIp"`
	UserAgent     string    `json:"userAgent"`
}

// auditList prints the most recent audit records, newest first. now
// anchors a --since given as a duration.
func auditList(ctx context.Context, args []string, now func() time.Time, stdout, stderr io.Writer) int {
	fs := newFlagSet("audit list", stderr)
	var sc storeConfig
	sc.register(fs)
	var f gatehouse.AuditFilter
	fs.StringVar(&f.AccountID, "account", "", "only the records of this account")
	fs.BoolVar(&f.RootOnly, "root-only", false, "only the requests of root users")
	since := fs.String("since", "", "only the requests since this time: RFC 3339, or a duration back from now (24h)")
	fs.IntVar(&f.Limit, "limit", defaultAuditLimit, "at most this many records; 0 for all")
	asJSON := fs.Bool("json", false, "print the records as a JSON array")
	if code, ok := parseFlags(fs, args, stdout); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "gatehouse audit list: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	if f.Limit < 0 {
		fmt.Fprintln(stderr, "gatehouse audit list: --limit must not be negative")
		return exitUsage
	}
	if *since != "" {
		t, err := parseSince(*since, now)
		if err != nil {
			fmt.Fprintf(stderr, "gatehouse audit list: --since: %v\n", err)
			return exitUsage
		}
		f.Since = t
	}

	st, err := sc.open(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "gatehouse audit list: %v\n", err)
		return 1
	}
	defer st.Close()
	var recs []*gatehouse.AuditRecord
	if err := st.View(ctx, func(tx gatehouse.Tx) error {
		var err error
		recs, err = tx.AuditRecords(f)
		return err
	}); err != nil {
		fmt.Fprintf(stderr, "gatehouse audit list: %v\n", err)
		return 1
	}

	if *asJSON {
		out := make([]auditRecordJSON, 0, len(recs))
		for _, r := range recs {
			out = append(out, auditRecordJSON{r.Seq, r.Time.UTC(), r.RequestID, r.AccountID, r.PrincipalARN, r.PrincipalType,
				r.Root, r.AccessKeyID, r.SignIn, r.MFA, r.Service, r.Action, r.Resource, r.Decision, r.ErrorCode, r.SourceIP, r.UserAgent})
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			fmt.Fprintf(stderr, "gatehouse audit list: %v\n", err)
			return 1
		}
		return exitOK
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TIME\tACCOUNT\tPRINCIPAL\tTYPE\tCREDENTIAL\tACTION\tRESOURCE\tDECISION\tERROR\tSOURCE IP")
	for _, r := range recs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Time.UTC().Format(time.RFC3339), dash(r.AccountID),
			auditPrincipal(r), auditType(r), auditCredential(r), auditAction(r), dash(r.Resource), dash(r.Decision), dash(r.ErrorCode), dash(r.SourceIP))
	}
	if err := tw.Flush(); err != nil {
		fmt.Fprintf(stderr, "gatehouse audit list: %v\n", err)
		return 1
	}
	return exitOK
}

// parseSince reads --since: an RFC 3339 time, or a duration before now.
func parseSince(s string, now func() time.Time) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return now().Add(-d), nil
	}
	return time.Time{}, fmt.Errorf("%q is neither an RFC 3339 time nor a duration such as 24h", s)
}

// auditPrincipal is the PRINCIPAL column: the caller's ARN, or for a
// request that established none, the access key it named.
func auditPrincipal(r *gatehouse.AuditRecord) string {
	switch {
	case r.PrincipalARN != "":
		return r.PrincipalARN
	case r.AccessKeyID != "":
		return "(" + r.AccessKeyID + ")"
	}
	return "-"
}

// auditType is the TYPE column; root requests stand out as ROOT.
func auditType(r *gatehouse.AuditRecord) string {
	if r.Root {
		return "ROOT"
	}
	return dash(r.PrincipalType)
}

// auditCredential is the CREDENTIAL column: how the caller signed in
// (sign-in, temporary or long-term key, with or without MFA).
func auditCredential(r *gatehouse.AuditRecord) string {
	var c string
	switch {
	case r.SignIn:
		c = "sign-in"
	case strings.HasPrefix(r.AccessKeyID, "ASIA"):
		c = "session"
	case r.AccessKeyID != "":
		c = "key"
	default:
		return "-"
	}
	if r.MFA {
		c += "+mfa"
	}
	return c
}

// auditAction is the ACTION column, "service:Action".
func auditAction(r *gatehouse.AuditRecord) string {
	switch {
	case r.Action == "":
		return dash(r.Service)
	case r.Service == "":
		return r.Action
	}
	return r.Service + ":" + r.Action
}

// dash stands in for an empty column.
func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
