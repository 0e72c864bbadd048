package eventfeed

import "slices"

// Filter selects events for a subscriber. Empty fields select everything;
// set fields must all match.
type Filter struct {
	// Types are event type strings (e.g. "DeploymentRecorded"); any matches.
	Types []string
	// Pacticipant is an application the event must be about.
	Pacticipant string
	// Environment is the name of the environment the event must be in.
	Environment string
}

// Matches reports whether the event of type typ with facts f passes.
func (fl Filter) Matches(typ string, f Facts) bool {
	if len(fl.Types) > 0 && !slices.Contains(fl.Types, typ) {
		return false
	}
	if fl.Pacticipant != "" && !slices.Contains(f.Pacticipants, fl.Pacticipant) {
		return false
	}
	return fl.Environment == "" || f.Environment == fl.Environment
}
