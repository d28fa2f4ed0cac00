package policy

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Document is a parsed policy document. It keeps the document's own
// spelling of every value, so a validator can report faults against it,
// and remembers which optional elements were present.
type Document struct {
	Version    string
	HasVersion bool
	ID         string
	HasID      bool
	// StatementIsList reports whether Statement was written as an array.
	StatementIsList bool
	Statements      []Statement
}

// Statement is one statement of a [Document].
type Statement struct {
	// Start and End are the byte offsets of the statement's object in
	// the document text (End is exclusive).
	Start, End  int
	Sid         string
	HasSid      bool
	Effect      string
	Action      Values
	NotAction   Values
	Resource    Values
	NotResource Values
	// Principal and NotPrincipal are nil when the element is absent.
	Principal    *Principals
	NotPrincipal *Principals
	// Condition lists the condition block's operators in a stable order
	// (sorted by operator, then key).
	Condition    []ConditionEntry
	HasCondition bool
}

// Values is an element that AWS accepts either as one string or as an
// array of strings.
type Values struct {
	// Present reports whether the element appears in the statement.
	Present bool
	// IsList reports whether it was written as an array.
	IsList bool
	List   []string
}

// Principals is a Principal or NotPrincipal element.
type Principals struct {
	// Wildcard is true for the bare string "*".
	Wildcard bool
	// By principal kind: "AWS", "Service", "Federated", "CanonicalUser".
	AWS           []string
	Service       []string
	Federated     []string
	CanonicalUser []string
}

// ConditionEntry is one key under one operator of a Condition block.
type ConditionEntry struct {
	Operator string // as written, e.g. "ForAnyValue:StringLikeIfExists"
	Key      string // as written
	Values   []string
	// EmptyOperator marks an operator written with an empty object ({}),
	// which AWS accepts even when it does not know the operator.
	EmptyOperator bool
}

// SyntaxError is returned by [Parse] for a document that does not follow
// the policy grammar. Its Error text is AWS's message for the fault
// ("Syntax errors in policy."); Detail and Path say what and where.
type SyntaxError struct {
	Path   string
	Detail string
	// Offset is the byte of the document where the JSON broke off; -1
	// when the JSON is well formed and Path locates the fault.
	Offset int
}

func (e *SyntaxError) Error() string { return MsgSyntax }

// Parse parses a policy document. It checks the grammar only: element
// names, JSON types and the string-or-array forms. Use [Validate] for the
// semantic rules of a particular policy kind.
func Parse(data []byte) (*Document, error) {
	root, err := parseJSON(data)
	if err != nil {
		se := &SyntaxError{Detail: "invalid JSON", Offset: 0}
		var je *jsonError
		if errors.As(err, &je) {
			se.Offset = je.offset
		}
		return nil, se
	}
	top, err := members(root, "")
	if err != nil {
		return nil, err
	}
	doc := &Document{}
	for _, f := range top {
		switch f.name {
		case "Version":
			doc.HasVersion = true
			if doc.Version, err = stringValue(f.value, "Version"); err != nil {
				return nil, err
			}
		case "Id":
			doc.HasID = true
			if doc.ID, err = stringValue(f.value, "Id"); err != nil {
				return nil, err
			}
		case "Statement":
			if err := doc.parseStatements(f.value); err != nil {
				return nil, err
			}
		default:
			return nil, syntaxf(f.name, "unknown element %q", f.name)
		}
	}
	if doc.Statements == nil {
		return nil, syntaxf("Statement", "missing Statement")
	}
	return doc, nil
}

func (doc *Document) parseStatements(v jvalue) error {
	switch v.kind {
	case jObject:
		st, err := parseStatement(v, "Statement")
		if err != nil {
			return err
		}
		doc.Statements = []Statement{st}
	case jArray:
		if len(v.items) == 0 {
			return syntaxf("Statement", "empty Statement")
		}
		doc.StatementIsList = true
		doc.Statements = make([]Statement, 0, len(v.items))
		for i, it := range v.items {
			st, err := parseStatement(it, "Statement["+strconv.Itoa(i)+"]")
			if err != nil {
				return err
			}
			doc.Statements = append(doc.Statements, st)
		}
	default:
		return syntaxf("Statement", "Statement must be an object or an array")
	}
	return nil
}

