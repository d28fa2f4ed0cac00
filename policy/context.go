package policy

import (
	"sort"
	"strings"
)

// Context holds the condition keys of a request. Key names are
// case-insensitive, as in AWS; each key has one or more string values
// (multivalued keys such as aws:TagKeys have several). Typed values
// (booleans, numbers, dates, IP addresses) are written in their string
// forms and parsed by the condition operator that reads them.
//
// The zero value is an empty context ready to use. A Context must not be
// modified while a decision reads it.
type Context struct {
	m map[string][]string
}

// Set replaces the values of key.
func (c *Context) Set(key string, values ...string) {
	if c.m == nil {
		c.m = make(map[string][]string)
	}
	c.m[strings.ToLower(key)] = values
}

// Add appends values to key.
func (c *Context) Add(key string, values ...string) {
	if c.m == nil {
		c.m = make(map[string][]string)
	}
	k := strings.ToLower(key)
	c.m[k] = append(c.m[k], values...)
}

// Delete removes key.
func (c *Context) Delete(key string) { delete(c.m, strings.ToLower(key)) }

// Get returns the values of key and whether it is present.
func (c *Context) Get(key string) ([]string, bool) {
	v, ok := c.m[strings.ToLower(key)]
	return v, ok
}

// Keys returns the lower-cased key names, sorted.
func (c *Context) Keys() []string {
	keys := make([]string, 0, len(c.m))
	for k := range c.m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Len reports the number of keys.
func (c *Context) Len() int { return len(c.m) }

// lookup takes an already lower-cased key.
func (c *Context) lookup(lowerKey string) []string {
	if c == nil {
		return nil
	}
	return c.m[lowerKey]
}

// variable resolves a policy variable. Only single-valued keys can be
// used as variables; a missing or multivalued key resolves to the
// variable's default, if it has one.
func (c *Context) variable(pt *part) (string, bool) {
	if v := c.lookup(pt.text); len(v) == 1 {
		return v[0], true
	}
	if pt.hasDef {
		return pt.def, true
	}
	return "", false
}
