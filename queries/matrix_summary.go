package queries

// Counts are the summary's numbers, from considered rows only.
type Counts struct {
	Success, Failed int
	// Unknown counts unverified considered rows plus required integrations
	// without any row.
	Unknown int
	// Ignored counts ignored rows; nil when no ignore selector was given
	// (the property is then absent).
	Ignored *int
}

// summary is DeploymentStatusSummary: deployability, reasons and counts.
type summary struct {
	q                   MatrixQuery
	selectors           []ResolvedSelector // specified, then inferred
	ignore              []ResolvedSelector
	integrations        []Integration
	considered, ignored []matrixRow
	dummies             []ResolvedSelector
	missing             []Integration  // required integrations without any row
	index               *selectorIndex // selectorFor's, over many selectors
}

func newSummary(q MatrixQuery, sels, ignore []ResolvedSelector, integ []Integration, considered, ignored []matrixRow) *summary {
	s := &summary{q: q, selectors: sels, ignore: ignore, integrations: integ, considered: considered, ignored: ignored}
	for _, in := range integ {
		if in.Required && !s.hasRow(in) {
			s.missing = append(s.missing, in)
		}
	}
	return s
}

func (s *summary) hasRow(in Integration) bool {
	for _, rows := range [2][]matrixRow{s.considered, s.ignored} {
		for _, r := range rows {
			if r.pact.Consumer == in.Consumer && r.pact.Provider == in.Provider {
				return true
			}
		}
	}
	return false
}

func (s *summary) counts() Counts {
	var c Counts
	for _, r := range s.considered {
		switch {
		case r.unknown():
			c.Unknown++
		case r.ver.Success:
			c.Success++
		default:
			c.Failed++
		}
	}
	c.Unknown += len(s.missing)
	if len(s.q.Ignore) > 0 {
		n := len(s.ignored)
		c.Ignored = &n
	}
	return c
}

// deployable: false for a missing, considered, specified version; then
// unknown (nil) for an unverified considered row or a required integration
// without a row (so unknown outranks failed); then whether every considered
// row succeeded (true when there are none).
func (s *summary) deployable() *bool {
	yes, no := true, false
	for _, sel := range s.selectors {
		if sel.Type == Specified && sel.VersionMissing && !sel.Ignored {
			return &no
		}
	}
	for _, r := range s.considered {
		if r.unknown() {
			return nil
		}
	}
	if len(s.missing) > 0 {
		return nil
	}
	for _, r := range s.considered {
		if !r.ver.Success {
			return &no
		}
	}
	return &yes
}

// reasons: warnings first, then either the errors or one success reason.
// Like the broker (whose Reason objects are never equal under uniq), equal
// texts are kept.
func (s *summary) reasons() []Reason {
	var out []Reason
	for _, sel := range s.ignore {
		if sel.PacticipantMissing || sel.VersionMissing {
			out = append(out, warning(IgnoreSelectorDoesNotExist, "WARN: Cannot ignore "+sel.Description()))
		}
	}
	specified, versioned, numbered := 0, false, false
	for _, sel := range s.selectors {
		if sel.Type == Specified {
			specified++
			versioned = versioned || !sel.AllVersions
			numbered = numbered || sel.VersionGiven
		}
	}
	if specified == 1 && s.q.Tag == "" && s.q.Environment == "" && !s.q.mainBranch() {
		out = append(out, warning(NoEnvironmentSpecified, textNoEnvironment))
	}
	if versioned && !numbered {
		out = append(out, warning(SelectorWithoutPacticipantVersionNumberSpecified, textNoVersionNumber))
	}
	if errs := s.errors(); len(errs) > 0 {
		return append(out, errs...)
	}
	if len(s.considered) > 0 {
		return append(out, Reason{Successful, NoticeSuccess, textSuccessful})
	}
	return append(out, Reason{NoDependenciesMissing, NoticeSuccess, textNoDependency})
}

