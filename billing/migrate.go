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
// Sid is a number, unique in the document: the position of the original
// statement it migrates when no other statement has that Sid yet, else
// the next free number ("BillingConsolePolicyMigrator0"), after
// "Single" when the document's Statement was a single object that the
// migrator had to turn into an array ("BillingConsolePolicyMigratorSingle0"),
// so that [Rollback] can turn it back.
//
// The Sid only names the statement. The migrator recognises its own
// statements by content (see [MigrateDocument]): a statement is the
// migration of an original statement when it carries the prefix and is
// exactly what the migrator appends for that original.
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
	// Unmatched lists the Sids of the statements that carry SidPrefix
	// but are the migration of no statement of the document: written by
	// hand, or left over from an original statement that was edited or
	// removed since. The migrator leaves them alone, and so does
	// [Rollback].
	Unmatched []string `json:"unmatchedMigratorStatements,omitempty"`
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
	// MigratedBy is, for a statement already migrated, the Sid of the
	// statement that migrates it.
	MigratedBy string `json:"migratedBy,omitempty"`
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

// original is a statement of the document that uses retired actions,
// with what the migrator appends for it.
type original struct {
	index   int
	st      policy.Statement
	element string // "Action" or "NotAction"
	retired []string
	// full and short are the Action (NotAction) list of the appended
	// statement without and with the wildcard shorthand; both nil when
	// the statement's own patterns already cover every replacement.
	full, short []string
}

// originals returns the statements of d that use retired actions, in
// document order. Statements whose Sid carries SidPrefix are never
// originals: they are the migrator's (or look like it).
func originals(d *policy.Document) []original {
	var out []original
	for i, st := range d.Statements {
		if hasMigratorSid(st) {
			continue
		}
		element, list := "Action", st.Action.List
		if st.NotAction.Present {
			element, list = "NotAction", st.NotAction.List
		}
		var retired []string
		for _, p := range list {
			for _, r := range RetiredActionsMatching(p) {
				if !slices.Contains(retired, r) {
					retired = append(retired, r)
				}
			}
		}
		if len(retired) == 0 {
			continue
		}
		sort.Strings(retired)
		o := original{index: i, st: st, element: element, retired: retired}
		repl := replacements(retired)
		if element == "Action" {
			if full := uncovered(repl, list); len(full) > 0 {
				o.full, o.short = full, uncovered(shorthand(repl), list)
			}
		} else {
			o.full = append(slices.Clone(list), uncovered(repl, list)...)
			o.short = append(slices.Clone(list), uncovered(shorthand(repl), list)...)
		}
		out = append(out, o)
	}
	return out
}

// hasMigratorSid reports whether st's Sid begins with SidPrefix.
func hasMigratorSid(st policy.Statement) bool {
	return st.HasSid && strings.HasPrefix(st.Sid, SidPrefix)
}

// matchMigrations pairs each original with the statement of the
// document that migrates it, if any: migratedBy[k] is the index in
// d.Statements of the migration of origs[k], or -1. Each statement
// migrates at most one original (two identical originals need two
// migrations). isMigration marks the statements that migrate one.
func matchMigrations(doc string, d *policy.Document, origs []original) (migratedBy []int, isMigration []bool) {
	migratedBy = make([]int, len(origs))
	isMigration = make([]bool, len(d.Statements))
	for k, o := range origs {
		migratedBy[k] = -1
		if o.full == nil {
			continue
		}
		for i, st := range d.Statements {
			if !isMigration[i] && hasMigratorSid(st) && migrates(doc, st, o) {
				migratedBy[k], isMigration[i] = i, true
				break
			}
		}
	}
	return migratedBy, isMigration
}

// migrates reports whether statement m is what the migrator appends for
// o (with or without the wildcard shorthand): the same Effect and
// element, the Action (NotAction) list the migrator computes (compared
// without regard to order or case), and the original's Resource,
// NotResource and Condition (compared as JSON values), and nothing else.
func migrates(doc string, m policy.Statement, o original) bool {
	if m.Effect != o.st.Effect {
		return false
	}
	list := m.Action
	if o.element == "NotAction" {
		list = m.NotAction
	}
	if !list.Present || !(sameActions(list.List, o.full) || sameActions(list.List, o.short)) {
		return false
	}
	var mRaw, oRaw map[string]json.RawMessage
	if json.Unmarshal([]byte(doc[m.Start:m.End]), &mRaw) != nil || json.Unmarshal([]byte(doc[o.st.Start:o.st.End]), &oRaw) != nil {
		return false
	}
	want := map[string]bool{"Sid": true, "Effect": true, o.element: true}
	for _, k := range []string{"Resource", "NotResource", "Condition"} {
		ov, inO := oRaw[k]
		mv, inM := mRaw[k]
		if inO != inM || inO && !sameJSON(ov, mv) {
			return false
		}
		want[k] = inO
	}
	for k := range mRaw {
		if !want[k] {
			return false
		}
	}
	return true
}

// sameActions reports whether two action lists hold the same actions,
// without regard to order or case.
func sameActions(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	la, lb := make([]string, len(a)), make([]string, len(b))
	for i := range a {
		la[i], lb[i] = lower(a[i]), lower(b[i])
	}
	sort.Strings(la)
	sort.Strings(lb)
	return slices.Equal(la, lb)
}

