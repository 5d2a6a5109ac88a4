package logquery

import (
	"errors"
	"fmt"
	"unicode"
	"unicode/utf8"
)

// Glob is a compiled, case-insensitive wildcard pattern:
//
//	syntax   matches
//	*        any run of characters, including none and including '.', '@' and '/'
//	?        exactly one character
//	[abc]    one character from the set; [a-z] ranges; [!abc] or [^abc] negate
//	\x       the character x itself (also inside a class)
//
// It exists instead of path.Match because log values are e-mail addresses and
// dotted action names, where '/' is not special and case should not matter.
// Matching uses the two-pointer star algorithm, so a match costs at most
// O(len(pattern) × len(s)) and never backtracks exponentially.
//
// The zero Glob matches only the empty string.
type Glob struct {
	pattern string
	tokens  []globToken
}

type globKind uint8

const (
	globLiteral globKind = iota
	globAnyOne
	globStar
	globClass
)

type globToken struct {
	kind    globKind
	r       rune        // globLiteral
	ranges  []runeRange // globClass; a single character is a range lo == hi
	negated bool        // globClass
}

type runeRange struct{ lo, hi rune }

// CompileGlob compiles a glob pattern; see Glob for the syntax.
func CompileGlob(s string) (Glob, error) {
	if s == "" {
		return Glob{}, errors.New("glob pattern is empty; use \"*\" to match everything")
	}
	fail := func(why string) (Glob, error) {
		return Glob{}, fmt.Errorf("%q is not a valid glob pattern: %s (use * for any characters, ? for one, [abc] or [a-z] for a set, \\ to escape)", s, why)
	}
	var tokens []globToken
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		i += w
		switch r {
		case '*':
			// Consecutive stars mean the same as one; collapsing them keeps
			// the matcher's restart points few.
			if n := len(tokens); n == 0 || tokens[n-1].kind != globStar {
				tokens = append(tokens, globToken{kind: globStar})
			}
		case '?':
			tokens = append(tokens, globToken{kind: globAnyOne})
		case '\\':
			if i >= len(s) {
				return fail("it ends with a lone backslash")
			}
			r, w = utf8.DecodeRuneInString(s[i:])
			i += w
			tokens = append(tokens, globToken{kind: globLiteral, r: r})
		case '[':
			tok, n, err := compileClass(s[i:])
			if err != nil {
				return fail(err.Error())
			}
			i += n
			tokens = append(tokens, tok)
		default:
			tokens = append(tokens, globToken{kind: globLiteral, r: r})
		}
	}
	return Glob{pattern: s, tokens: tokens}, nil
}

// compileClass parses a character class whose opening '[' has been consumed;
// it returns the token and how many bytes of s it used, including ']'.
func compileClass(s string) (globToken, int, error) {
	tok := globToken{kind: globClass}
	i := 0
	if i < len(s) && (s[i] == '!' || s[i] == '^') {
		tok.negated = true
		i++
	}
	// next reads one class character, honouring escapes.
	next := func() (rune, error) {
		r, w := utf8.DecodeRuneInString(s[i:])
		i += w
		if r == '\\' {
			if i >= len(s) {
				return 0, errors.New("a character class ends with a lone backslash")
			}
			r, w = utf8.DecodeRuneInString(s[i:])
			i += w
		}
		return r, nil
	}
	for {
		if i >= len(s) {
			return tok, 0, errors.New("a character class has no closing ]")
		}
		if s[i] == ']' {
			if len(tok.ranges) == 0 {
				return tok, 0, errors.New("a character class is empty (write \\] for a literal ])")
			}
			return tok, i + 1, nil
		}
		lo, err := next()
		if err != nil {
			return tok, 0, err
		}
		hi := lo
		// A '-' right before ']' is a literal, as in most glob dialects.
		if i+1 < len(s) && s[i] == '-' && s[i+1] != ']' {
			i++
			if hi, err = next(); err != nil {
				return tok, 0, err
			}
			if hi < lo {
				return tok, 0, fmt.Errorf("the range %c-%c is backwards", lo, hi)
			}
		}
		tok.ranges = append(tok.ranges, runeRange{lo, hi})
	}
}

// Match reports whether the whole of s matches the pattern, ignoring case.
func (g Glob) Match(s string) bool {
	toks := g.tokens
	p, i := 0, 0
	// When a match fails after a star, retry with the star absorbing one more
	// character. Only the most recent star needs remembering: anything an
	// earlier star could absorb, the later one can absorb too.
	star, starI := -1, 0
	for i < len(s) {
		if p < len(toks) && toks[p].kind == globStar {
			star, starI = p, i
			p++
			continue
		}
		r, w := utf8.DecodeRuneInString(s[i:])
		if p < len(toks) && toks[p].matches(r) {
			p++
			i += w
			continue
		}
		if star < 0 {
			return false
		}
		_, w = utf8.DecodeRuneInString(s[starI:])
		starI += w
		p, i = star+1, starI
	}
	for p < len(toks) && toks[p].kind == globStar {
		p++
	}
	return p == len(toks)
}

// String returns the pattern as written.
func (g Glob) String() string { return g.pattern }

func (t *globToken) matches(r rune) bool {
	switch t.kind {
	case globAnyOne:
		return true
	case globLiteral:
		return equalFoldRune(t.r, r)
	case globClass:
		return t.classContains(r) != t.negated
	}
	return false
}

// classContains reports whether r, or any case variant of r, is in the class,
// so that [a-z] also matches 'Q'.
func (t *globToken) classContains(r rune) bool {
	c := r
	for {
		for _, rr := range t.ranges {
			if rr.lo <= c && c <= rr.hi {
				return true
			}
		}
		if c = unicode.SimpleFold(c); c == r {
			return false
		}
	}
}

// equalFoldRune is strings.EqualFold for one rune: it walks r's case orbit.
func equalFoldRune(a, b rune) bool {
	if a == b {
		return true
	}
	for c := unicode.SimpleFold(a); c != a; c = unicode.SimpleFold(c) {
		if c == b {
			return true
		}
	}
	return false
}