// errors: a specified version that does not exist is the only error when
// present; otherwise missing required integrations, failed rows, then
// never-verified rows.
func (s *summary) errors() []Reason {
	var out []Reason
	for _, sel := range s.selectors {
		if sel.Type == Specified && sel.VersionMissing && !sel.Ignored {
			out = append(out, failure(SpecifiedVersionDoesNotExist, sel.missingDescription()))
		}
	}
	if len(out) > 0 {
		return out
	}
	for _, in := range s.missing {
		out = append(out, notVerified(PactNotVerifiedByRequiredProviderVersion,
			s.selectorFor(in.Consumer, "", false), s.selectorFor(in.Provider, "", false)))
	}
	for _, r := range s.considered {
		if r.ver != nil && !r.ver.Pending && !r.ver.Success {
			c, p := s.selectorFor(r.pact.Consumer, r.pact.ConsumerVersion, true), s.selectorFor(r.pact.Provider, r.ver.ProviderVersion, true)
			if r.ver.Kind == ResultComparison {
				out = append(out, comparisonFailures(*r.ver, c, p)...)
			} else {
				out = append(out, verificationFailed(c, p))
			}
		}
	}
	for _, r := range s.considered {
		if r.ver != nil && r.ver.Pending {
			out = append(out, comparisonInProgress(s.selectorFor(r.pact.Consumer, r.pact.ConsumerVersion, true),
				s.selectorFor(r.pact.Provider, r.ver.ProviderVersion, true)))
		}
	}
	for _, r := range s.considered {
		if r.ver == nil {
			out = append(out, notVerified(PactNotEverVerifiedByProvider,
				s.selectorFor(r.pact.Consumer, r.pact.ConsumerVersion, true), s.selectorFor(r.pact.Provider, "", false)))
		}
	}
	return out
}

// selectorFor finds the selector that brought a pacticipant into a row: the
// only one for that name, else the one for that version; failing that, a
// stand-in built from the considered rows, then the integrations (so it may
// name a version taken from another row, as the broker's does).
func (s *summary) selectorFor(name, version string, hasVersion bool) ResolvedSelector {
	if len(s.selectors) > fewVersions { // every row asks: index the selectors once
		return s.indexedSelectorFor(name, version, hasVersion)
	}
	return s.linearSelectorFor(name, version, hasVersion)
}

func (s *summary) linearSelectorFor(name, version string, hasVersion bool) ResolvedSelector {
	count, only := 0, -1
	for i, sel := range s.selectors {
		if sel.Pacticipant == name {
			count, only = count+1, i
		}
	}
	if count == 1 {
		return s.selectors[only]
	}
	if hasVersion {
		for _, sel := range s.selectors {
			if sel.Pacticipant == name && sel.Version == version {
				return sel
			}
		}
	}
	return s.dummyFor(name)
}

// selectorIndex is selectorFor's lookups over many selectors.
type selectorIndex struct {
	byName    map[string][2]int // name → count, index of the last
	byVersion map[versionKey]int
}

// indexedSelectorFor is selectorFor through an index built on first use.
func (s *summary) indexedSelectorFor(name, version string, hasVersion bool) ResolvedSelector {
	if s.index == nil {
		s.index = &selectorIndex{byName: map[string][2]int{}, byVersion: map[versionKey]int{}}
		for i, sel := range s.selectors {
			n := s.index.byName[sel.Pacticipant]
			s.index.byName[sel.Pacticipant] = [2]int{n[0] + 1, i}
			k := versionKey{sel.Pacticipant, sel.Version}
			if _, ok := s.index.byVersion[k]; !ok {
				s.index.byVersion[k] = i
			}
		}
	}
	if n := s.index.byName[name]; n[0] == 1 {
		return s.selectors[n[1]]
	}
	if hasVersion {
		if i, ok := s.index.byVersion[versionKey{name, version}]; ok {
			return s.selectors[i]
		}
	}
	return s.dummyFor(name)
}

func (s *summary) dummyFor(name string) ResolvedSelector {
	for _, r := range s.considered {
		if r.pact.Consumer == name {
			return ResolvedSelector{Pacticipant: name, Version: r.pact.ConsumerVersion, Type: Inferred}
		}
		if r.pact.Provider == name {
			if r.ver != nil {
				return ResolvedSelector{Pacticipant: name, Version: r.ver.ProviderVersion, Type: Inferred}
			}
			return ResolvedSelector{Pacticipant: name, AllVersions: true, Type: Inferred}
		}
	}
	return ResolvedSelector{Pacticipant: name, AllVersions: true, Type: Inferred}
}
