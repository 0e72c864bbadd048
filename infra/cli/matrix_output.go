package cli

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// matrixAnswer is what the pact-broker CLI reads of a matrix response.
type matrixAnswer struct {
	deployable *bool
	notices    []string
	hasNotices bool       // "notices" is present: a blank pair follows them
	rows       [][]string // table cells
	results    []string   // "href (success|failure|unknown)"
	vtype      bool       // some row has "verificationType": one more column
}

// decodeMatrix reads a matrix response with the pact-broker CLI's rules:
// "matrix" is required, each row needs consumer.name and provider.name,
// the rest is optional. Its errors read like the CLI's.
func decodeMatrix(v any) (matrixAnswer, error) {
	var a matrixAnswer
	doc, ok := v.(map[string]any)
	if !ok {
		return a, fmt.Errorf("invalid type: %s, expected struct Data", jsonKind(v))
	}
	switch summary := doc["summary"].(type) {
	case nil:
	case map[string]any:
		switch d := summary["deployable"].(type) {
		case nil:
		case bool:
			a.deployable = &d
		default:
			return a, fmt.Errorf("invalid type: %s, expected a boolean", jsonKind(d))
		}
	default:
		return a, fmt.Errorf("invalid type: %s, expected struct Summary", jsonKind(summary))
	}
	switch notices := doc["notices"].(type) {
	case nil:
	case []any:
		a.hasNotices = true
		for _, n := range notices {
			text, ok := at(n, "text").(string)
			if !ok {
				return a, errors.New("missing field `text`")
			}
			if _, ok := at(n, "type").(string); !ok {
				return a, errors.New("missing field `type`")
			}
			a.notices = append(a.notices, noticeText(text))
		}
	default:
		return a, fmt.Errorf("invalid type: %s, expected a sequence", jsonKind(notices))
	}
	raw, ok := doc["matrix"]
	if !ok {
		return a, errors.New("missing field `matrix`")
	}
	rows, ok := raw.([]any)
	if !ok {
		return a, fmt.Errorf("invalid type: %s, expected a sequence", jsonKind(raw))
	}
	for _, r := range rows {
		row, ok := r.(map[string]any)
		if !ok {
			return a, fmt.Errorf("invalid type: %s, expected struct MatrixItem", jsonKind(r))
		}
		consumer, cVersion, err := matrixParty(row, "consumer")
		if err != nil {
			return a, err
		}
		provider, pVersion, err := matrixParty(row, "provider")
		if err != nil {
			return a, err
		}
		success, result := "unknown", "0"
		switch vr := row["verificationResult"].(type) {
		case nil:
		case map[string]any:
			result = "1"
			switch ok := vr["success"].(type) {
			case nil:
			case bool:
				success = strconv.FormatBool(ok)
			default:
				return a, fmt.Errorf("invalid type: %s, expected a boolean", jsonKind(ok))
			}
			if href := str(vr, "_links", "self", "href"); href != "" {
				status := map[string]string{"true": "success", "false": "failure"}[success]
				a.results = append(a.results, href+" ("+orDefault(status, "unknown")+")")
			}
		default:
			return a, fmt.Errorf("invalid type: %s, expected struct VerificationResult", jsonKind(vr))
		}
		vtype := "unknown"
		if t, present := row["verificationType"]; present {
			a.vtype = true
			if name, ok := t.(string); ok {
				vtype = name
			}
		}
		a.rows = append(a.rows, []string{consumer, cVersion, provider, pVersion, success, result, vtype})
	}
	if !a.vtype {
		for i := range a.rows {
			a.rows[i] = a.rows[i][:6]
		}
	}
	return a, nil
}

// matrixParty is a row's consumer or provider: its name and version number
// ("unknown" when the version is null or absent).
func matrixParty(row map[string]any, key string) (name, version string, err error) {
	party, ok := row[key].(map[string]any)
	if !ok {
		if row[key] == nil {
			return "", "", fmt.Errorf("missing field `%s`", key)
		}
		return "", "", fmt.Errorf("invalid type: %s, expected struct %s", jsonKind(row[key]), strings.ToUpper(key[:1])+key[1:])
	}
	name, ok = party["name"].(string)
	if !ok {
		return "", "", errors.New("missing field `name`")
	}
	switch v := party["version"].(type) {
	case nil:
		return name, "unknown", nil
	case map[string]any:
		if number := str(v, "number"); number != "" {
			return name, number, nil
		}
		return "", "", errors.New("missing field `number`")
	default:
		return "", "", fmt.Errorf("invalid type: %s, expected struct Version", jsonKind(v))
	}
}

// matrix prints a matrix response as the pact-broker CLI does (§3.4): the
// table, the verification results, the notices, then the verdict. It
// reports whether the answer is yes.
func (o *output) matrix(resp any) bool {
	a, err := decodeMatrix(resp)
	if err != nil {
		o.printf("❌ %s", err)
		a = matrixAnswer{hasNotices: true}
	}
	if len(a.rows) > 0 {
		headers := []string{"CONSUMER", "C.VERSION", "PROVIDER", "P.VERSION", "SUCCESS?", "RESULT"}
		if a.vtype {
			headers = append(headers, "VERIFICATION TYPE")
		}
		o.table(headers, a.rows)
		if len(a.results) > 0 {
			o.printf("\nVERIFICATION RESULTS\n--------------------")
			for i, r := range a.results {
				o.printf("%d. %s", i+1, r)
			}
			o.printf("\n")
		}
	}
	if a.hasNotices {
		for _, n := range a.notices {
			o.printf("%s", n)
		}
		o.printf("\n")
	}
	if a.deployable != nil && *a.deployable {
		o.printf("%s", `✅ Computer says yes \o/`)
		return true
	}
	o.printf("%s", `❌ Computer says no ¯\_(ツ)_/¯`)
	return false
}

// jsonKind names a decoded JSON value's type for error messages.
func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case []any:
		return "sequence"
	case map[string]any:
		return "map"
	}
	return "number"
}

// orDefault is s, or def when s is empty.
func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
