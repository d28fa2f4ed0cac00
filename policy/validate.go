package policy

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Kind is the kind of policy a document is written as; validation rules
// and size limits differ between kinds.
type Kind uint8

// Policy kinds.
const (
	KindIdentity Kind = iota // identity-based (managed or inline)
	KindResource             // resource-based (bucket, queue, key policies)
	KindTrust                // a role's trust policy
	KindBoundary             // a permissions boundary
	KindSCP                  // an AWS Organizations service control policy
	KindRCP                  // an AWS Organizations resource control policy
	KindSession              // a session policy passed to STS
)

var kindNames = [...]string{"identity", "resource", "trust", "boundary", "scp", "rcp", "session"}

func (k Kind) String() string { return kindNames[k] }

// ParseKind parses a kind name as written on the command line.
func ParseKind(s string) (Kind, bool) {
	for i, n := range kindNames {
		if n == s {
			return Kind(i), true
		}
	}
	return 0, false
}

// DefaultMaxSize returns the size quota of a kind in characters, not
// counting white space (aws-reference §7): managed policies and boundaries
// 6,144; trust policies 2,048; session policies 2,048; SCPs and RCPs
// 5,120; resource policies 20,480 (S3's bucket policy limit).
func (k Kind) DefaultMaxSize() int {
	switch k {
	case KindTrust, KindSession:
		return 2048
	case KindSCP, KindRCP:
		return 5120
	case KindResource:
		return 20480
	}
	return 6144
}

// requiresPrincipal reports whether statements of this kind must name a
// Principal; forbidsPrincipal whether they must not.
func (k Kind) requiresPrincipal() bool { return k == KindResource || k == KindTrust || k == KindRCP }
func (k Kind) forbidsPrincipal() bool  { return !k.requiresPrincipal() }

// isIAM reports whether the document is written through the IAM API,
// whose rules (version, Sid characters) are stricter.
func (k Kind) isIAM() bool {
	return k == KindIdentity || k == KindBoundary || k == KindTrust || k == KindSession
}

// Severity ranks a finding.
type Severity uint8

// Severities. Errors block a write; warnings never do.
const (
	SeverityError Severity = iota
	SeverityWarning
)

func (s Severity) String() string {
	if s == SeverityError {
		return "error"
	}
	return "warning"
}

// Finding is one problem found by [Validate].
type Finding struct {
	Severity Severity
	// Code is the AWS error code for errors (MalformedPolicyDocument,
	// LimitExceeded, ValidationError) or a warning code such as
	// UNKNOWN_ACTION.
	Code string
	// Message is AWS's message for errors, an explanation for warnings.
	Message string
	// Path locates the fault, e.g. "Statement[1].Action[0]"; Line and
	// Column (1-based; 0 when unknown) locate a document that is not
	// JSON.
	Path         string
	Line, Column int
}

func (f Finding) String() string {
	s := f.Severity.String() + " " + f.Code + ": " + f.Message
	switch {
	case f.Line > 0:
		s += fmt.Sprintf(" (at line %d, column %d)", f.Line, f.Column)
	case f.Path != "":
		s += " (at " + f.Path + ")"
	}
	return s
}

// ValidateOptions configure [Validate].
type ValidateOptions struct {
	Kind Kind
	// MaxSize overrides the kind's default size quota.
	MaxSize int
	// SizeMessage overrides the LimitExceeded message (for example
	// "Maximum policy size of 2048 bytes exceeded for user bob").
	SizeMessage string
	// Catalog, when set, enables warnings about unknown services,
	// actions and condition keys.
	Catalog Catalog
	// Retired, when set, enables warnings about the billing actions AWS
	// retired (billing.Retired implements it).
	Retired RetiredActions
}

// RetiredActions is what validation needs to know about retired actions.
type RetiredActions interface {
	// RetiredMatching returns the retired actions an action pattern
	// covers, sorted, and the actions that replace them.
	RetiredMatching(pattern string) (retired, replacements []string)
}

