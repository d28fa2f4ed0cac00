// Package wildcard matches strings against AWS-style glob patterns, where
// '*' matches any run of characters (including none) and '?' matches exactly
// one character. Every other character, including regular-expression
// metacharacters, stands for itself.
//
// Matching never backtracks beyond the most recent '*', so it runs in
// O(len(pattern)·len(s)) time at worst and linear time for the patterns
// found in policies; it never allocates.
package wildcard

import "unicode/utf8"

// Match reports whether s matches pattern. Comparison is case-sensitive.
func Match(pattern, s string) bool { return match(pattern, s, false) }

// MatchFold reports whether s matches pattern, ignoring ASCII letter case.
func MatchFold(pattern, s string) bool { return match(pattern, s, true) }

// HasWildcard reports whether pattern contains '*' or '?'.
func HasWildcard(pattern string) bool {
	for i := 0; i < len(pattern); i++ {
		if pattern[i] == '*' || pattern[i] == '?' {
			return true
		}
	}
	return false
}

func match(p, s string, fold bool) bool {
	pi, si := 0, 0
	starP, starS := -1, 0
	for si < len(s) {
		if pi < len(p) {
			switch c := p[pi]; c {
			case '*':
				starP, starS = pi, si
				pi++
				continue
			case '?':
				_, w := utf8.DecodeRuneInString(s[si:])
				pi++
				si += w
				continue
			default:
				if c == s[si] || (fold && lower(c) == lower(s[si])) {
					pi++
					si++
					continue
				}
			}
		}
		if starP < 0 {
			return false
		}
		// Let the last star absorb one more character and retry from there.
		_, w := utf8.DecodeRuneInString(s[starS:])
		starS += w
		pi, si = starP+1, starS
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
