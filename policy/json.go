package policy

import (
	"errors"
	"fmt"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// jkind is the type of a JSON value.
type jkind uint8

const (
	jNull jkind = iota
	jBool
	jNumber
	jString
	jArray
	jObject
)

// jvalue is a parsed JSON value. Policy documents are small and parsed
// once, when written; this tree parser is several times faster than
// encoding/json's reflection and keeps object members in document order.
type jvalue struct {
	kind       jkind
	start, end int    // byte offsets of the value in the document
	str        string // string value, number text, or "true"/"false"
	items      []jvalue
	fields     []jfield
}

type jfield struct {
	name  string
	value jvalue
}

var errJSON = errors.New("invalid JSON")

// maxJSONDepth bounds nesting so that hostile input cannot exhaust the stack.
const maxJSONDepth = 64

// parseJSON parses one JSON value that must fill data (surrounding white
// space aside). It follows RFC 8259.
func parseJSON(data []byte) (jvalue, error) {
	p := jparser{data: data}
	p.space()
	v, err := p.value(0)
	if err == nil {
		p.space()
		if p.pos != len(p.data) {
			err = errJSON
		}
	}
	if err != nil {
		return jvalue{}, &jsonError{offset: min(p.pos, len(p.data))}
	}
	return v, nil
}

// jsonError is a document that is not JSON; offset is the byte where the
// parser found it out.
type jsonError struct{ offset int }

func (e *jsonError) Error() string { return fmt.Sprintf("invalid JSON at byte %d", e.offset) }

type jparser struct {
	data []byte
	pos  int
}

func (p *jparser) space() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *jparser) value(depth int) (jvalue, error) {
	start := p.pos
	v, err := p.bare(depth)
	v.start, v.end = start, p.pos
	return v, err
}

func (p *jparser) bare(depth int) (jvalue, error) {
	if p.pos >= len(p.data) || depth > maxJSONDepth {
		return jvalue{}, errJSON
	}
	switch c := p.data[p.pos]; {
	case c == '{':
		return p.object(depth)
	case c == '[':
		return p.array(depth)
	case c == '"':
		s, err := p.string()
		return jvalue{kind: jString, str: s}, err
	case c == 't':
		return p.literal("true", jvalue{kind: jBool, str: "true"})
	case c == 'f':
		return p.literal("false", jvalue{kind: jBool, str: "false"})
	case c == 'n':
		return p.literal("null", jvalue{kind: jNull})
	case c == '-' || ('0' <= c && c <= '9'):
		return p.number()
	}
	return jvalue{}, errJSON
}

func (p *jparser) literal(word string, v jvalue) (jvalue, error) {
	if len(p.data)-p.pos < len(word) || string(p.data[p.pos:p.pos+len(word)]) != word {
		return jvalue{}, errJSON
	}
	p.pos += len(word)
	return v, nil
}

func (p *jparser) object(depth int) (jvalue, error) {
	p.pos++ // '{'
	v := jvalue{kind: jObject}
	p.space()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		return v, nil
	}
	for {
		p.space()
		if p.pos >= len(p.data) || p.data[p.pos] != '"' {
			return v, errJSON
		}
		name, err := p.string()
		if err != nil {
			return v, err
		}
		p.space()
		if p.pos >= len(p.data) || p.data[p.pos] != ':' {
			return v, errJSON
		}
		p.pos++
		p.space()
		val, err := p.value(depth + 1)
		if err != nil {
			return v, err
		}
		v.fields = append(v.fields, jfield{name, val})
		p.space()
		if p.pos >= len(p.data) {
			return v, errJSON
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case '}':
			p.pos++
			return v, nil
		default:
			return v, errJSON
		}
	}
}

func (p *jparser) array(depth int) (jvalue, error) {
	p.pos++ // '['
	v := jvalue{kind: jArray}
	p.space()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		return v, nil
	}
	for {
		p.space()
		item, err := p.value(depth + 1)
		if err != nil {
			return v, err
		}
		v.items = append(v.items, item)
		p.space()
		if p.pos >= len(p.data) {
			return v, errJSON
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case ']':
			p.pos++
			return v, nil
		default:
			return v, errJSON
		}
	}
}

func (p *jparser) number() (jvalue, error) {
	start := p.pos
	d := p.data
	if p.pos < len(d) && d[p.pos] == '-' {
		p.pos++
	}
	switch {
	case p.pos < len(d) && d[p.pos] == '0':
		p.pos++
	case p.pos < len(d) && '1' <= d[p.pos] && d[p.pos] <= '9':
		p.digits()
	default:
		return jvalue{}, errJSON
	}
	if p.pos < len(d) && d[p.pos] == '.' {
		p.pos++
		if p.digits() == 0 {
			return jvalue{}, errJSON
		}
	}
	if p.pos < len(d) && (d[p.pos] == 'e' || d[p.pos] == 'E') {
		p.pos++
		if p.pos < len(d) && (d[p.pos] == '+' || d[p.pos] == '-') {
			p.pos++
		}
		if p.digits() == 0 {
			return jvalue{}, errJSON
		}
	}
	return jvalue{kind: jNumber, str: string(d[start:p.pos])}, nil
}

func (p *jparser) digits() int {
	n := 0
	for p.pos < len(p.data) && '0' <= p.data[p.pos] && p.data[p.pos] <= '9' {
		p.pos++
		n++
	}
	return n
}

// string parses a JSON string starting at its opening quote.
func (p *jparser) string() (string, error) {
	p.pos++ // '"'
	start := p.pos
	d := p.data
	// Fast path: no escapes.
	for p.pos < len(d) {
		c := d[p.pos]
		if c == '"' {
			s := string(d[start:p.pos])
			p.pos++
			return s, nil
		}
		if c == '\\' || c < 0x20 {
			break
		}
		p.pos++
	}
	buf := append([]byte(nil), d[start:p.pos]...)
	for p.pos < len(d) {
		c := d[p.pos]
		switch {
		case c == '"':
			p.pos++
			return string(buf), nil
		case c < 0x20:
			return "", errJSON
		case c != '\\':
			buf = append(buf, c)
			p.pos++
			continue
		}
		p.pos++
		if p.pos >= len(d) {
			return "", errJSON
		}
		e := d[p.pos]
		p.pos++
		switch e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, ok := p.hex4()
			if !ok {
				return "", errJSON
			}
			if utf16.IsSurrogate(r) {
				r2 := utf8.RuneError
				if p.pos+1 < len(d) && d[p.pos] == '\\' && d[p.pos+1] == 'u' {
					save := p.pos
					p.pos += 2
					if x, ok := p.hex4(); ok && utf16.DecodeRune(r, x) != utf8.RuneError {
						r2 = utf16.DecodeRune(r, x)
					} else {
						p.pos = save
					}
				}
				r = r2
			}
			buf = utf8.AppendRune(buf, r)
		default:
			return "", errJSON
		}
	}
	return "", errJSON
}

func (p *jparser) hex4() (rune, bool) {
	if len(p.data)-p.pos < 4 {
		return 0, false
	}
	n, err := strconv.ParseUint(string(p.data[p.pos:p.pos+4]), 16, 32)
	if err != nil {
		return 0, false
	}
	p.pos += 4
	return rune(n), true
}
