package policy

import (
	"fmt"
	"strings"

	"github.com/gatehouse-dev/gatehouse/arn"
)

// Effect is a statement's effect.
type Effect uint8

// The two effects.
const (
	Deny Effect = iota
	Allow
)

func (e Effect) String() string {
	if e == Allow {
		return "Allow"
	}
	return "Deny"
}

// Policy is a compiled policy document, ready to be evaluated many times.
// It is immutable and safe for concurrent use.
type Policy struct {
	id         string
	doc        *Document
	statements []statement
}

// ID returns the identifier given to [Compile].
func (p *Policy) ID() string { return p.id }

// Document returns the parsed document the policy was compiled from.
func (p *Policy) Document() *Document { return p.doc }

type statement struct {
	index  int
	sid    string
	effect Effect

	notAction bool
	actions   []actionPattern

	notResource bool
	resources   []arnPattern
	// heads are the literal resource heads of the statement's resource
	// patterns (see resourceHead); wildHeads is set when some pattern's
	// head is not literal, so the statement may match any resource.
	heads     []string
	wildHeads bool

	principal    *principalMatcher // nil when the statement has none
	notPrincipal bool

	conditions []condition

	cost stmtCost // what deciding against the statement may cost (see Meter)
}

// actionPattern is a compiled "service:Action" pattern, lower-cased.
type actionPattern struct {
	all     bool   // "*"
	service string // lower-cased service prefix
	svcWild bool   // the prefix holds wildcards: match with svcPat
	svcPat  pattern
	name    pattern // lower-cased action name pattern
	whole   pattern // used when the pattern has no colon
	noColon bool
}

// Compile compiles a parsed document. The id names the policy in
// decisions (for example a policy ARN and version). Compile rejects what
// cannot be evaluated (unknown condition operators, unparseable numbers,
// dates or addresses); run [Validate] first for AWS's write-time rules.
func Compile(id string, doc *Document) (*Policy, error) {
	p := &Policy{id: id, doc: doc, statements: make([]statement, 0, len(doc.Statements))}
	vars := doc.Version == Version2012
	for i := range doc.Statements {
		st, err := compileStatement(i, &doc.Statements[i], vars)
		if err != nil {
			return nil, fmt.Errorf("statement %d: %w", i, err)
		}
		p.statements = append(p.statements, st)
	}
	return p, nil
}

// CompileJSON parses and compiles a policy document.
func CompileJSON(id string, data []byte) (*Policy, error) {
	doc, err := Parse(data)
	if err != nil {
		return nil, err
	}
	return Compile(id, doc)
}

func compileStatement(i int, s *Statement, vars bool) (statement, error) {
	st := statement{index: i, sid: s.Sid, effect: Deny}
	if s.Effect == "Allow" {
		st.effect = Allow
	} else if s.Effect != "Deny" {
		return st, fmt.Errorf("invalid Effect %q", s.Effect)
	}
	actions := s.Action
	if s.NotAction.Present {
		st.notAction, actions = true, s.NotAction
	}
	for _, a := range actions.List {
		st.actions = append(st.actions, compileActionPattern(a))
	}
	resources := s.Resource
	if s.NotResource.Present {
		st.notResource, resources = true, s.NotResource
	}
	st.wildHeads = st.notResource
	if !resources.Present {
		// A role trust policy names no Resource: the statement is about
		// the role itself and applies whatever the request's resource.
		st.resources, st.wildHeads = []arnPattern{{all: true}}, true
	}
	for _, r := range resources.List {
		st.resources = append(st.resources, compileARNPattern(r, vars, true))
		h := resourceHead(r)
		if h == "" || strings.ContainsAny(h, "*?") || (vars && strings.Contains(h, "${")) {
			st.wildHeads = true
		} else {
			st.heads = append(st.heads, h)
		}
	}
	switch {
	case s.Principal != nil:
		st.principal = compilePrincipals(s.Principal)
	case s.NotPrincipal != nil:
		st.principal, st.notPrincipal = compilePrincipals(s.NotPrincipal), true
	}
	for _, e := range s.Condition {
		if e.EmptyOperator {
			continue
		}
		c, err := compileCondition(e, vars)
		if err != nil {
			return st, err
		}
		st.conditions = append(st.conditions, c)
	}
	st.computeCost()
	return st, nil
}

func compileActionPattern(a string) actionPattern {
	a = strings.ToLower(a)
	if a == "*" {
		return actionPattern{all: true}
	}
	svc, name, ok := strings.Cut(a, ":")
	if !ok {
		return actionPattern{noColon: true, whole: compilePattern(a, true, false, false)}
	}
	return actionPattern{
		service: svc,
		svcWild: strings.ContainsAny(svc, "*?"),
		svcPat:  compilePattern(svc, true, false, false),
		name:    compilePattern(name, true, false, false),
	}
}

func (ap *actionPattern) match(service, name, action string) bool {
	switch {
	case ap.all:
		return true
	case ap.noColon:
		return ap.whole.match(action, true, nil)
	case ap.svcWild:
		if !ap.svcPat.match(service, true, nil) {
			return false
		}
	case !equalFoldASCII(ap.service, service):
		return false
	}
	return ap.name.match(name, true, nil)
}

// principalMatcher is a compiled Principal or NotPrincipal element.
type principalMatcher struct {
	any       bool
	aws       []awsPrincipal
	service   []string
	federated []string
	canonical []string
}

type awsPrincipal struct {
	value   string
	account string // set when the value names an account (ID or :root ARN)
}

func compilePrincipals(p *Principals) *principalMatcher {
	m := &principalMatcher{any: p.Wildcard, service: p.Service, federated: p.Federated, canonical: p.CanonicalUser}
	for _, v := range p.AWS {
		if v == "*" {
			m.any = true
			continue
		}
		ap := awsPrincipal{value: v}
		if len(v) == 12 && isDigits(v) {
			ap.account = v
		} else if a, err := arn.Parse(v); err == nil && a.Service == "iam" && a.Resource == "root" {
			ap.account = a.Account
		}
		m.aws = append(m.aws, ap)
	}
	return m
}