// Catalog is what validation needs to know about AWS's services. The
// embedded catalog in package policy/catalog implements it.
type Catalog interface {
	// KnownService reports whether prefix names an AWS service.
	KnownService(prefix string) bool
	// MatchingActions reports how many actions of the service match the
	// name pattern (with * and ? wildcards), and the proper name of one
	// of them.
	MatchingActions(prefix, namePattern string) (n int, example string)
	// KnownConditionKey reports whether key is a known condition key.
	KnownConditionKey(key string) bool
	// Suggest returns a close known name for an unknown "service:Action"
	// or service prefix, or "".
	Suggest(name string) string
}

// FirstError returns the error AWS would report for the document, if any.
func FirstError(findings []Finding) (Finding, bool) {
	for _, f := range findings {
		if f.Severity == SeverityError {
			return f, true
		}
	}
	return Finding{}, false
}

// Validate checks a policy document as AWS does when it is written, and
// returns its findings: errors first, in the order AWS checks them (the
// first is the message AWS returns), then warnings in the spirit of IAM
// Access Analyzer's policy validation.
func Validate(data []byte, opts ValidateOptions) []Finding {
	v := validator{opts: opts}
	v.run(data)
	return append(v.errors, v.warnings...)
}

type validator struct {
	opts     ValidateOptions
	doc      *Document
	errors   []Finding
	warnings []Finding
}

func (v *validator) fail(code, msg, path string) {
	v.errors = append(v.errors, Finding{Severity: SeverityError, Code: code, Message: msg, Path: path})
}

func (v *validator) malformed(msg, path string) { v.fail("MalformedPolicyDocument", msg, path) }

func (v *validator) warn(code, msg, path string) {
	v.warnings = append(v.warnings, Finding{Severity: SeverityWarning, Code: code, Message: msg, Path: path})
}

// run applies the checks stage by stage; a stage that finds errors ends
// validation, as AWS reports one fault at a time.
func (v *validator) run(data []byte) {
	stages := []func([]byte){
		v.checkCharacters, v.checkSize, v.checkSyntax, v.checkPrincipalPresence, v.checkVersion,
		v.checkLegacy, v.checkSids, v.checkActionsExist, v.checkResourcesExist, v.checkResourceFormats,
		v.checkActionPrefixes, v.checkPrincipals,
	}
	for _, stage := range stages {
		stage(data)
		if len(v.errors) > 0 {
			return
		}
	}
	v.lint()
}

func (v *validator) checkCharacters(data []byte) {
	s := string(data)
	for i, r := range s {
		if r == utf8.RuneError || !(r == '\t' || r == '\n' || r == '\r' || (r >= 0x20 && r <= 0xFF)) {
			v.fail("ValidationError", MsgBadCharacters, fmt.Sprintf("character %U at offset %d", r, i))
			return
		}
	}
}

// Size counts a document's characters as AWS does against policy size
// quotas: white space is not counted.
func Size(data []byte) int {
	n := 0
	for _, r := range string(data) {
		switch r {
		case ' ', '\t', '\n', '\r':
		default:
			n++
		}
	}
	return n
}

func (v *validator) checkSize(data []byte) {
	limit := v.opts.MaxSize
	if limit == 0 {
		limit = v.opts.Kind.DefaultMaxSize()
	}
	if Size(data) <= limit {
		return
	}
	msg := v.opts.SizeMessage
	if msg == "" {
		quota := "PolicySize"
		if v.opts.Kind == KindTrust {
			quota = "ACLSizePerRole"
		}
		msg = fmt.Sprintf("Cannot exceed quota for %s: %d", quota, limit)
	}
	v.fail("LimitExceeded", msg, "")
}

