package catalog

import (
	"slices"
	"strings"
)

// keyIndex resolves condition keys by name, ignoring case, including
// concrete instances of templated keys.
type keyIndex struct {
	sorted    []*ConditionKey // by name ignoring case, no duplicates
	templates []keyTemplate
}

// keyTemplate is a templated key such as "aws:ResourceTag/${TagKey}",
// split into the literal text around its variables.
type keyTemplate struct {
	key     *ConditionKey
	parts   []string // literal parts; len(parts) = number of variables + 1
	literal int      // total length of parts
}

// newKeyIndex indexes keys. Where several keys have the same name ignoring
// case, the first one wins.
func newKeyIndex(keys []*ConditionKey) keyIndex {
	var x keyIndex
	x.sorted = slices.Clone(keys)
	if !slices.IsSortedFunc(x.sorted, compareKeys) {
		slices.SortStableFunc(x.sorted, compareKeys)
	}
	x.sorted = slices.CompactFunc(x.sorted, func(a, b *ConditionKey) bool { return compareKeys(a, b) == 0 })
	for _, k := range x.sorted {
		if t, ok := parseTemplate(k); ok {
			x.templates = append(x.templates, t)
		}
	}
	return x
}

func compareKeys(a, b *ConditionKey) int { return compareFold(a.Name, b.Name) }

// lookup returns the key named key: an exact match if there is one, else
// the matching template with the most literal text (the first in name
// order among equals).
func (x *keyIndex) lookup(key string) (*ConditionKey, bool) {
	if i, ok := slices.BinarySearchFunc(x.sorted, key, func(k *ConditionKey, key string) int { return compareFold(k.Name, key) }); ok {
		return x.sorted[i], true
	}
	var best *keyTemplate
	for i := range x.templates {
		t := &x.templates[i]
		if (best == nil || t.literal > best.literal) && t.match(key) {
			best = t
		}
	}
	if best == nil {
		return nil, false
	}
	return best.key, true
}

// parseTemplate splits a key name containing ${...} variables.
func parseTemplate(k *ConditionKey) (keyTemplate, bool) {
	t := keyTemplate{key: k}
	rest := k.Name
	for {
		i := strings.Index(rest, "${")
		if i < 0 {
			break
		}
		j := strings.IndexByte(rest[i:], '}')
		if j < 0 {
			break
		}
		t.parts = append(t.parts, rest[:i])
		rest = rest[i+j+1:]
	}
	if len(t.parts) == 0 {
		return t, false
	}
	t.parts = append(t.parts, rest)
	for _, p := range t.parts {
		t.literal += len(p)
	}
	return t, true
}

// match reports whether s is an instance of the template, ignoring case.
// Each variable stands for one or more arbitrary characters; literal parts
// are placed leftmost, which finds a match whenever one exists.
func (t *keyTemplate) match(s string) bool {
	vars := len(t.parts) - 1
	if len(s) < t.literal+vars {
		return false
	}
	first, last := t.parts[0], t.parts[vars]
	if !hasPrefixFold(s, first) || compareFold(s[len(s)-len(last):], last) != 0 {
		return false
	}
	pos, end := len(first), len(s)-len(last)
	for _, lit := range t.parts[1:vars] {
		i := indexFold(s[min(pos+1, end):end], lit)
		if i < 0 {
			return false
		}
		pos += 1 + i + len(lit)
	}
	return end-pos >= 1
}

// indexFold returns the index of the first instance of sub in s, ignoring
// ASCII case, or -1.
func indexFold(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if hasPrefixFold(s[i:], sub) {
			return i
		}
	}
	return -1
}
