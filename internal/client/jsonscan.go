package client

import (
	"bytes"
	"encoding/json"
	"iter"
	"unicode/utf8"
)

// A small validating JSON scanner over a whole page body. encoding/json's
// Decoder and reflection cost about ten times more than the HTTP exchange on a
// 1000-entry page; scanning bytes in place costs little and accepts exactly the
// JSON that encoding/json accepts (decode_fuzz_test.go compares the two).

// maxNestingDepth is encoding/json's limit for one value.
const maxNestingDepth = 10000

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func skipSpace(b []byte, i int) int {
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	return i
}

// scanValue returns the index just past the JSON value that starts at b[i]
// (no leading space), or -1 when none does.
func scanValue(b []byte, i int) int { return scanNested(b, i, 0) }

func scanNested(b []byte, i, depth int) int {
	if i >= len(b) {
		return -1
	}
	switch c := b[i]; {
	case c == '"':
		end, _ := scanString(b, i)
		return end
	case c == '{':
		return scanObject(b, i, depth+1)
	case c == '[':
		return scanArray(b, i, depth+1)
	case c == 't':
		return scanLiteral(b, i, "true")
	case c == 'f':
		return scanLiteral(b, i, "false")
	case c == 'n':
		return scanLiteral(b, i, "null")
	case c == '-' || (c >= '0' && c <= '9'):
		return scanNumber(b, i)
	}
	return -1
}

func scanLiteral(b []byte, i int, lit string) int {
	if len(b)-i < len(lit) || string(b[i:i+len(lit)]) != lit {
		return -1
	}
	return i + len(lit)
}

// scanNumber follows the JSON number grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
func scanNumber(b []byte, i int) int {
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && b[i] >= '1' && b[i] <= '9':
		i = skipDigits(b, i)
	default:
		return -1
	}
	if i < len(b) && b[i] == '.' {
		j := skipDigits(b, i+1)
		if j == i+1 {
			return -1
		}
		i = j
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		j := skipDigits(b, i)
		if j == i {
			return -1
		}
		i = j
	}
	return i
}

func skipDigits(b []byte, i int) int {
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		i++
	}
	return i
}

// scanString checks the string literal at b[i] and returns the index past its
// closing quote, or -1. plain reports that its content, as written, is already
// the decoded string: no escapes, and nothing but valid UTF-8.
func scanString(b []byte, i int) (end int, plain bool) {
	if i >= len(b) || b[i] != '"' {
		return -1, false
	}
	start := i + 1
	ascii, escaped := true, false
	for i = start; i < len(b); i++ {
		c := b[i]
		if plainByte[c] {
			continue
		}
		switch {
		case c == '"':
			plain = !escaped && (ascii || utf8.Valid(b[start:i]))
			return i + 1, plain
		case c == '\\':
			escaped = true
			i++
			if i >= len(b) {
				return -1, false
			}
			switch b[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if len(b)-i < 5 || !isHex(b[i+1]) || !isHex(b[i+2]) || !isHex(b[i+3]) || !isHex(b[i+4]) {
					return -1, false
				}
				i += 4
			default:
				return -1, false
			}
		case c < 0x20:
			return -1, false
		default: // c >= 0x80
			ascii = false
		}
	}
	return -1, false
}

// plainByte marks the bytes that stand for themselves inside a string: ASCII
// other than controls, the quote and the backslash.
var plainByte = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

func scanObject(b []byte, i, depth int) int {
	if depth > maxNestingDepth {
		return -1
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		return i + 1
	}
	for {
		end, _ := scanString(b, i)
		if end < 0 {
			return -1
		}
		i = skipSpace(b, end)
		if i >= len(b) || b[i] != ':' {
			return -1
		}
		i = scanNested(b, skipSpace(b, i+1), depth)
		if i < 0 {
			return -1
		}
		i = skipSpace(b, i)
		if i >= len(b) {
			return -1
		}
		switch b[i] {
		case ',':
			i = skipSpace(b, i+1)
		case '}':
			return i + 1
		default:
			return -1
		}
	}
}