func (v *validator) checkSyntax(data []byte) {
	doc, err := Parse(data)
	if err != nil {
		path := ""
		var se *SyntaxError
		if errors.As(err, &se) {
			path = se.Path
		}
		v.malformed(MsgSyntax, path)
		if se != nil && se.Offset >= 0 {
			pos := PositionOf(data, se.Offset)
			f := &v.errors[len(v.errors)-1]
			f.Line, f.Column = pos.Line, pos.Column
		}
		return
	}
	v.doc = doc
	if doc.HasVersion && doc.Version != Version2012 && doc.Version != Version2008 {
		v.malformed(MsgSyntax, "Version")
		return
	}
	for i, st := range doc.Statements {
		for _, c := range st.Condition {
			if _, ok := ParseOperator(c.Operator); !ok && !c.EmptyOperator {
				v.malformed(MsgSyntax, fmt.Sprintf("Statement[%d].Condition.%s", i, c.Operator))
				return
			}
		}
	}
}

func (v *validator) checkPrincipalPresence([]byte) {
	for i, st := range v.doc.Statements {
		has := st.Principal != nil || st.NotPrincipal != nil
		path := fmt.Sprintf("Statement[%d]", i)
		switch {
		case has && v.opts.Kind.forbidsPrincipal():
			v.malformed(MsgPrincipalForbidden, path+".Principal")
			return
		case !has && v.opts.Kind.requiresPrincipal():
			v.malformed(MsgMissingPrincipal, path)
			return
		case v.opts.Kind == KindTrust && (st.Resource.Present || st.NotResource.Present):
			v.malformed(MsgProhibitedResource, path+".Resource")
			return
		}
	}
}

func (v *validator) checkVersion([]byte) {
	if v.opts.Kind != KindIdentity && v.opts.Kind != KindBoundary {
		return
	}
	if v.doc.Version != Version2012 {
		v.malformed(MsgVersion, "Version")
	}
}

// checkLegacy repeats the checks of AWS's older parser: the exact case of
// Effect, the form of date values, and the shape of resource ARNs.
func (v *validator) checkLegacy([]byte) {
	for i, st := range v.doc.Statements {
		path := fmt.Sprintf("Statement[%d]", i)
		if st.Effect != "Allow" && st.Effect != "Deny" {
			v.malformed(MsgLegacyParsing, path+".Effect")
			return
		}
		for _, c := range st.Condition {
			spec, _ := ParseOperator(c.Operator)
			for _, val := range c.Values {
				if !legacyValueOK(spec.op, val) {
					v.malformed(MsgLegacyParsing, path+".Condition."+c.Operator+"."+c.Key)
					return
				}
			}
		}
		for _, r := range append(st.Resource.List, st.NotResource.List...) {
			if r == "*" || resourceErrorMessage(r) != "" {
				continue
			}
			if strings.Count(r, ":") < 5 && strings.Contains(r, "::") {
				v.malformed(MsgLegacyParsing, path+".Resource")
				return
			}
			if parts := strings.SplitN(r, ":", 4); len(parts) > 2 && parts[2] == "" {
				v.malformed(MsgLegacyParsing, path+".Resource")
				return
			}
		}
	}
}

// legacyValueOK checks that a condition value can be read by its operator.
func legacyValueOK(op operator, val string) bool {
	switch {
	case op.isDate():
		_, ok := parseDate(val)
		return ok || lenientDateOK(val)
	case op >= opNumericEquals && op <= opNumericGreaterThanEquals:
		_, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
		return err == nil
	case op == opIPAddress || op == opNotIPAddress:
		_, ok := parseCIDR(val)
		return ok
	case op == opBool || op == opNull:
		return equalFoldASCII(val, "true") || equalFoldASCII(val, "false")
	}
	return true
}

func (v *validator) checkSids([]byte) {
	seen := map[string]bool{}
	for i, st := range v.doc.Statements {
		if st.Sid == "" {
			continue
		}
		if v.opts.Kind.isIAM() && !isAlphanumeric(st.Sid) {
			v.malformed(MsgSidNotAlphanumeric, fmt.Sprintf("Statement[%d].Sid", i))
			return
		}
		if seen[st.Sid] {
			v.malformed(MsgDuplicateSid, fmt.Sprintf("Statement[%d].Sid", i))
			return
		}
		seen[st.Sid] = true
	}
}

