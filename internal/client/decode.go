package client

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// decodePage walks one page body and calls visit for each element of a list
// under one of listKeys, in order, one element at a time, so that the caller can
// drop an element before the next is decoded. raw aliases body: visit must copy
// what it keeps. It returns how many elements the lists held (elements that are
// not objects count too: the server counted them in its offsets).
//
// A body that is not JSON is an error that says so; so is a JSON object that
// holds none of listKeys, unless it is empty or holds only "links" (an empty
// page from a server that omits an empty list). Errors are found in the order
// of the body, as a streaming decoder finds them: the elements before a syntax
// error have been visited.
func decodePage(body []byte, contentType string, listKeys []string, visit func(raw json.RawMessage)) (int, error) {
	notJSON := func() error {
		return fmt.Errorf("the response was not valid JSON (content type %q; it starts with %q)", contentType, snippet(body))
	}
	i := skipSpace(body, 0)
	if i >= len(body) {
		return 0, notJSON()
	}
	if body[i] != '{' {
		what, ok := describeValueAt(body, i)
		if !ok {
			return 0, notJSON()
		}
		return 0, fmt.Errorf("unexpected response shape: expected a JSON object holding %s, got %s", quoteList(listKeys), what)
	}

	var keys []string
	found := false
	n := 0
	i++
	for member := 0; ; member++ {
		i = skipSpace(body, i)
		if i >= len(body) || body[i] == '}' || body[i] == ']' {
			break
		}
		if member > 0 {
			if body[i] != ',' {
				return n, notJSON()
			}
			i = skipSpace(body, i+1)
		}
		keyEnd, plain := scanString(body, i)
		if keyEnd < 0 {
			return n, notJSON()
		}
		key := string(body[i+1 : keyEnd-1])
		if !plain {
			key = decodeString(body[i:keyEnd])
		}
		keys = append(keys, key)
		i = skipSpace(body, keyEnd)
		if i >= len(body) || body[i] != ':' {
			return n, notJSON()
		}
		i = skipSpace(body, i+1)
		if !isOneOf(key, listKeys) {
			if i = scanValue(body, i); i < 0 {
				return n, notJSON()
			}
			continue
		}
		switch {
		case i < len(body) && body[i] == '[':
		case i < len(body) && body[i] == '{':
			return n, fmt.Errorf("unexpected response shape: %q holds an object, not a list", key)
		default:
			what, ok := describeValueAt(body, i)
			switch {
			case !ok:
				return n, notJSON()
			case what == "null": // "entries": null is an empty page
				found = true
				i += len("null")
				continue
			}
			return n, fmt.Errorf("unexpected response shape: %q holds %s, not a list", key, what)
		}
		found = true
		i++
		for element := 0; ; element++ {
			i = skipSpace(body, i)
			if i >= len(body) || body[i] == ']' || body[i] == '}' {
				break
			}
			if element > 0 {
				if body[i] != ',' {
					return n, notJSON()
				}
				i = skipSpace(body, i+1)
			}
			end := scanValue(body, i)
			if end < 0 {
				return n, notJSON()
			}
			n++
			visit(body[i:end])
			i = end
		}
		if i >= len(body) || body[i] != ']' {
			return n, notJSON()
		}
		i++
	}
	if i >= len(body) || body[i] != '}' {
		return n, notJSON()
	}
	if skipSpace(body, i+1) != len(body) { // nothing may follow the object
		return n, notJSON()
	}
	onlyLinks := len(keys) == 0 || (len(keys) == 1 && keys[0] == "links")
	if !found && !onlyLinks {
		return n, fmt.Errorf("unexpected response shape: expected a list under %s; the top-level keys were %s", quoteList(listKeys), quoteList(keys))
	}
	return n, nil
}

// describeValueAt names the value at b[i] for a shape error, as a streaming
// decoder reads it: a list by its first bracket, a scalar once complete (and,
// for a number, within float64 range). ok is false where that decoder would
// report a syntax error.
func describeValueAt(b []byte, i int) (what string, ok bool) {
	if i >= len(b) {
		return "", false
	}
	switch b[i] {
	case '[':
		return "a list", true
	case '{':
		return "an object", true
	}
	end := scanValue(b, i)
	if end < 0 {
		return "", false
	}
	switch b[i] {
	case '"':
		return "a string", true
	case 't', 'f':
		return "a boolean", true
	case 'n':
		return "null", true
	}
	if _, err := strconv.ParseFloat(string(b[i:end]), 64); err != nil {
		return "", false // encoding/json fails on a number beyond float64 here
	}
	return "a number", true
}

func isOneOf(s string, set []string) bool {
	for _, v := range set {
		if s == v {
			return true
		}
	}
	return false
}

// quoteList renders at most ten keys, each shortened, so that a hostile body
// cannot make the error message huge.
func quoteList(keys []string) string {
	keys = append([]string(nil), keys...)
	sort.Strings(keys)
	var parts []string
	for i, k := range keys {
		if i == 10 {
			parts = append(parts, fmt.Sprintf("and %d more", len(keys)-10))
			break
		}
		parts = append(parts, strconv.Quote(shorten(k, 40)))
	}
	if len(parts) == 0 {
		return "(none)"
	}
	return strings.Join(parts, ", ")
}
