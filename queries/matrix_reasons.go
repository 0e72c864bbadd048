package queries

// ReasonKind names a reason after the Pact Broker's Reason class.
type ReasonKind string

const (
	IgnoreSelectorDoesNotExist                       ReasonKind = "IgnoreSelectorDoesNotExist"
	NoEnvironmentSpecified                           ReasonKind = "NoEnvironmentSpecified"
	SelectorWithoutPacticipantVersionNumberSpecified ReasonKind = "SelectorWithoutPacticipantVersionNumberSpecified"
	SpecifiedVersionDoesNotExist                     ReasonKind = "SpecifiedVersionDoesNotExist"
	PactNotVerifiedByRequiredProviderVersion         ReasonKind = "PactNotVerifiedByRequiredProviderVersion"
	VerificationFailed                               ReasonKind = "VerificationFailed"
	PactNotEverVerifiedByProvider                    ReasonKind = "PactNotEverVerifiedByProvider"
	Successful                                       ReasonKind = "Successful"
	NoDependenciesMissing                            ReasonKind = "NoDependenciesMissing"
)

// NoticeType is a notice's "type" in the response.
type NoticeType string

const (
	NoticeSuccess NoticeType = "success"
	NoticeError   NoticeType = "error"
	NoticeWarning NoticeType = "warning"
)

// Reason is one line of summary.reason and one notice.
type Reason struct {
	Kind ReasonKind
	Type NoticeType
	Text string
}

// Fixed reason texts.
const (
	textNoEnvironment = "WARN: It is recommended to specify the environment into which you are deploying. " +
		"Without the environment, this result will not be reliable."
	textNoVersionNumber = "WARN: It is recommended to specify the version number (rather than the tag or branch) " +
		"of the pacticipant you wish to deploy to avoid race conditions. Without a version number, this result will not be reliable."
	textSuccessful   = "All required verification results are published and successful"
	textNoDependency = "There are no missing dependencies"
)

func warning(kind ReasonKind, text string) Reason { return Reason{kind, NoticeWarning, text} }
func failure(kind ReasonKind, text string) Reason { return Reason{kind, NoticeError, text} }

func notVerified(kind ReasonKind, c, p ResolvedSelector) Reason {
	return failure(kind, "There is no verified pact between "+c.Description()+" and "+p.Description())
}

func verificationFailed(c, p ResolvedSelector) Reason {
	return failure(VerificationFailed, "The verification for the pact between "+c.Description()+" and "+p.Description()+" failed")
}

// Description is how reasons name the selector (ResolvedSelector#description);
// the order of the cases is the broker's.
func (s ResolvedSelector) Description() string {
	n, v, one := s.Pacticipant, s.Version, s.hasNumber()
	some := "the version"
	if s.OneOfMany {
		some = "one of the versions"
	}
	switch {
	case s.Latest && s.Tag != "" && one:
		return "the latest version of " + n + " with tag " + s.Tag + " (" + v + ")"
	case s.Latest && s.Tag != "":
		return "the latest version of " + n + " with tag " + s.Tag + " (no such version exists)"
	case s.Latest && s.MainBranch && !one:
		return "the latest version of " + n + " from the main branch (no versions exist for this branch)"
	case s.MainBranch && !one:
		return "any version of " + n + " from the main branch (no versions exist for this branch)"
	case s.Latest && s.Branch != "" && one:
		return "the latest version of " + n + " from branch " + s.Branch + " (" + v + ")"
	case s.Latest && s.Branch != "":
		return "the latest version of " + n + " from branch " + s.Branch + " (no such version exists)"
	case s.Branch != "" && one:
		return some + " of " + n + " from branch " + s.Branch + " (" + v + ")"
	case s.Branch != "":
		return "a version of " + n + " from branch " + s.Branch + " (no such version exists)"
	case s.Latest && one:
		return "the latest version of " + n + " (" + v + ")"
	case s.Latest:
		return "the latest version of " + n + " (no such version exists)"
	case s.Tag != "" && one:
		return "a version of " + n + " with tag " + s.Tag + " (" + v + ")"
	case s.Tag != "":
		return "a version of " + n + " with tag " + s.Tag + " (no such version exists)"
	case s.Environment != "" && one:
		return some + " of " + n + " currently in " + s.Environment + " (" + v + ")"
	case s.Environment != "":
		return "a version of " + n + " currently in " + s.Environment +
			" (no version is currently recorded as deployed/released in this environment)"
	case one && s.VersionMissing:
		return "version " + v + " of " + n + " (no such version exists)"
	case one:
		return "version " + v + " of " + n
	case s.PacticipantMissing:
		return "any version of " + n + " (no such pacticipant exists)"
	default:
		return "any version of " + n
	}
}

// missingDescription explains a specified selector that matched no version
// (ResolvedSelector#version_does_not_exist_description).
func (s ResolvedSelector) missingDescription() string {
	n := s.Pacticipant
	switch {
	case s.Tag != "":
		return "No version with tag " + s.Tag + " exists for " + n
	case s.Branch != "":
		return "No version of " + n + " from branch " + s.Branch + " exists"
	case s.MainBranch:
		return "No version of " + n + " from the main branch exists"
	case s.Environment != "":
		return "No version of " + n + " is currently recorded as deployed or released in environment " + s.Environment
	case s.hasNumber():
		return "No pacts or verifications have been published for version " + s.Version + " of " + n
	default:
		return "No pacts or verifications have been published for " + n
	}
}