func isAlphanumeric(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

func (v *validator) checkActionsExist([]byte) {
	for i, st := range v.doc.Statements {
		a := st.Action
		if st.NotAction.Present {
			a = st.NotAction
		}
		if !a.Present || len(a.List) == 0 {
			v.malformed(MsgNoActions, fmt.Sprintf("Statement[%d]", i))
			return
		}
	}
}

func (v *validator) checkResourcesExist([]byte) {
	if v.opts.Kind == KindTrust {
		return
	}
	for i, st := range v.doc.Statements {
		r := st.Resource
		if st.NotResource.Present {
			r = st.NotResource
		}
		if !r.Present || len(r.List) == 0 {
			v.malformed(MsgNoResources, fmt.Sprintf("Statement[%d]", i))
			return
		}
	}
}

// validPartitions are the partitions a resource ARN may name.
var validPartitions = map[string]bool{
	"aws": true, "aws-cn": true, "aws-us-gov": true, "aws-iso": true, "aws-iso-b": true,
	"aws-iso-e": true, "aws-iso-f": true, "aws-eusc": true,
}

// resourceErrorMessage returns AWS's message for a malformed resource
// ARN, or "".
func resourceErrorMessage(r string) string {
	if r == "*" {
		return ""
	}
	_, rest, ok := strings.Cut(r, ":")
	if !ok {
		return fmt.Sprintf(`Resource %s must be in ARN format or "*".`, r)
	}
	partition, rest, hasVendor := strings.Cut(rest, ":")
	if !validPartitions[partition] {
		f := strings.Split(rest, ":")
		field := func(i int) string {
			if i < len(f) && (i > 0 || f[0] != "" || len(f) > 1) {
				return f[i]
			}
			return "*"
		}
		last := "*"
		if len(f) > 3 {
			last = strings.Join(f[3:], ":")
		}
		return fmt.Sprintf(`Partition "%s" is not valid for resource "arn:%s:%s:%s:%s:%s".`,
			partition, partition, field(0), field(1), field(2), last)
	}
	if !hasVendor {
		return MsgVendorRegex
	}
	service, rest, _ := strings.Cut(rest, ":")
	if strings.ContainsAny(service, "*?") {
		return MsgVendorRegex
	}
	region, rest, _ := strings.Cut(rest, ":")
	account, _, _ := strings.Cut(rest, ":")
	switch {
	case service == "iam" && region != "":
		return fmt.Sprintf("IAM resource %s cannot contain region information.", r)
	case service == "s3" && region != "" && account == "":
		// Bucket and object ARNs have neither region nor account; access
		// points, jobs and Storage Lens ARNs carry both.
		return fmt.Sprintf("Resource %s can not contain region information.", r)
	}
	if service == "iam" {
		_, res, _ := strings.Cut(rest, ":")
		if res != "*" && !hasIAMResourcePrefix(res) {
			return MsgIAMResourcePath
		}
	}
	return ""
}

var iamResourcePrefixes = []string{
	"user/", "federated-user/", "role/", "group/", "instance-profile/", "mfa/", "server-certificate/",
	"policy/", "sms-mfa/", "saml-provider/", "oidc-provider/", "report/", "access-report/",
}

func hasIAMResourcePrefix(res string) bool {
	if res == "root" || strings.HasPrefix(res, "*") {
		return true
	}
	for _, p := range iamResourcePrefixes {
		if strings.HasPrefix(res, p) {
			return true
		}
	}
	return false
}

// checkResourceFormats reports a malformed resource the way AWS picks
// one: it walks the Resource elements of every statement, then the
// NotResource elements, each list in reverse lexical order, and reports
// the last fault it met.
func (v *validator) checkResourceFormats([]byte) {
	msg, path := "", ""
	for _, element := range []string{"Resource", "NotResource"} {
		for i, st := range v.doc.Statements {
			list := st.Resource.List
			if element == "NotResource" {
				list = st.NotResource.List
			}
			sorted := append([]string(nil), list...)
			sort.Sort(sort.Reverse(sort.StringSlice(sorted)))
			for _, r := range sorted {
				if m := resourceErrorMessage(r); m != "" {
					msg, path = m, fmt.Sprintf("Statement[%d].%s", i, element)
				}
			}
		}
	}
	if msg != "" {
		v.malformed(msg, path)
	}
}

func (v *validator) checkActionPrefixes([]byte) {
	for i, st := range v.doc.Statements {
		for j, a := range append(st.Action.List, st.NotAction.List...) {
			if msg := actionErrorMessage(a); msg != "" {
				v.malformed(msg, fmt.Sprintf("Statement[%d].Action[%d]", i, j))
				return
			}
		}
	}
}

func actionErrorMessage(a string) string {
	if a == "*" {
		return ""
	}
	parts := strings.Split(a, ":")
	switch {
	case len(parts) == 1:
		return MsgNoVendor
	case len(parts) > 2:
		return MsgOneColon
	}
	vendor := parts[0]
	if vendor == "*" {
		return ""
	}
	for i := 0; i < len(vendor); i++ {
		c := vendor[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.') {
			return fmt.Sprintf("Vendor %s is not valid", vendor)
		}
	}
	return ""
}

// checkPrincipals checks the form of each principal of resource, trust
// and RCP documents.
func (v *validator) checkPrincipals([]byte) {
	for i, st := range v.doc.Statements {
		p := st.Principal
		if p == nil {
			p = st.NotPrincipal
		}
		if p == nil {
			continue
		}
		for _, a := range p.AWS {
			if !validAWSPrincipal(a) {
				v.malformed(fmt.Sprintf(`Invalid principal in policy: "AWS":"%s"`, a), fmt.Sprintf("Statement[%d].Principal.AWS", i))
				return
			}
		}
		for _, s := range p.Service {
			if s == "" || strings.ContainsAny(s, "*? ") {
				v.malformed(fmt.Sprintf(`Invalid principal in policy: "SERVICE":"%s"`, s), fmt.Sprintf("Statement[%d].Principal.Service", i))
				return
			}
		}
		for _, f := range p.Federated {
			if f == "" || strings.ContainsAny(f, "*? ") {
				v.malformed(fmt.Sprintf(`Invalid principal in policy: "FEDERATED":"%s"`, f), fmt.Sprintf("Statement[%d].Principal.Federated", i))
				return
			}
		}
		if v.opts.Kind == KindTrust && st.NotPrincipal != nil {
			v.malformed("NotPrincipal is not supported in a role trust policy.", fmt.Sprintf("Statement[%d].NotPrincipal", i))
			return
		}
	}
}

// validAWSPrincipal accepts "*", a 12-digit account ID, or an IAM/STS ARN
// without wildcards.
func validAWSPrincipal(s string) bool {
	if s == "*" || (len(s) == 12 && isDigits(s)) {
		return true
	}
	if strings.ContainsAny(s, "*?") {
		return false
	}
	parts, ok := splitARNPattern(s)
	if !ok || parts[0] != "arn" || !validPartitions[parts[1]] || parts[3] != "" {
		return false
	}
	if len(parts[4]) != 12 || !isDigits(parts[4]) {
		return false
	}
	switch parts[2] {
	case "iam":
		return parts[5] == "root" || strings.HasPrefix(parts[5], "user/") || strings.HasPrefix(parts[5], "role/")
	case "sts":
		return strings.HasPrefix(parts[5], "assumed-role/") || strings.HasPrefix(parts[5], "federated-user/")
	}
	return false
}
