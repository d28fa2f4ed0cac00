package policy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
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
}

func (e *SyntaxError) Error() string { return MsgSyntax }

// Parse parses a policy document. It checks the grammar only: element
// names, JSON types and the string-or-array forms. Use [Validate] for the
// semantic rules of a particular policy kind.
func Parse(data []byte) (*Document, error) {
	top, err := decodeObject(data, "")
	if err != nil {
		return nil, err
	}
	doc := &Document{}
	for _, f := range top {
		switch f.name {
		case "Version":
			doc.HasVersion = true
			if doc.Version, err = decodeString(f.raw, "Version"); err != nil {
				return nil, err
			}
		case "Id":
			doc.HasID = true
			if doc.ID, err = decodeString(f.raw, "Id"); err != nil {
				return nil, err
			}
		case "Statement":
			if err := doc.parseStatements(f.raw); err != nil {
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

func (doc *Document) parseStatements(raw json.RawMessage) error {
	raw = bytes.TrimSpace(raw)
	switch {
	case len(raw) > 0 && raw[0] == '{':
		st, err := parseStatement(raw, "Statement")
		if err != nil {
			return err
		}
		doc.Statements = []Statement{st}
	case len(raw) > 0 && raw[0] == '[':
		var items []json.RawMessage
		if err := json.Unmarshal(raw, &items); err != nil {
			return syntaxf("Statement", "invalid array")
		}
		if len(items) == 0 {
			return syntaxf("Statement", "empty Statement")
		}
		doc.StatementIsList = true
		doc.Statements = make([]Statement, 0, len(items))
		for i, it := range items {
			st, err := parseStatement(it, fmt.Sprintf("Statement[%d]", i))
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

func parseStatement(raw json.RawMessage, path string) (Statement, error) {
	var st Statement
	fields, err := decodeObject(raw, path)
	if err != nil {
		return st, err
	}
	hasEffect := false
	for _, f := range fields {
		p := path + "." + f.name
		switch f.name {
		case "Sid":
			st.HasSid = true
			st.Sid, err = decodeString(f.raw, p)
		case "Effect":
			hasEffect = true
			st.Effect, err = decodeString(f.raw, p)
		case "Action":
			st.Action, err = decodeValues(f.raw, p)
		case "NotAction":
			st.NotAction, err = decodeValues(f.raw, p)
		case "Resource":
			st.Resource, err = decodeValues(f.raw, p)
		case "NotResource":
			st.NotResource, err = decodeValues(f.raw, p)
		case "Principal":
			st.Principal, err = decodePrincipals(f.raw, p)
		case "NotPrincipal":
			st.NotPrincipal, err = decodePrincipals(f.raw, p)
		case "Condition":
			st.HasCondition = true
			st.Condition, err = decodeCondition(f.raw, p)
		default:
			return st, syntaxf(p, "unknown element %q", f.name)
		}
		if err != nil {
			return st, err
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

type field struct {
	name string
	raw  json.RawMessage
}

// decodeObject decodes a JSON object into its fields in document order.
// Duplicate names keep the last value, as encoding/json does.
func decodeObject(data []byte, path string) ([]field, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('{') {
		return nil, syntaxf(path, "expected a JSON object")
	}
	var fields []field
	index := map[string]int{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, syntaxf(path, "invalid JSON")
		}
		name, _ := tok.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, syntaxf(path, "invalid JSON")
		}
		if i, ok := index[name]; ok {
			fields[i].raw = raw
			continue
		}
		index[name] = len(fields)
		fields = append(fields, field{name, raw})
	}
	if _, err := dec.Token(); err != nil {
		return nil, syntaxf(path, "invalid JSON")
	}
	if _, err := dec.Token(); err == nil {
		return nil, syntaxf(path, "trailing data after the document")
	}
	return fields, nil
}

func decodeString(raw json.RawMessage, path string) (string, error) {
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", syntaxf(path, "expected a string")
	}
	return s, nil
}

func decodeValues(raw json.RawMessage, path string) (Values, error) {
	v := Values{Present: true}
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '[' {
		v.IsList = true
		if err := json.Unmarshal(raw, &v.List); err != nil {
			return v, syntaxf(path, "expected a string or an array of strings")
		}
		if v.List == nil {
			v.List = []string{}
		}
		return v, nil
	}
	s, err := decodeString(raw, path)
	if err != nil {
		return v, syntaxf(path, "expected a string or an array of strings")
	}
	v.List = []string{s}
	return v, nil
}

func decodePrincipals(raw json.RawMessage, path string) (*Principals, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '"' {
		s, _ := decodeString(raw, path)
		if s != "*" {
			return nil, syntaxf(path, `a string principal must be "*"`)
		}
		return &Principals{Wildcard: true}, nil
	}
	fields, err := decodeObject(raw, path)
	if err != nil {
		return nil, err
	}
	p := &Principals{}
	for _, f := range fields {
		v, err := decodeValues(f.raw, path+"."+f.name)
		if err != nil {
			return nil, err
		}
		switch f.name {
		case "AWS":
			p.AWS = v.List
		case "Service":
			p.Service = v.List
		case "Federated":
			p.Federated = v.List
		case "CanonicalUser":
			p.CanonicalUser = v.List
		default:
			return nil, syntaxf(path+"."+f.name, "unknown principal type %q", f.name)
		}
	}
	return p, nil
}

func decodeCondition(raw json.RawMessage, path string) ([]ConditionEntry, error) {
	ops, err := decodeObject(raw, path)
	if err != nil {
		return nil, err
	}
	var out []ConditionEntry
	for _, op := range ops {
		keys, err := decodeObject(op.raw, path+"."+op.name)
		if err != nil {
			return nil, err
		}
		if len(keys) == 0 {
			out = append(out, ConditionEntry{Operator: op.name, EmptyOperator: true})
			continue
		}
		for _, k := range keys {
			vals, err := decodeConditionValues(k.raw, path+"."+op.name+"."+k.name)
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

// decodeConditionValues accepts a scalar (string, number or boolean) or an
// array of scalars, and returns their string forms.
func decodeConditionValues(raw json.RawMessage, path string) ([]string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '[' {
		var items []json.RawMessage
		if err := json.Unmarshal(raw, &items); err != nil {
			return nil, syntaxf(path, "invalid array")
		}
		out := make([]string, 0, len(items))
		for i, it := range items {
			s, err := scalarString(it, fmt.Sprintf("%s[%d]", path, i))
			if err != nil {
				return nil, err
			}
			out = append(out, s)
		}
		return out, nil
	}
	s, err := scalarString(raw, path)
	if err != nil {
		return nil, err
	}
	return []string{s}, nil
}

func scalarString(raw json.RawMessage, path string) (string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "", syntaxf(path, "missing value")
	}
	switch raw[0] {
	case '"':
		return decodeString(raw, path)
	case 't', 'f':
		var b bool
		if err := json.Unmarshal(raw, &b); err != nil {
			return "", syntaxf(path, "invalid value")
		}
		return strconv.FormatBool(b), nil
	case '{', '[', 'n':
		return "", syntaxf(path, "condition values must be strings, numbers or booleans")
	default:
		var n json.Number
		if err := json.Unmarshal(raw, &n); err != nil {
			return "", syntaxf(path, "invalid value")
		}
		return n.String(), nil
	}
}

func syntaxf(path, format string, args ...any) error {
	return &SyntaxError{Path: path, Detail: fmt.Sprintf(format, args...)}
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