// sameJSON reports whether two JSON texts hold the same value (object
// members in any order, any spacing).
func sameJSON(a, b json.RawMessage) bool {
	var va, vb any
	if json.Unmarshal(a, &va) != nil || json.Unmarshal(b, &vb) != nil {
		return false
	}
	ca, _ := json.Marshal(va)
	cb, _ := json.Marshal(vb)
	return bytes.Equal(ca, cb)
}

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
// retired actions one statement is appended with a Sid that begins with
// SidPrefix, the same Effect, Resource or NotResource and Condition, and:
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
// A statement is already migrated when the document holds, anywhere, a
// statement with a SidPrefix Sid whose content is what the migrator
// appends for it (with or without the shorthand); such statements are
// reported with Skipped and MigratedBy and not appended again, so
// migrating twice changes nothing, and inserting, removing or moving
// statements between runs does not confuse the migrator. A statement
// whose Sid begins with SidPrefix is never migrated itself; one that
// migrates no statement is listed in Unmatched. Documents without
// retired actions are returned unchanged.
func MigrateDocument(doc string, maxSize int) (Migration, error) {
	m := Migration{Document: doc, RetiredActions: []string{}, Statements: []StatementChange{}}
	d, err := policy.Parse([]byte(doc))
	if err != nil {
		return m, fmt.Errorf("billing: cannot migrate an invalid policy document: %w", err)
	}
	origs := originals(d)
	migratedBy, isMigration := matchMigrations(doc, d, origs)
	taken := map[string]bool{}
	for i, st := range d.Statements {
		if st.HasSid {
			taken[lower(st.Sid)] = true
		}
		if hasMigratorSid(st) && !isMigration[i] {
			m.Unmatched = append(m.Unmatched, st.Sid)
		}
	}
	var todo []*pending
	found := map[string]bool{}
	for k, o := range origs {
		for _, r := range o.retired {
			found[r] = true
		}
		m.Statements = append(m.Statements, StatementChange{
			Index: o.index, OriginalSid: o.st.Sid, Effect: o.st.Effect, Element: o.element, RetiredActions: o.retired,
		})
		ch := &m.Statements[len(m.Statements)-1]
		switch {
		case o.full == nil:
			ch.Skipped = skipCovered
			continue
		case migratedBy[k] >= 0:
			ch.Skipped, ch.MigratedBy = skipMigrated, d.Statements[migratedBy[k]].Sid
			continue
		}
		if o.element == "NotAction" {
			ch.Note = noteNotAction
		} else if strings.EqualFold(o.st.Effect, "Deny") {
			ch.Note = denyNote(o.full, o.retired)
		}
		todo = append(todo, &pending{st: o.st, element: o.element, full: o.full, short: o.short})
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
	prefix := SidPrefix
	if !d.StatementIsList {
		prefix += singleMarker
	}
	for _, p := range todo {
		n := p.change.Index
		for taken[lower(prefix+strconv.Itoa(n))] {
			n++
		}
		p.change.Sid = prefix + strconv.Itoa(n)
		taken[lower(p.change.Sid)] = true
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

// replacements returns the sorted union of the retired actions'
// fine-grained replacements.
func replacements(retired []string) []string {
	var out []string
	for _, r := range retired {
		for _, a := range RetiredBillingActions[r] {
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

// Rollback removes the statements [MigrateDocument] appended, restoring
// the document's text byte for byte, including a Statement that was a
// single object. A statement is removed only when it is, by content, the
// migration of a statement still in the document (see MigrateDocument);
// a statement that merely carries SidPrefix (written by hand, or left
// from an original edited since) stays. A document without migrations,
// or that cannot be parsed, is returned as is.
func Rollback(doc string) string {
	out, _ := RollbackDocument(doc)
	return out
}

// RollbackDocument is [Rollback] that also returns the Sids of the
// statements it kept although they carry SidPrefix (as
// Migration.Unmatched lists them).
func RollbackDocument(doc string) (out string, unmatched []string) {
	d, err := policy.Parse([]byte(doc))
	if err != nil || !d.StatementIsList {
		return doc, nil
	}
	st := d.Statements
	_, remove := matchMigrations(doc, d, originals(d))
	single, removed, kept := false, false, 0
	for i, s := range st {
		switch {
		case remove[i]:
			removed = true
			single = single || strings.HasPrefix(s.Sid, SidPrefix+singleMarker)
		case hasMigratorSid(s):
			unmatched = append(unmatched, s.Sid)
			kept++
		default:
			kept++
		}
	}
	if !removed || kept == 0 {
		return doc, unmatched
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
	out = b.String()
	if single && kept == 1 {
		d2, err := policy.Parse([]byte(out))
		if err == nil && len(d2.Statements) == 1 {
			s := d2.Statements[0]
			if s.Start > 0 && out[s.Start-1] == '[' && s.End < len(out) && out[s.End] == ']' {
				out = out[:s.Start-1] + out[s.Start:s.End] + out[s.End+1:]
			}
		}
	}
	return out, unmatched
}
