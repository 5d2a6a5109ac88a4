package client

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// APIError is a non-2xx answer. Message is the server's text, shortened, with
// HTML left out and the keys redacted.
type APIError struct {
	StatusCode int
	Path       string // the URL path, without query, e.g. "/v1/logs"
	Message    string
}

const htmlOmitted = "(HTML error page omitted)"

// Error says what the status means and what to do about it.
func (e *APIError) Error() string {
	switch code := e.StatusCode; {
	case code == http.StatusBadRequest:
		return withMessage("the API rejected the request (400 Bad Request)", e.Message)
	case code == http.StatusUnauthorized:
		return quoted("authentication failed (401 Unauthorized): check the API credentials: the API key is the account key, the secret key is the user key", e.Message)
	case code == http.StatusForbidden:
		return quoted("access denied (403 Forbidden): the API key lacks access to the account logs, or this IP address is not allowed for the key", e.Message)
	case code == http.StatusNotFound:
		return fmt.Sprintf("not found (404) at %s: check the base URL; it must end with the API version, e.g. %s", e.Path, DefaultBaseURL)
	case code == http.StatusPreconditionFailed:
		return "logs are not enabled for this account (412 Precondition Failed)"
	case code == http.StatusTooManyRequests:
		return "rate limited (429 Too Many Requests): wait and retry, or lower the rate limit"
	case code >= 500 && code <= 599:
		msg := fmt.Sprintf("server error (%d): retry later; if it persists contact Redis Cloud support", code)
		if e.Message != htmlOmitted && utf8.RuneCountInString(e.Message) <= 200 {
			msg = withMessage(msg, e.Message)
		}
		return msg
	default:
		return withMessage(fmt.Sprintf("unexpected response (%d %s) at %s", code, http.StatusText(code), e.Path), e.Message)
	}
}

// setting: the answers that a setting of the client's can fix.
func (e *APIError) setting() Setting {
	return map[int]Setting{
		http.StatusUnauthorized:    SettingKeys,
		http.StatusNotFound:        SettingBaseURL,
		http.StatusTooManyRequests: SettingRateLimit,
	}[e.StatusCode]
}

// Setting is a part of Config that an error says to change. The client speaks
// of it in its own terms ("the request timeout"); a caller that sets it under
// another name (a Terraform argument) can say which with SettingOf.
type Setting int

const (
	SettingNone              Setting = iota
	SettingBaseURL                   // Config.BaseURL
	SettingKeys                      // Config.APIKey and Config.SecretKey
	SettingRequestTimeout            // Config.RequestTimeout
	SettingRateLimit                 // Config.RequestsPerMinute
	SettingAllowInsecureHTTP         // Config.AllowInsecureHTTP
)

// SettingOf returns the setting that err, or an error it wraps, says to
// change; SettingNone when it names none.
func SettingOf(err error) Setting {
	var e interface{ setting() Setting }
	if errors.As(err, &e) {
		return e.setting()
	}
	return SettingNone
}

// settingError marks an error that s can fix; its text is err's.
type settingError struct {
	s Setting
	error
}

func (e settingError) Unwrap() error    { return e.error }
func (e settingError) setting() Setting { return e.s }

// quoted adds the server's own words after the advice, where there are any
// (not an HTML page): when the credentials are right, they are the clue.
func quoted(advice, message string) string {
	if message == "" || message == htmlOmitted {
		return advice
	}
	return advice + ". The API said: " + strconv.Quote(message)
}

func withMessage(sentence, message string) string {
	if message == "" {
		return sentence
	}
	return sentence + ": " + message
}

// newAPIError: the body may be JSON, HTML, text or empty; the status decides.
func newAPIError(status int, path string, body []byte, contentType string, redact func(string) string) *APIError {
	return &APIError{StatusCode: status, Path: path, Message: redact(errorMessage(body, contentType))}
}

const maxMessageRunes = 300

// errorMessage extracts the server's explanation from an error body.
func errorMessage(body []byte, contentType string) string {
	body = bytes.TrimSpace(body)
	switch {
	case len(body) == 0:
		return ""
	case looksLikeHTML(body, contentType):
		return htmlOmitted
	}
	msg := string(body)
	var fields map[string]any
	if json.Unmarshal(body, &fields) == nil {
		msg = cmp.Or(messageIn(fields, "description", "message", "error", "detail", "title"), msg)
	}
	return shorten(stripTags(msg), maxMessageRunes)
}

// messageIn returns the first of keys holding a string (or {"message": ...}).
func messageIn(fields map[string]any, keys ...string) string {
	for _, key := range keys {
		switch v := fields[key].(type) {
		case string:
			if v != "" {
				return v
			}
		case map[string]any:
			if m := messageIn(v, "description", "message", "detail"); m != "" {
				return m
			}
		}
	}
	return ""
}

func looksLikeHTML(body []byte, contentType string) bool {
	if mt, _, err := mime.ParseMediaType(contentType); err == nil && (mt == "text/html" || mt == "application/xhtml+xml") {
		return true
	}
	head := bytes.ToLower(body[:min(len(body), 512)])
	return bytes.HasPrefix(head, []byte("<!doctype html")) || bytes.Contains(head, []byte("<html")) ||
		bytes.Contains(head, []byte("<head")) || bytes.Contains(head, []byte("<body"))
}

var tagPattern = regexp.MustCompile(`<[^>]*>`)

// stripTags makes a message one line without markup or control characters.
func stripTags(s string) string {
	s = tagPattern.ReplaceAllString(s, " ")
	s = strings.Map(func(r rune) rune {
		if r == utf8.RuneError || (unicode.IsControl(r) && !unicode.IsSpace(r)) {
			return -1
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

func shorten(s string, maxRunes int) string {
	if r := []rune(s); len(r) > maxRunes {
		return strings.TrimSpace(string(r[:maxRunes])) + "…"
	}
	return s
}

// snippet describes the start of an unusable body for an error message.
func snippet(body []byte) string {
	head := body[:min(len(body), 400)] // tags are stripped before cutting to ~100
	return shorten(stripTags(string(head)), 100)
}
