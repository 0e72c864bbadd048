package domain

import (
	"strings"
	"unicode"
)

// MainBranchCandidates are the branch or tag names that, seen first on an
// application without a main branch, become its main branch.
var MainBranchCandidates = []string{"develop", "main", "master"}

// checkName adds the Pact Broker's messages for a required single-line name.
func checkName(v *ValidationError, field, name string, allowSpaces bool) {
	switch {
	case strings.TrimSpace(name) == "":
		v.Add(field, "must be filled")
	case strings.ContainsAny(name, "\r\n"):
		v.Add(field, "cannot contain multiple lines")
	case !allowSpaces && strings.ContainsFunc(name, unicode.IsSpace):
		v.Add(field, "cannot contain spaces")
	}
}

// CheckPathName validates a name that arrives in a URL path (pacticipant,
// version number, branch, tag): non-blank and a single line.
func CheckPathName(field, name string) error {
	v := &ValidationError{Kind: ErrInvalid}
	checkName(v, field, name, true)
	return v.OrNil()
}

// DisplayName makes a display name from a name the way the Pact Broker does:
// it splits camelCase, '-', '_', '.' and white space into words and
// capitalises each word, so "prod-eu" becomes "Prod Eu".
func DisplayName(name string) string {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			cur[0] = unicode.ToUpper(cur[0])
			words = append(words, string(cur))
			cur = nil
		}
	}
	runes := []rune(name)
	for i, r := range runes {
		switch {
		case r == '-' || r == '_' || r == '.' || unicode.IsSpace(r):
			flush()
		case unicode.IsUpper(r) && i > 0 && unicode.IsLower(runes[i-1]):
			flush()
			cur = append(cur, r)
		default:
			cur = append(cur, r)
		}
	}
	flush()
	if len(words) == 0 {
		return name
	}
	return strings.Join(words, " ")
}
