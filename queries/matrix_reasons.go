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

func notVerified(t *textArena, kind ReasonKind, c, p ResolvedSelector) Reason {
	t.add("There is no verified pact between ")
	t.describe(c)
	t.add(" and ")
	t.describe(p)
	return failure(kind, t.take())
}

func verificationFailed(t *textArena, c, p ResolvedSelector) Reason {
	t.add("The verification for the pact between ")
	t.describe(c)
	t.add(" and ")
	t.describe(p)
	t.add(" failed")
	return failure(VerificationFailed, t.take())
}

// Description is how reasons name the selector (ResolvedSelector#description).
func (s ResolvedSelector) Description() string {
	return string(s.appendDescription(make([]byte, 0, 128)))
}

// appendDescription appends Description to b; the order of the cases is
// the broker's.
func (s ResolvedSelector) appendDescription(b []byte) []byte {
	n, v, one := s.Pacticipant, s.Version, s.hasNumber()
	some := "the version"
	if s.OneOfMany {
		some = "one of the versions"
	}
	switch {
	case s.Latest && s.Tag != "" && one:
		return appendAll(b, "the latest version of ", n, " with tag ", s.Tag, " (", v, ")")
	case s.Latest && s.Tag != "":
		return appendAll(b, "the latest version of ", n, " with tag ", s.Tag, " (no such version exists)")
	case s.Latest && s.MainBranch && !one:
		return appendAll(b, "the latest version of ", n, " from the main branch (no versions exist for this branch)")
	case s.MainBranch && !one:
		return appendAll(b, "any version of ", n, " from the main branch (no versions exist for this branch)")
	case s.Latest && s.Branch != "" && one:
		return appendAll(b, "the latest version of ", n, " from branch ", s.Branch, " (", v, ")")
	case s.Latest && s.Branch != "":
		return appendAll(b, "the latest version of ", n, " from branch ", s.Branch, " (no such version exists)")
	case s.Branch != "" && one:
		return appendAll(b, some, " of ", n, " from branch ", s.Branch, " (", v, ")")
	case s.Branch != "":
		return appendAll(b, "a version of ", n, " from branch ", s.Branch, " (no such version exists)")
	case s.Latest && one:
		return appendAll(b, "the latest version of ", n, " (", v, ")")
	case s.Latest:
		return appendAll(b, "the latest version of ", n, " (no such version exists)")
	case s.Tag != "" && one:
		return appendAll(b, "a version of ", n, " with tag ", s.Tag, " (", v, ")")
	case s.Tag != "":
		return appendAll(b, "a version of ", n, " with tag ", s.Tag, " (no such version exists)")
	case s.Environment != "" && one:
		return appendAll(b, some, " of ", n, " currently in ", s.Environment, " (", v, ")")
	case s.Environment != "":
		return appendAll(b, "a version of ", n, " currently in ", s.Environment,
			" (no version is currently recorded as deployed/released in this environment)")
	case one && s.VersionMissing:
		return appendAll(b, "version ", v, " of ", n, " (no such version exists)")
	case one:
		return appendAll(b, "version ", v, " of ", n)
	case s.PacticipantMissing:
		return appendAll(b, "any version of ", n, " (no such pacticipant exists)")
	default:
		return appendAll(b, "any version of ", n)
	}
}

// appendMissingDescription appends to the text being built what explains a
// specified selector that matched no version
// (ResolvedSelector#version_does_not_exist_description).
func (s ResolvedSelector) appendMissingDescription(t *textArena) {
	n := s.Pacticipant
	switch {
	case s.Tag != "":
		t.add("No version with tag ", s.Tag, " exists for ", n)
	case s.Branch != "":
		t.add("No version of ", n, " from branch ", s.Branch, " exists")
	case s.MainBranch:
		t.add("No version of ", n, " from the main branch exists")
	case s.Environment != "":
		t.add("No version of ", n, " is currently recorded as deployed or released in environment ", s.Environment)
	case s.hasNumber():
		t.add("No pacts or verifications have been published for version ", s.Version, " of ", n)
	default:
		t.add("No pacts or verifications have been published for ", n)
	}
}
