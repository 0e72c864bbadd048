package queries

import (
	"fmt"
	"strings"
)

// Validation messages, worded exactly as the Pact Broker's.
const (
	msgNoPacticipantName    = "Please specify the pacticipant name"
	msgNoSelectors          = "Please provide 1 or more version selectors."
	msgNoIgnoreName         = "Please specify the pacticipant name to ignore"
	msgMoreThanOneDest      = "Cannot specify more than one of tag, environment and mainBranch."
	msgLatestAndEnvironment = "Cannot specify both latest=true and an environment."
	msgInvalidLimit         = "The limit must be 1 or greater."
	msgMissing              = "is missing"
	msgNotFilled            = "must be filled"
	msgNotString            = "must be a string"
	msgNoSuchPacticipant    = "does not match an existing pacticipant"
	msgTagAndEnvironment    = "Cannot specify both a 'to' tag and an environment."
	msgEnvironmentOrTag     = "Must specify either an environment or a 'to' tag."
)

// validateMatrix returns the /matrix messages in the broker's order
// (Matrix::Service.validate_selectors then validate_options).
func validateMatrix(r MatrixReader, q MatrixQuery) []string {
	var msgs []string
	for _, s := range q.Selectors {
		if s.Pacticipant == "" {
			msgs = append(msgs, msgNoPacticipantName)
		} else if s.Version != "" && s.Latest {
			msgs = append(msgs, "A version number and latest flag cannot both be specified for "+s.Pacticipant)
		}
	}
	for _, s := range q.Selectors { // one message per selector, duplicates included
		if s.Pacticipant != "" {
			if _, ok := r.Pacticipant(s.Pacticipant); !ok {
				msgs = append(msgs, "Pacticipant "+s.Pacticipant+" not found")
			}
		}
	}
	if len(q.Selectors) == 0 {
		msgs = append(msgs, msgNoSelectors)
	}
	return append(msgs, validateOptions(r, q)...)
}

// validateOptions checks the ignore selectors and the options; the
// consumer-and-provider matrix uses it alone.
func validateOptions(r MatrixReader, q MatrixQuery) []string {
	var msgs []string
	for _, s := range q.Ignore {
		if s.Pacticipant == "" {
			msgs = append(msgs, msgNoIgnoreName)
		} else if s.Version != "" && s.Latest {
			msgs = append(msgs, "A version number and latest flag cannot both be specified for "+s.Pacticipant+" to ignore")
		}
	}
	destinations := 0
	if q.Tag != "" {
		destinations++
	}
	if q.Environment != "" {
		destinations++
	}
	if q.MainBranch != nil {
		destinations++
	}
	if destinations > 1 {
		msgs = append(msgs, msgMoreThanOneDest)
	}
	envGiven := strings.TrimSpace(q.Environment) != ""
	if q.Latest && envGiven {
		msgs = append(msgs, msgLatestAndEnvironment)
	}
	if envGiven && !r.EnvironmentExists(q.Environment) {
		msgs = append(msgs, fmt.Sprintf("Environment with name '%s' does not exist", q.Environment))
	}
	if q.Limit != nil && *q.Limit < 1 {
		msgs = append(msgs, msgInvalidLimit)
	}
	return msgs
}

// validateCanIDeploy applies CanIDeployQuerySchema: dry-validation's
// "is missing" / "must be filled" / "must be a string" per key, then the
// rules, each only when the keys it reads passed.
func validateCanIDeploy(r MatrixReader, q CanIDeployQuery) map[string][]string {
	var errs map[string][]string // allocated with the first error: valid queries are the common case
	add := func(k, m string) {
		if errs == nil {
			errs = map[string][]string{}
		}
		errs[k] = append(errs[k], m)
	}
	check := func(key string, p Param, required bool) bool {
		switch {
		case !p.Present && required:
			add(key, msgMissing)
		case !p.Present:
			return true
		case p.NotString:
			add(key, msgNotString)
		case p.Value == "":
			add(key, msgNotFilled)
		default:
			return true
		}
		return false
	}
	if check("pacticipant", q.Pacticipant, true) {
		if _, ok := r.Pacticipant(q.Pacticipant.Value); !ok {
			add("pacticipant", msgNoSuchPacticipant)
		}
	}
	check("version", q.Version, true)
	toOK := check("to", q.To, false)
	envOK := check("environment", q.Environment, false)
	env := q.Environment.Value
	if envOK && q.Environment.Present && strings.TrimSpace(env) != "" && !r.EnvironmentExists(env) {
		add("environment", fmt.Sprintf("with name '%s' does not exist", env))
	}
	if toOK && envOK {
		to, en := provided(q.To), provided(q.Environment)
		if to && en {
			add("", msgTagAndEnvironment)
		}
		if !to && !en {
			add("", msgEnvironmentOrTag)
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

func provided(p Param) bool { return p.Present && strings.TrimSpace(p.Value) != "" }