func scanArray(b []byte, i, depth int) int {
	if depth > maxNestingDepth {
		return -1
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == ']' {
		return i + 1
	}
	for {
		i = scanNested(b, i, depth)
		if i < 0 {
			return -1
		}
		i = skipSpace(b, i)
		if i >= len(b) {
			return -1
		}
		switch b[i] {
		case ',':
			i = skipSpace(b, i+1)
		case ']':
			return i + 1
		default:
			return -1
		}
	}
}

// validObject reports whether obj is exactly one valid JSON object, surrounding
// space allowed.
func validObject(obj []byte) bool {
	i := skipSpace(obj, 0)
	if i >= len(obj) || obj[i] != '{' {
		return false
	}
	end := scanObject(obj, i, 1)
	return end >= 0 && skipSpace(obj, end) == len(obj)
}

// members yields the key (decoded) and the raw value of every member of obj,
// in order. obj must have passed validObject: members does not check it again.
func members(obj []byte) iter.Seq2[[]byte, []byte] {
	return func(yield func(key, value []byte) bool) {
		i := skipSpace(obj, skipSpace(obj, 0)+1)
		if obj[i] == '}' {
			return
		}
		for {
			keyEnd := skipString(obj, i)
			key := obj[i+1 : keyEnd-1]
			if bytes.IndexByte(key, '\\') >= 0 {
				key = []byte(decodeString(obj[i:keyEnd]))
			}
			i = skipSpace(obj, skipSpace(obj, keyEnd)+1) // past the colon
			valueEnd := skipValue(obj, i)
			if !yield(key, obj[i:valueEnd]) {
				return
			}
			i = skipSpace(obj, valueEnd)
			if obj[i] == '}' {
				return
			}
			i = skipSpace(obj, i+1) // past the comma
		}
	}
}

// skipValue returns the index past the valid JSON value at b[i], without
// checking it.
func skipValue(b []byte, i int) int {
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for ; i < len(b); i++ {
			switch b[i] {
			case '"':
				i = skipString(b, i) - 1
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1
				}
			}
		}
		return len(b)
	}
	for i < len(b) && b[i] != ',' && b[i] != '}' && b[i] != ']' && !isSpace(b[i]) {
		i++ // a number, true, false or null
	}
	return i
}

// skipString returns the index past the valid string literal at b[i]: the
// first quote after it that an odd run of backslashes does not escape.
func skipString(b []byte, i int) int {
	content := i + 1
	for i = content; ; {
		end := i + bytes.IndexByte(b[i:], '"')
		escapes := 0
		for k := end - 1; k >= content && b[k] == '\\'; k-- {
			escapes++
		}
		if escapes%2 == 0 {
			return end + 1
		}
		i = end + 1
	}
}

// fieldFor returns the name in names that a member key selects, as
// encoding/json matches keys to struct fields: exactly or, failing that,
// case-insensitively (names never fold to each other). "" when none.
func fieldFor(key []byte, names []string) string {
	for _, name := range names {
		if string(key) == name {
			return name
		}
	}
	for _, name := range names {
		if bytes.EqualFold(key, []byte(name)) {
			return name
		}
	}
	return ""
}

// decodeStringOK decodes the JSON string literal lit (quotes included, space
// after it allowed) as encoding/json does, invalid UTF-8 becoming U+FFFD; ok is
// false when lit is not one string literal. Plain literals skip encoding/json.
func decodeStringOK(lit []byte) (s string, ok bool) {
	if end, plain := scanString(lit, 0); end == len(lit) && plain {
		return string(lit[1 : len(lit)-1]), true
	}
	if len(lit) == 0 || lit[0] != '"' || json.Unmarshal(lit, &s) != nil {
		return "", false
	}
	return s, true
}

// decodeString is decodeStringOK for a literal known to be valid.
func decodeString(lit []byte) string {
	s, _ := decodeStringOK(lit)
	return s
}
