package client

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The lenient decoding of single values: every entry field accepts any JSON
// type, and what cannot be read as the field's kind is left nil.

// textPack collects the decoded texts of one entry and packs them into one
// string, so that an entry costs a few allocations whatever its number of
// fields, and none of its texts aliases the page body (a kept entry must not
// hold a whole page in memory).
type textPack struct {
	texts [16][]byte
	n     int
	size  int
}

// add records text and returns its handle for packedTexts.at.
func (p *textPack) add(text []byte) int {
	p.texts[p.n] = text
	p.n++
	p.size += len(text)
	return p.n - 1
}

// scalar decodes a string, number or boolean as text; null, objects, lists and
// absent values give -1 (nil). Numbers keep their decimal form: 2900349, never
// 2.900349e+06.
func (p *textPack) scalar(raw []byte) int { return p.value(raw, false) }

// text is scalar that keeps an object or list as compact JSON, for free-text
// fields such as details that some servers send structured.
func (p *textPack) text(raw []byte) int { return p.value(raw, true) }

func (p *textPack) value(raw []byte, keepComposite bool) int {
	b := bytes.TrimSpace(raw)
	if len(b) == 0 {
		return -1
	}
	switch b[0] {
	case '"':
		return p.add(stringContent(b))
	case 'n':
		return -1
	case 't', 'f':
		return p.add(b)
	case '{', '[':
		if !keepComposite {
			return -1
		}
		var buf bytes.Buffer
		if json.Compact(&buf, b) != nil {
			return -1
		}
		return p.add(buf.Bytes())
	default:
		if plainInteger(b) {
			return p.add(b)
		}
		return p.add([]byte(normalizeNumber(string(b))))
	}
}

// user accepts a user as a string (an e-mail address when it holds "@", else a
// name) or as an object {"email", "name"}; it returns both handles, -1 for nil.
func (p *textPack) user(raw []byte) (email, name int) {
	b := bytes.TrimSpace(raw)
	switch {
	case len(b) == 0:
	case b[0] == '"':
		h := p.scalar(b)
		if h >= 0 && bytes.Contains(p.texts[h], []byte("@")) {
			return h, -1
		}
		return -1, h
	case b[0] == '{' && validObject(b): // as json.Unmarshal: nothing from an invalid object
		var rawEmail, rawName []byte
		for key, value := range members(b) {
			switch fieldFor(key, userKeys) {
			case "email":
				rawEmail = value
			case "name":
				rawName = value
			}
		}
		return p.scalar(rawEmail), p.scalar(rawName)
	}
	return -1, -1
}

var userKeys = []string{"email", "name"}

// packedTexts are an entry's texts, all backed by one string.
type packedTexts []string

// pack copies the texts into one new string.
func (p *textPack) pack() packedTexts {
	if p.n == 0 {
		return nil
	}
	var b strings.Builder
	b.Grow(p.size)
	for _, t := range p.texts[:p.n] {
		b.Write(t)
	}
	all := b.String()
	out := make(packedTexts, p.n)
	offset := 0
	for i, t := range p.texts[:p.n] {
		out[i] = all[offset : offset+len(t)]
		offset += len(t)
	}
	return out
}

// at returns the text of handle h, or nil for -1.
func (t packedTexts) at(h int) *string {
	if h < 0 {
		return nil
	}
	return &t[h]
}

// stringContent decodes a string literal known to be valid JSON (every value
// reaches textPack from an object that passed validObject); one without escapes
// and in valid UTF-8 is returned as a slice of lit.
func stringContent(lit []byte) []byte {
	inner := lit[1 : len(lit)-1]
	if bytes.IndexByte(inner, '\\') < 0 && utf8.Valid(inner) {
		return inner
	}
	return []byte(decodeString(lit))
}

// plainInteger: an optional minus and digits, which normalizeNumber keeps as sent.
func plainInteger(b []byte) bool {
	if len(b) > 0 && b[0] == '-' {
		b = b[1:]
	}
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// normalizeNumber writes a JSON number that holds an integer as plain
// decimal digits ("2.900349e+06" → "2900349"), exactly, without going through
// float64. Other numbers are returned as sent.
func normalizeNumber(lit string) string {
	mant, exp := lit, ""
	if i := strings.IndexAny(lit, "eE"); i >= 0 {
		mant, exp = lit[:i], lit[i+1:]
	}
	intPart, frac := mant, ""
	if i := strings.IndexByte(mant, '.'); i >= 0 {
		intPart, frac = mant[:i], mant[i+1:]
	}
	if exp == "" && frac == "" {
		return lit
	}
	e := 0
	if exp != "" {
		n, err := strconv.Atoi(exp)
		if err != nil || n > 40 || n < -40 { // beyond any id; keep as sent
			return lit
		}
		e = n
	}
	neg := strings.HasPrefix(intPart, "-")
	digits := strings.TrimPrefix(intPart, "-") + frac
	if shift := e - len(frac); shift >= 0 {
		digits += strings.Repeat("0", shift)
	} else {
		cut := len(digits) + shift
		if cut < 0 {
			cut = 0
		}
		if strings.Trim(digits[cut:], "0") != "" {
			return lit // not an integer
		}
		digits = digits[:cut]
	}
	digits = strings.TrimLeft(digits, "0")
	if digits == "" {
		return "0"
	}
	if neg {
		return "-" + digits
	}
	return digits
}

// present reports that a member was sent with a value other than null,
// parsable or not.
func present(raw []byte) bool {
	b := bytes.TrimSpace(raw)
	return len(b) > 0 && !bytes.Equal(b, []byte("null"))
}

var timeLayouts = []string{
	time.RFC3339Nano,                     // 2022-10-12T10:54:31Z, with optional fraction and offset
	"2006-01-02T15:04:05.999999999Z0700", // offset without a colon: +0000
	"2006-01-02T15:04:05.999999999",      // no offset: the API speaks UTC
}

// parseTime reads an RFC 3339 time string into UTC; ok is false for anything
// else, null and absence included.
func parseTime(raw []byte) (t time.Time, ok bool) {
	b := bytes.TrimSpace(raw)
	if len(b) == 22 && b[0] == '"' && b[21] == '"' {
		if t, ok := parseWireTime(b[1:21]); ok {
			return t, true
		}
	}
	s, ok := decodeStringOK(b)
	if !ok {
		return time.Time{}, false
	}
	s = strings.TrimSpace(s)
	if len(s) > 10 && s[10] == ' ' { // "2022-10-12 10:54:31", as some exports write it
		s = s[:10] + "T" + s[11:]
	}
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// parseWireTime reads the form every entry of the API uses,
// 2006-01-02T15:04:05Z, without allocating; ok is false for anything else
// (parseTime then tries the general layouts), or for a date time.Parse rejects.
func parseWireTime(b []byte) (time.Time, bool) {
	if len(b) != 20 || b[4] != '-' || b[7] != '-' || b[10] != 'T' || b[13] != ':' || b[16] != ':' || b[19] != 'Z' {
		return time.Time{}, false
	}
	num := func(from, to int) int {
		n := 0
		for _, c := range b[from:to] {
			if c < '0' || c > '9' {
				return -1
			}
			n = n*10 + int(c-'0')
		}
		return n
	}
	year, month, day := num(0, 4), num(5, 7), num(8, 10)
	hour, minute, second := num(11, 13), num(14, 16), num(17, 19)
	if year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 {
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, hour, minute, second, 0, time.UTC)
	if t.Day() != day { // 31 April and the like: time.Parse refuses them
		return time.Time{}, false
	}
	return t, true
}
