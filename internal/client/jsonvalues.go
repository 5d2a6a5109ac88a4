package client

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// jsonScalar holds a string, number or boolean as text; null, objects and
// lists leave it nil. Numbers keep their decimal form: 2900349, never 2.900349e+06.
type jsonScalar struct{ s *string }

func (j *jsonScalar) UnmarshalJSON(b []byte) error {
	j.s = scalarText(b, false)
	return nil
}

// jsonText is a jsonScalar that keeps an object or list as compact JSON, for
// free-text fields such as details that some servers send structured.
type jsonText struct{ s *string }

func (j *jsonText) UnmarshalJSON(b []byte) error {
	j.s = scalarText(b, true)
	return nil
}

func scalarText(b []byte, keepComposite bool) *string {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return nil
	}
	switch b[0] {
	case '"':
		if s, ok := unquote(b); ok {
			return &s
		}
		return nil
	case 'n':
		return nil
	case 't', 'f':
		return ptr(string(b))
	case '{', '[':
		if !keepComposite {
			return nil
		}
		var buf bytes.Buffer
		if json.Compact(&buf, b) != nil {
			return nil
		}
		return ptr(buf.String())
	default:
		return ptr(normalizeNumber(string(b)))
	}
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

// jsonTime parses an RFC 3339 time into UTC; anything else leaves it nil.
// present records that a non-null value was sent, parsable or not.
type jsonTime struct {
	t       *time.Time
	present bool
}

var timeLayouts = []string{
	time.RFC3339Nano,                     // 2022-10-12T10:54:31Z, with optional fraction and offset
	"2006-01-02T15:04:05.999999999Z0700", // offset without a colon: +0000
	"2006-01-02T15:04:05.999999999",      // no offset: the API speaks UTC
}

func (j *jsonTime) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	j.t, j.present = nil, len(b) > 0 && !bytes.Equal(b, []byte("null"))
	s, ok := unquote(b)
	if !ok {
		return nil
	}
	s = strings.TrimSpace(s)
	if len(s) > 10 && s[10] == ' ' { // "2022-10-12 10:54:31", as some exports write it
		s = s[:10] + "T" + s[11:]
	}
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			j.t = ptr(t.UTC())
			return nil
		}
	}
	return nil
}

// jsonUser accepts a user as a string (an e-mail address when it holds "@",
// else a name) or as an object {"email", "name"}.
type jsonUser struct{ email, name *string }

func (j *jsonUser) UnmarshalJSON(b []byte) error {
	j.email, j.name = nil, nil
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0:
	case b[0] == '"':
		s := scalarText(b, false)
		if s != nil && strings.Contains(*s, "@") {
			j.email = s
		} else {
			j.name = s
		}
	case b[0] == '{':
		var o struct {
			Email jsonScalar `json:"email"`
			Name  jsonScalar `json:"name"`
		}
		_ = json.Unmarshal(b, &o)
		j.email, j.name = o.Email.s, o.Name.s
	}
	return nil
}

// unquote decodes a JSON string literal; ok is false for any other value.
func unquote(b []byte) (s string, ok bool) {
	if len(b) == 0 || b[0] != '"' || json.Unmarshal(b, &s) != nil {
		return "", false
	}
	return s, true
}
