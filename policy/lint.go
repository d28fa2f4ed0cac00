package policy

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/gatehouse-dev/gatehouse/wildcard"
)

// Warning codes reported by [Validate].
const (
	WarnUnknownService      = "UNKNOWN_SERVICE"
	WarnUnknownAction       = "UNKNOWN_ACTION"
	WarnRetiredAction       = "RETIRED_BILLING_ACTION"
	WarnAllowNotAction      = "ALLOW_WITH_NOT_ACTION"
	WarnAllowNotResource    = "ALLOW_WITH_NOT_RESOURCE"
	WarnAllowNotPrincipal   = "ALLOW_WITH_NOT_PRINCIPAL"
	WarnDenyNotPrincipal    = "DENY_WITH_NOT_PRINCIPAL"
	WarnRedundantStatement  = "REDUNDANT_STATEMENT"
	WarnRedundantAction     = "REDUNDANT_ACTION"
	WarnRedundantResource   = "REDUNDANT_RESOURCE"
	WarnUnknownConditionKey = "UNKNOWN_CONDITION_KEY"
	WarnVariableAsLiteral   = "POLICY_VARIABLE_AS_LITERAL"
)

// lint adds warnings to a document that passed every error check.
func (v *validator) lint() {
	doc := v.doc
	for i := range doc.Statements {
		st := &doc.Statements[i]
		path := fmt.Sprintf("Statement[%d]", i)
		if st.Effect == "Allow" && st.NotAction.Present {
			v.warn(WarnAllowNotAction, "Using NotAction with Allow grants every action not listed, including those of services added later; list the allowed actions instead.", path+".NotAction")
		}
		if st.Effect == "Allow" && st.NotResource.Present {
			v.warn(WarnAllowNotResource, "Using NotResource with Allow grants access to every resource not listed; list the allowed resources instead.", path+".NotResource")
		}
		if st.NotPrincipal != nil {
			// AWS's NotPrincipal page: NotPrincipal "must be used with
			// Effect Deny"; a Deny with it "will always deny any IAM
			// principal that has a permissions boundary policy attached".
			if st.Effect == "Allow" {
				v.warn(WarnAllowNotPrincipal, "Using NotPrincipal with Allow grants access to every principal not listed, anonymous callers included, and AWS does not support it; name the allowed principals in Principal instead.", path+".NotPrincipal")
			} else {
				v.warn(WarnDenyNotPrincipal, "A Deny with NotPrincipal always denies IAM users and roles that have a permissions boundary, whatever it lists; AWS recommends Principal \"*\" with an ArnNotEquals condition on aws:PrincipalArn instead.", path+".NotPrincipal")
			}
		}
		v.lintActions(st, path)
		v.lintRedundant(st.Resource.List, WarnRedundantResource, "resource", path+".Resource", false)
		v.lintRedundant(st.NotResource.List, WarnRedundantResource, "resource", path+".NotResource", false)
		v.lintConditions(st, path)
		for j := 0; j < i; j++ {
			if sameButSid(&doc.Statements[j], st) {
				v.warn(WarnRedundantStatement, fmt.Sprintf("This statement repeats statement %d.", j), path)
				break
			}
		}
	}
	if doc.Version != Version2012 && strings.Contains(v.rawText(), "${") {
		v.warn(WarnVariableAsLiteral, `Policy variables such as ${aws:username} are only replaced under "Version": "2012-10-17"; in this document they are literal text.`, "Version")
	}
}

// sameButSid reports whether two statements say the same thing, whatever
// their Sids and positions.
func sameButSid(a, b *Statement) bool {
	x, y := *a, *b
	x.Sid, y.Sid, x.HasSid, y.HasSid = "", "", false, false
	x.Start, x.End, y.Start, y.End = 0, 0, 0, 0
	return reflect.DeepEqual(x, y)
}

func (v *validator) rawText() string {
	var b strings.Builder
	for _, st := range v.doc.Statements {
		for _, r := range append(st.Resource.List, st.NotResource.List...) {
			b.WriteString(r)
		}
		for _, c := range st.Condition {
			for _, val := range c.Values {
				b.WriteString(val)
			}
		}
	}
	return b.String()
}

func (v *validator) lintActions(st *Statement, path string) {
	name := "Action"
	list := st.Action.List
	if st.NotAction.Present {
		name, list = "NotAction", st.NotAction.List
	}
	for j, a := range list {
		p := fmt.Sprintf("%s.%s[%d]", path, name, j)
		if v.opts.Retired != nil {
			if retired, repl := v.opts.Retired.RetiredMatching(a); len(retired) > 0 {
				v.warn(WarnRetiredAction, fmt.Sprintf("%s uses retired billing actions (%s), which AWS stopped honouring in July 2023 and never honours for accounts created on or after 2023-03-06; add their fine-grained replacements: %s.",
					a, strings.Join(retired, ", "), strings.Join(dedupe(repl), ", ")), p)
				continue
			}
		}
		v.lintKnownAction(a, p)
	}
	v.lintRedundant(list, WarnRedundantAction, "action", path+"."+name, true)
}

func (v *validator) lintKnownAction(a, path string) {
	cat := v.opts.Catalog
	if cat == nil || a == "*" {
		return
	}
	svc, name, ok := strings.Cut(a, ":")
	if !ok || strings.ContainsAny(svc, "*?") {
		return
	}
	if !cat.KnownService(svc) {
		msg := fmt.Sprintf("The service prefix %q in %s is not an AWS service.", svc, a)
		if s := cat.Suggest(svc); s != "" {
			msg += fmt.Sprintf(" Did you mean %q?", s)
		}
		v.warn(WarnUnknownService, msg, path)
		return
	}
	if n, _ := cat.MatchingActions(svc, name); n == 0 {
		msg := fmt.Sprintf("The action %s does not exist.", a)
		if wildcard.HasWildcard(name) {
			msg = fmt.Sprintf("The action pattern %s matches no action of %s.", a, svc)
		} else if s := cat.Suggest(a); s != "" {
			msg += fmt.Sprintf(" Did you mean %s?", s)
		}
		v.warn(WarnUnknownAction, msg, path)
	}
}

// lintRedundant warns about list entries that another entry of the same
// list already covers.
func (v *validator) lintRedundant(list []string, code, what, path string, fold bool) {
	for i, a := range list {
		for j, b := range list {
			if i == j {
				continue
			}
			covered := false
			if fold {
				covered = wildcard.MatchFold(b, a) && !(equalFoldASCII(a, b) && j > i)
			} else {
				covered = wildcard.Match(b, a) && !(a == b && j > i)
			}
			if covered {
				v.warn(code, fmt.Sprintf("The %s %s is already covered by %s in the same statement.", what, a, b), fmt.Sprintf("%s[%d]", path, i))
				break
			}
		}
	}
}

func (v *validator) lintConditions(st *Statement, path string) {
	cat := v.opts.Catalog
	if cat == nil {
		return
	}
	for _, c := range st.Condition {
		if c.EmptyOperator {
			continue
		}
		if !cat.KnownConditionKey(c.Key) {
			v.warn(WarnUnknownConditionKey, fmt.Sprintf("The condition key %s is not a known AWS condition key.", c.Key), path+".Condition."+c.Operator+"."+c.Key)
		}
	}
}

func dedupe(list []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range list {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
