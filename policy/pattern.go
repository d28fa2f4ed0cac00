package policy

import (
	"strings"
	"unicode/utf8"
)

type partKind uint8

const (
	partLiteral  partKind = iota
	partStar              // '*': any run of characters
	partOne               // '?': exactly one character
	partVariable          // ${key} or ${key, 'default'}
)

type part struct {
	kind   partKind
	text   string // literal text, or the lower-cased variable key
	def    string // default value of a variable
	hasDef bool
}

// pattern is a compiled string pattern: literals, wildcards and policy
// variables. Matching resolves variables from the request context and
// treats their values as literal text; it never allocates.
type pattern struct {
	raw   string
	parts []part
	// all is true for a pattern that is exactly "*".
	all bool
	// literal is set when the pattern has no wildcards and no variables.
	literal    string
	isLiteral  bool
	hasVarPart bool
}

// compilePattern compiles s. wild enables '*' and '?'; vars enables
// ${...} policy variables (policy version 2012-10-17); fold lower-cases
// literal text (for case-insensitive matching).
func compilePattern(s string, wild, vars, fold bool) pattern {
	p := pattern{raw: s}
	lit := func(t string) {
		if t == "" {
			return
		}
		if fold {
			t = strings.ToLower(t)
		}
		if n := len(p.parts); n > 0 && p.parts[n-1].kind == partLiteral {
			p.parts[n-1].text += t
			return
		}
		p.parts = append(p.parts, part{kind: partLiteral, text: t})
	}
	start := 0 // start of the pending literal run s[start:i]
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case wild && (c == '*' || c == '?'):
			lit(s[start:i])
			if c == '?' {
				p.parts = append(p.parts, part{kind: partOne})
			} else if n := len(p.parts); n == 0 || p.parts[n-1].kind != partStar {
				p.parts = append(p.parts, part{kind: partStar})
			}
			i++
			start = i
		case vars && c == '$' && i+1 < len(s) && s[i+1] == '{':
			end := strings.IndexByte(s[i+2:], '}')
			if end < 0 {
				i++
				continue
			}
			lit(s[start:i])
			body := s[i+2 : i+2+end]
			i += 2 + end + 1
			start = i
			switch body {
			case "*", "?", "$":
				lit(body)
				continue
			}
			key, def, hasDef := parseVariable(body)
			p.parts = append(p.parts, part{kind: partVariable, text: strings.ToLower(key), def: def, hasDef: hasDef})
			p.hasVarPart = true
		default:
			i++
		}
	}
	lit(s[start:])
	switch {
	case len(p.parts) == 0:
		p.isLiteral = true
	case len(p.parts) == 1 && p.parts[0].kind == partLiteral:
		p.isLiteral, p.literal = true, p.parts[0].text
	case len(p.parts) == 1 && p.parts[0].kind == partStar:
		p.all = true
	}
	return p
}

// parseVariable splits the body of ${...} into its key and an optional
// default written as ", 'value'".
func parseVariable(body string) (key, def string, hasDef bool) {
	i := strings.IndexByte(body, ',')
	if i < 0 {
		return strings.TrimSpace(body), "", false
	}
	key = strings.TrimSpace(body[:i])
	rest := strings.TrimSpace(body[i+1:])
	if len(rest) >= 2 && rest[0] == '\'' && rest[len(rest)-1] == '\'' {
		return key, rest[1 : len(rest)-1], true
	}
	return key, rest, true
}

// match reports whether s matches p. With fold, literal text was
// lower-cased at compile time and s is compared ignoring ASCII case.
func (p *pattern) match(s string, fold bool, ctx *Context) bool {
	if p.all {
		return true
	}
	if p.isLiteral {
		if fold {
			return equalFoldASCII(p.literal, s)
		}
		return p.literal == s
	}
	parts := p.parts
	pi, si := 0, 0
	starPi, starSi := -1, 0
	for {
		if pi < len(parts) {
			pt := &parts[pi]
			switch pt.kind {
			case partStar:
				if pi == len(parts)-1 {
					return true // a trailing '*' takes in the rest, whatever it is
				}
				starPi, starSi = pi, si
				pi++
				continue
			case partOne:
				if si < len(s) {
					_, w := utf8.DecodeRuneInString(s[si:])
					si += w
					pi++
					continue
				}
			case partLiteral:
				if hasPrefix(s[si:], pt.text, fold) {
					si += len(pt.text)
					pi++
					continue
				}
			case partVariable:
				v, ok := ctx.variable(pt)
				if !ok {
					return false
				}
				if hasPrefix(s[si:], v, fold) {
					si += len(v)
					pi++
					continue
				}
			}
		} else if si == len(s) {
			return true
		}
		if starPi < 0 || starSi >= len(s) {
			return false
		}
		_, w := utf8.DecodeRuneInString(s[starSi:])
		starSi += w
		pi, si = starPi+1, starSi
	}
}

// trailingStar reports whether the pattern ends with '*'.
func (p *pattern) trailingStar() bool {
	return p.all || len(p.parts) > 0 && p.parts[len(p.parts)-1].kind == partStar
}

func hasPrefix(s, prefix string, fold bool) bool {
	if len(s) < len(prefix) {
		return false
	}
	if !fold {
		return s[:len(prefix)] == prefix
	}
	return equalFoldASCII(s[:len(prefix)], prefix)
}
