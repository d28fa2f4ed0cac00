package billing

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/gatehouse-dev/gatehouse/policy"
)

// SidPrefix begins the Sid of every statement the migrator appends, as
// with AWS's bulk policy migrator (aws-reference §3.4). The rest of the
// Sid is the index of the original statement it migrates
// ("BillingConsolePolicyMigrator0"), or "Single" and that index when
// the document's Statement was a single object that the migrator had to
// turn into an array ("BillingConsolePolicyMigratorSingle0"), so that
// [Rollback] can turn it back.
const SidPrefix = "BillingConsolePolicyMigrator"

const singleMarker = "Single"

// ErrTooLarge is wrapped by the error [MigrateDocument] returns when the
// migrated document would exceed the size limit even with the wildcard
// shorthand.
var ErrTooLarge = errors.New("migrated policy exceeds the size limit")

// Migration is the result of [MigrateDocument].
type Migration struct {
	// Document is the migrated document; it is the input, unchanged,
	// when Changed is false.
	Document string `json:"-"`
	Changed  bool   `json:"changed"`
	// RetiredActions are the retired actions the document uses, sorted
	// (a wildcard such as aws-portal:View* counts as every retired
	// action it covers).
	RetiredActions []string `json:"retiredActions"`
	// Statements has one entry per original statement that uses retired
	// actions, in document order.
	Statements []StatementChange `json:"statements"`
}

// StatementChange describes what the migrator did for one statement that
// uses retired actions.
type StatementChange struct {
	// Index is the statement's position in the original document.
	Index       int    `json:"index"`
	OriginalSid string `json:"originalSid,omitempty"`
	Effect      string `json:"effect"`
	// Element is "Action" or "NotAction".
	Element        string   `json:"element"`
	RetiredActions []string `json:"retiredActions"`
	// Sid is the Sid of the appended statement; "" when none was
	// appended (see Skipped).
	Sid string `json:"sid,omitempty"`
	// Added is the Action (or NotAction) list of the appended statement.
	Added []string `json:"added,omitempty"`
	// Shorthand reports that Added uses the wildcard shorthand of
	// aws-reference §3.3 to keep the document under the size limit.
	Shorthand bool   `json:"shorthand,omitempty"`
	Skipped   string `json:"skipped,omitempty"`
	Note      string `json:"note,omitempty"`
}

const (
	skipMigrated  = "already migrated"
	skipCovered   = "the statement already covers every replacement"
	noteNotAction = "NotAction: the appended statement has the meaning the original should have under the fine-grained model, " +
		"but adds nothing while the original stays; review the original and remove it once migration is finished"
)

// pending is a statement to append.
type pending struct {
	change  *StatementChange
	st      policy.Statement
	full    []string // replacement list without shorthand
	short   []string // with shorthand
	element string
}