func parseStatement(v jvalue, path string) (Statement, error) {
	st := Statement{Start: v.start, End: v.end}
	fields, err := members(v, path)
	if err != nil {
		return st, err
	}
	hasEffect := false
	for _, f := range fields {
		switch f.name {
		case "Sid":
			st.HasSid = true
			st.Sid, err = stringValue(f.value, "")
		case "Effect":
			hasEffect = true
			st.Effect, err = stringValue(f.value, "")
		case "Action":
			st.Action, err = valuesOf(f.value, "")
		case "NotAction":
			st.NotAction, err = valuesOf(f.value, "")
		case "Resource":
			st.Resource, err = valuesOf(f.value, "")
		case "NotResource":
			st.NotResource, err = valuesOf(f.value, "")
		case "Principal":
			st.Principal, err = principalsOf(f.value, "")
		case "NotPrincipal":
			st.NotPrincipal, err = principalsOf(f.value, "")
		case "Condition":
			st.HasCondition = true
			st.Condition, err = conditionOf(f.value, "")
		default:
			return st, syntaxf(path+"."+f.name, "unknown element %q", f.name)
		}
		if err != nil {
			return st, prefixPath(err, path+"."+f.name)
		}
	}
	switch {
	case !hasEffect:
		return st, syntaxf(path, "missing Effect")
	case !equalFoldASCII(st.Effect, "Allow") && !equalFoldASCII(st.Effect, "Deny"):
		return st, syntaxf(path+".Effect", "Effect must be Allow or Deny")
	case st.Action.Present && st.NotAction.Present:
		return st, syntaxf(path, "both Action and NotAction")
	case st.Resource.Present && st.NotResource.Present:
		return st, syntaxf(path, "both Resource and NotResource")
	case st.Principal != nil && st.NotPrincipal != nil:
		return st, syntaxf(path, "both Principal and NotPrincipal")
	}
	return st, nil
}

// members returns an object's members in document order; a repeated name
// keeps its first position and its last value, as encoding/json does.
func members(v jvalue, path string) ([]jfield, error) {
	if v.kind != jObject {
		return nil, syntaxf(path, "expected a JSON object")
	}
	fields := v.fields
	for i := 1; i < len(fields); i++ {
		for j := 0; j < i; j++ {
			if fields[j].name == fields[i].name {
				return dedupeMembers(fields), nil
			}
		}
	}
	return fields, nil
}

func dedupeMembers(fields []jfield) []jfield {
	out := make([]jfield, 0, len(fields))
	index := map[string]int{}
	for _, f := range fields {
		if i, ok := index[f.name]; ok {
			out[i].value = f.value
			continue
		}
		index[f.name] = len(out)
		out = append(out, f)
	}
	return out
}

func stringValue(v jvalue, path string) (string, error) {
	if v.kind != jString {
		return "", syntaxf(path, "expected a string")
	}
	return v.str, nil
}

func valuesOf(v jvalue, path string) (Values, error) {
	out := Values{Present: true}
	switch v.kind {
	case jString:
		out.List = []string{v.str}
	case jArray:
		out.IsList = true
		out.List = make([]string, 0, len(v.items))
		for _, it := range v.items {
			if it.kind != jString {
				return out, syntaxf(path, "expected a string or an array of strings")
			}
			out.List = append(out.List, it.str)
		}
	default:
		return out, syntaxf(path, "expected a string or an array of strings")
	}
	return out, nil
}

func principalsOf(v jvalue, path string) (*Principals, error) {
	if v.kind == jString {
		if v.str != "*" {
			return nil, syntaxf(path, `a string principal must be "*"`)
		}
		return &Principals{Wildcard: true}, nil
	}
	fields, err := members(v, path)
	if err != nil {
		return nil, err
	}
	p := &Principals{}
	for _, f := range fields {
		vals, err := valuesOf(f.value, path+"."+f.name)
		if err != nil {
			return nil, err
		}
		switch f.name {
		case "AWS":
			p.AWS = vals.List
		case "Service":
			p.Service = vals.List
		case "Federated":
			p.Federated = vals.List
		case "CanonicalUser":
			p.CanonicalUser = vals.List
		default:
			return nil, syntaxf(path+"."+f.name, "unknown principal type %q", f.name)
		}
	}
	return p, nil
}