// MigrateDocument finds every use of the retired billing actions in an
// identity policy document and returns the document with fine-grained
// equivalents appended, as AWS's bulk policy migrator did (aws-reference
// §3.4): nothing is removed, and for each original statement that uses
// retired actions one statement is appended with Sid SidPrefix+index,
// the same Effect, Resource or NotResource and Condition, and:
//
//   - for an Action statement (Allow or Deny), Action = the sorted union
//     of the §3.2 replacements of the retired actions its patterns cover
//     (aws-portal:*, aws-portal:View*, purchase-orders:* ...), leaving
//     out those the statement's own patterns already match; when all
//     are matched nothing is appended (Skipped says so);
//   - for a NotAction statement, NotAction = a copy of the original list
//     followed by the sorted replacements of the retired actions it
//     names. That is the statement the original means under the
//     fine-grained model ("everything except billing" must now also
//     except the fine-grained billing actions). Because the original
//     stays, the appended statement changes nothing yet (an Allow of a
//     subset, or a Deny of a subset, of what the original covers): it
//     is a proposal that takes effect when the operator removes the
//     original, and the change carries a Note saying so.
//
// The original text is kept byte for byte: the appended statements are
// inserted after the last statement, before the closing bracket, with
// the document's own indentation (compact when the document has no line
// breaks there). A Statement written as a single object becomes an
// array around the original object's text.
//
// maxSize (0 for no limit) is the policy size quota, counted as
// [policy.Size] does. When the result would exceed it, the appended
// statements fall back one at a time, longest first, to the wildcard
// shorthand of §3.3 (each replacement becomes service:Verb*, which for
// aws-portal:ViewBilling is exactly AWS's published example; it can
// allow more than the explicit list). If the document is still too big
// the error wraps [ErrTooLarge].
//
// A statement is already migrated when the document holds a statement
// with Sid SidPrefix+its index; such statements are reported with
// Skipped and not appended again, so migrating twice changes nothing.
// Documents without retired actions are returned unchanged.
func MigrateDocument(doc string, maxSize int) (Migration, error) {
	m := Migration{Document: doc, RetiredActions: []string{}, Statements: []StatementChange{}}
	d, err := policy.Parse([]byte(doc))
	if err != nil {
		return m, fmt.Errorf("billing: cannot migrate an invalid policy document: %w", err)
	}
	done := map[int]bool{}
	isMigrator := make([]bool, len(d.Statements))
	for i, st := range d.Statements {
		if idx, _, ok := migratorSid(st); ok {
			isMigrator[i] = true
			done[idx] = true
		}
	}
	var todo []*pending
	found := map[string]bool{}
	for i, st := range d.Statements {
		if isMigrator[i] {
			continue
		}
		element, list := "Action", st.Action.List
		if st.NotAction.Present {
			element, list = "NotAction", st.NotAction.List
		}
		var retired []string
		for _, p := range list {
			for _, r := range policy.RetiredActionsMatching(p) {
				if !slices.Contains(retired, r) {
					retired = append(retired, r)
				}
			}
		}
		if len(retired) == 0 {
			continue
		}
		sort.Strings(retired)
		for _, r := range retired {
			found[r] = true
		}
		m.Statements = append(m.Statements, StatementChange{
			Index: i, OriginalSid: st.Sid, Effect: st.Effect, Element: element, RetiredActions: retired,
		})
		ch := &m.Statements[len(m.Statements)-1]
		if done[i] {
			ch.Skipped = skipMigrated
			continue
		}
		repl := replacements(retired)
		p := &pending{st: st, element: element}
		if element == "Action" {
			p.full = uncovered(repl, list)
			p.short = uncovered(shorthand(repl), list)
			if len(p.full) == 0 {
				ch.Skipped = skipCovered
				continue
			}
		} else {
			p.full = append(slices.Clone(list), uncovered(repl, list)...)
			p.short = append(slices.Clone(list), uncovered(shorthand(repl), list)...)
			ch.Note = noteNotAction
		}
		if element == "Action" && strings.EqualFold(st.Effect, "Deny") {
			ch.Note = denyNote(p.full, retired)
		}
		todo = append(todo, p)
	}
	for r := range found {
		m.RetiredActions = append(m.RetiredActions, r)
	}
	sort.Strings(m.RetiredActions)
	if len(todo) == 0 {
		return m, nil
	}
	// Pointers into m.Statements are stable now.
	j := 0
	for i := range m.Statements {
		if m.Statements[i].Skipped == "" {
			todo[j].change = &m.Statements[i]
			j++
		}
	}
	single := !d.StatementIsList
	for _, p := range todo {
		p.change.Sid = SidPrefix + strconv.Itoa(p.change.Index)
		if single {
			p.change.Sid = SidPrefix + singleMarker + strconv.Itoa(p.change.Index)
		}
		p.change.Added = p.full
	}
	out, err := assemble(doc, d, todo)
	if err != nil {
		return m, err
	}
	if maxSize > 0 && policy.Size([]byte(out)) > maxSize {
		order := slices.Clone(todo)
		sort.SliceStable(order, func(a, b int) bool { return len(order[a].full) > len(order[b].full) })
		for _, p := range order {
			p.change.Added, p.change.Shorthand = p.short, true
			if out, err = assemble(doc, d, todo); err != nil {
				return m, err
			}
			if policy.Size([]byte(out)) <= maxSize {
				break
			}
		}
		if n := policy.Size([]byte(out)); n > maxSize {
			return m, fmt.Errorf("billing: %w: with the fine-grained statements appended (even with the wildcard shorthand) the policy would be %d characters, over the limit of %d; migrate it by hand",
				ErrTooLarge, n, maxSize)
		}
	}
	m.Document, m.Changed = out, true
	return m, nil
}

// denyNote explains, for an appended Deny, which of its actions other
// retired actions (ones the original Deny does not name) also mapped
// to: under the legacy model the original Deny did not block them when
// those actions were allowed, while the appended Deny always does.
func denyNote(added, retired []string) string {
	var over []string
	for _, a := range added {
		for _, r := range legacyFor[lower(a)] {
			if !slices.Contains(retired, r) {
				over = append(over, a)
				break
			}
		}
	}
	if len(over) == 0 {
		return ""
	}
	return "Deny: " + strings.Join(over, ", ") + " also replace retired actions this statement does not deny; " +
		"the appended Deny blocks them even where the legacy Deny did not; review"
}

// migratorSid reports whether st was appended by the migrator, and the
// index of the original statement it migrates.
func migratorSid(st policy.Statement) (idx int, single, ok bool) {
	if !st.HasSid || !strings.HasPrefix(st.Sid, SidPrefix) {
		return 0, false, false
	}
	rest := st.Sid[len(SidPrefix):]
	rest, single = strings.CutPrefix(rest, singleMarker)
	n, err := strconv.Atoi(rest)
	if err != nil || n < 0 {
		return -1, single, true // a migrator statement, but not one of ours to index
	}
	return n, single, true
}

// replacements returns the sorted union of the retired actions'
// fine-grained replacements.
func replacements(retired []string) []string {
	var out []string
	for _, r := range retired {
		for _, a := range policy.RetiredBillingActions[r] {
			if !slices.Contains(out, a) {
				out = append(out, a)
			}
		}
	}
	sort.Strings(out)
	return out
}

// uncovered returns the actions no pattern of list matches.
func uncovered(actions, list []string) []string {
	var out []string
next:
	for _, a := range actions {
		for _, p := range list {
			if matchFold(p, a) {
				continue next
			}
		}
		out = append(out, a)
	}
	return out
}