func conditionOf(v jvalue, path string) ([]ConditionEntry, error) {
	ops, err := members(v, path)
	if err != nil {
		return nil, err
	}
	var out []ConditionEntry
	for _, op := range ops {
		keys, err := members(op.value, path+"."+op.name)
		if err != nil {
			return nil, err
		}
		if len(keys) == 0 {
			out = append(out, ConditionEntry{Operator: op.name, EmptyOperator: true})
			continue
		}
		for _, k := range keys {
			vals, err := conditionValues(k.value, path+"."+op.name+"."+k.name)
			if err != nil {
				return nil, err
			}
			out = append(out, ConditionEntry{Operator: op.name, Key: k.name, Values: vals})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Operator != out[j].Operator {
			return out[i].Operator < out[j].Operator
		}
		return out[i].Key < out[j].Key
	})
	return out, nil
}

// conditionValues accepts a scalar (string, number or boolean) or an
// array of scalars, and returns their string forms.
func conditionValues(v jvalue, path string) ([]string, error) {
	if v.kind != jArray {
		s, err := scalarOf(v, path)
		if err != nil {
			return nil, err
		}
		return []string{s}, nil
	}
	out := make([]string, 0, len(v.items))
	for _, it := range v.items {
		s, err := scalarOf(it, path)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

func scalarOf(v jvalue, path string) (string, error) {
	switch v.kind {
	case jString, jNumber, jBool:
		return v.str, nil
	}
	return "", syntaxf(path, "condition values must be strings, numbers or booleans")
}

// prefixPath puts prefix in front of a syntax error's relative path.
func prefixPath(err error, prefix string) error {
	if se, ok := err.(*SyntaxError); ok {
		p := prefix
		if se.Path != "" {
			p += "." + se.Path
		}
		return &SyntaxError{Path: p, Detail: se.Detail, Offset: se.Offset}
	}
	return err
}

func syntaxf(path, format string, args ...any) error {
	if len(path) > 0 && path[0] == '.' {
		path = path[1:]
	}
	return &SyntaxError{Path: path, Detail: fmt.Sprintf(format, args...), Offset: -1}
}

func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if lowerASCII(a[i]) != lowerASCII(b[i]) {
			return false
		}
	}
	return true
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// Position is a line and column in a document, both from 1, as IAM's
// policy simulator reports them.
type Position struct {
	Line   int
	Column int
}

// PositionOf converts a byte offset of data into a line and column.
func PositionOf(data []byte, offset int) Position {
	p := Position{Line: 1, Column: 1}
	for i := 0; i < offset && i < len(data); i++ {
		if data[i] == '\n' {
			p.Line++
			p.Column = 1
		} else {
			p.Column++
		}
	}
	return p
}

// PositionsOf converts byte offsets of data into lines and columns, as
// [PositionOf] does for each, in one pass over data.
func PositionsOf(data []byte, offsets []int) []Position {
	order := make([]int, len(offsets))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return offsets[order[a]] < offsets[order[b]] })
	out := make([]Position, len(offsets))
	p, at := Position{Line: 1, Column: 1}, 0
	for _, i := range order {
		for ; at < offsets[i] && at < len(data); at++ {
			if data[at] == '\n' {
				p.Line++
				p.Column = 1
			} else {
				p.Column++
			}
		}
		out[i] = p
	}
	return out
}

// EachAWSPrincipal calls fn with every "AWS" principal value of the
// document's Principal and NotPrincipal elements, in order; fn may change
// the value in place.
func (d *Document) EachAWSPrincipal(fn func(v *string)) {
	for i := range d.Statements {
		st := &d.Statements[i]
		for _, p := range []*Principals{st.Principal, st.NotPrincipal} {
			if p == nil {
				continue
			}
			for j := range p.AWS {
				fn(&p.AWS[j])
			}
		}
	}
}

// ConditionKeys returns the condition keys the document's statements use,
// as first spelled, in order of first use; keys differing only in case
// count once.
func (d *Document) ConditionKeys() []string {
	seen := map[string]bool{}
	var out []string
	for _, st := range d.Statements {
		for _, c := range st.Condition {
			if c.Key == "" {
				continue
			}
			k := strings.ToLower(c.Key)
			if !seen[k] {
				seen[k] = true
				out = append(out, c.Key)
			}
		}
	}
	return out
}