// shorthand collapses actions into service:Verb* patterns, sorted.
func shorthand(actions []string) []string {
	var out []string
	for _, a := range actions {
		svc, name, _ := strings.Cut(a, ":")
		verb := name
		for i := 1; i < len(name); i++ {
			if 'A' <= name[i] && name[i] <= 'Z' {
				verb = name[:i]
				break
			}
		}
		w := svc + ":" + verb + "*"
		if !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	sort.Strings(out)
	return out
}

// assemble inserts the pending statements into the document text.
func assemble(doc string, d *policy.Document, todo []*pending) (string, error) {
	var b strings.Builder
	if !d.StatementIsList {
		st := d.Statements[0]
		b.WriteString(doc[:st.Start])
		b.WriteByte('[')
		b.WriteString(doc[st.Start:st.End])
		for _, p := range todo {
			s, err := render(doc, p, "")
			if err != nil {
				return "", err
			}
			b.WriteByte(',')
			b.WriteString(s)
		}
		b.WriteByte(']')
		b.WriteString(doc[st.End:])
		return b.String(), nil
	}
	last := d.Statements[len(d.Statements)-1]
	i := last.Start
	for i > 0 && strings.IndexByte(" \t\r\n", doc[i-1]) >= 0 {
		i--
	}
	sep := doc[i:last.Start]
	prefix := ""
	if nl := strings.LastIndexByte(sep, '\n'); nl >= 0 {
		prefix = sep[nl+1:]
		if prefix == "" {
			prefix = "\x00" // pretty, but no indentation
		}
	}
	b.WriteString(doc[:last.End])
	for _, p := range todo {
		s, err := render(doc, p, prefix)
		if err != nil {
			return "", err
		}
		b.WriteByte(',')
		b.WriteString(sep)
		b.WriteString(s)
	}
	b.WriteString(doc[last.End:])
	return b.String(), nil
}

// render encodes the statement to append: compact when prefix is "",
// else indented with that line prefix ("\x00" for none).
func render(doc string, p *pending, prefix string) (string, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(doc[p.st.Start:p.st.End]), &raw); err != nil {
		return "", fmt.Errorf("billing: re-reading statement %d: %w", p.change.Index, err)
	}
	var b bytes.Buffer
	b.WriteByte('{')
	field := func(name string, v []byte) {
		if b.Len() > 1 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Quote(name))
		b.WriteByte(':')
		b.Write(v)
	}
	field("Sid", jsonValue(p.change.Sid))
	field("Effect", jsonValue(p.st.Effect))
	field(p.element, jsonValue(p.change.Added))
	for _, k := range []string{"Resource", "NotResource", "Condition"} {
		if v, ok := raw[k]; ok {
			var c bytes.Buffer
			if err := json.Compact(&c, v); err != nil {
				return "", err
			}
			field(k, c.Bytes())
		}
	}
	b.WriteByte('}')
	if prefix == "" {
		return b.String(), nil
	}
	indent := "  "
	if strings.Contains(prefix, "\t") {
		indent = "\t"
	}
	prefix = strings.TrimPrefix(prefix, "\x00")
	var out bytes.Buffer
	if err := json.Indent(&out, b.Bytes(), prefix, indent); err != nil {
		return "", err
	}
	return out.String(), nil
}

func jsonValue(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
	return bytes.TrimRight(b.Bytes(), "\n")
}

// Rollback removes the statements [MigrateDocument] appended (those whose
// Sid begins with SidPrefix), restoring the document's text byte for
// byte, including a Statement that was a single object. A document
// without such statements, or that cannot be parsed, is returned as is.
func Rollback(doc string) string {
	d, err := policy.Parse([]byte(doc))
	if err != nil || !d.StatementIsList {
		return doc
	}
	st := d.Statements
	remove := make([]bool, len(st))
	single, any, kept := false, false, 0
	for i, s := range st {
		if _, sg, ok := migratorSid(s); ok {
			remove[i], any = true, true
			single = single || sg
		} else {
			kept++
		}
	}
	if !any || kept == 0 {
		return doc
	}
	type span struct{ from, to int }
	var cut []span
	first := 0
	for remove[first] {
		first++
	}
	if first > 0 {
		cut = append(cut, span{st[0].Start, st[first].Start})
	}
	for k := first + 1; k < len(st); k++ {
		if remove[k] {
			cut = append(cut, span{st[k-1].End, st[k].End})
		}
	}
	var b strings.Builder
	at := 0
	for _, c := range cut {
		b.WriteString(doc[at:c.from])
		at = c.to
	}
	b.WriteString(doc[at:])
	out := b.String()
	if single && kept == 1 {
		d2, err := policy.Parse([]byte(out))
		if err == nil && len(d2.Statements) == 1 {
			s := d2.Statements[0]
			if s.Start > 0 && out[s.Start-1] == '[' && s.End < len(out) && out[s.End] == ']' {
				out = out[:s.Start-1] + out[s.Start:s.End] + out[s.End+1:]
			}
		}
	}
	return out
}
