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
	index               *selectorIndex // selectorFor's, over many selectors: the scratch's
	indexed             bool           // index is built
	a                   *Answer        // where the verdict, the reasons and the ignored count are written
	text                textArena      // the reason texts, in the answer's array
}

// newSummary returns a summary by value: the caller's variable, which
// does not escape (nothing per query is allocated).
func newSummary(m *run, sels, ignore []ResolvedSelector, integ []Integration, considered, ignored []matrixRow) summary {
	s := summary{q: m.q, selectors: sels, ignore: ignore, integrations: integ, considered: considered, ignored: ignored,
		a: m.a, text: textArena{b: m.a.text[:0]}, index: &m.sc.selIndex}
	s.missing = m.sc.missing[:0]
	for _, in := range integ {
		if in.Required && !s.hasRow(in) {
			s.missing = append(s.missing, in)
		}
	}
	m.sc.missing = s.missing
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
		s.a.ignoredCount = len(s.ignored)
		c.Ignored = &s.a.ignoredCount
	}
	return c
}

// deployable: false for a missing, considered, specified version; then
// unknown (nil) for an unverified considered row or a required integration
// without a row (so unknown outranks failed); then whether every considered
// row succeeded (true when there are none).
func (s *summary) deployable() *bool {
	if known, yes := s.verdict(); known {
		s.a.deployable = yes
		return &s.a.deployable
	}
	return nil
}

func (s *summary) verdict() (known, yes bool) {
	for _, sel := range s.selectors {
		if sel.Type == Specified && sel.VersionMissing && !sel.Ignored {
			return true, false
		}
	}
	for _, r := range s.considered {
		if r.unknown() {
			return false, false
		}
	}
	if len(s.missing) > 0 {
		return false, false
	}
	for _, r := range s.considered {
		if !r.ver.Success {
			return true, false
		}
	}
	return true, true
}

// reasons: warnings first, then either the errors or one success reason.
// Like the broker (whose Reason objects are never equal under uniq), equal
// texts are kept. They are written in the answer's arrays.
func (s *summary) reasons() []Reason {
	out := s.a.reasons[:0]
	t := &s.text
	for _, sel := range s.ignore {
		if sel.PacticipantMissing || sel.VersionMissing {
			t.add("WARN: Cannot ignore ")
			t.describe(sel)
			out = append(out, warning(IgnoreSelectorDoesNotExist, t.take()))
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
	n := len(out)
	if out = s.errors(out); len(out) > n {
		return out
	}
	if len(s.considered) > 0 {
		return append(out, Reason{Successful, NoticeSuccess, textSuccessful})
	}
	return append(out, Reason{NoDependenciesMissing, NoticeSuccess, textNoDependency})
}

// errors: a specified version that does not exist is the only error when
// present; otherwise missing required integrations, failed rows, then
// never-verified rows. It appends them to out.
func (s *summary) errors(out []Reason) []Reason {
	from, t := len(out), &s.text
	for _, sel := range s.selectors {
		if sel.Type == Specified && sel.VersionMissing && !sel.Ignored {
			sel.appendMissingDescription(t)
			out = append(out, failure(SpecifiedVersionDoesNotExist, t.take()))
		}
	}
	if len(out) > from {
		return out
	}
	for _, in := range s.missing {
		out = append(out, notVerified(t, PactNotVerifiedByRequiredProviderVersion,
			s.selectorFor(in.Consumer, "", false), s.selectorFor(in.Provider, "", false)))
	}
	for _, r := range s.considered {
		if r.ver != nil && !r.ver.Pending && !r.ver.Success {
			c, p := s.selectorFor(r.pact.Consumer, r.pact.ConsumerVersion, true), s.selectorFor(r.pact.Provider, r.ver.ProviderVersion, true)
			if r.ver.Kind == ResultComparison {
				out = appendComparisonFailures(out, t, *r.ver, c, p)
			} else {
				out = append(out, verificationFailed(t, c, p))
			}
		}
	}
	for _, r := range s.considered {
		if r.ver != nil && r.ver.Pending {
			out = append(out, comparisonInProgress(t, s.selectorFor(r.pact.Consumer, r.pact.ConsumerVersion, true),
				s.selectorFor(r.pact.Provider, r.ver.ProviderVersion, true)))
		}
	}
	for _, r := range s.considered {
		if r.ver == nil {
			out = append(out, notVerified(t, PactNotEverVerifiedByProvider,
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
	if !s.indexed {
		s.indexed = true
		if s.index == nil {
			s.index = new(selectorIndex)
		}
		if s.index.byName == nil {
			s.index.byName, s.index.byVersion = map[string][2]int{}, map[versionKey]int{}
		}
		clear(s.index.byName)
		clear(s.index.byVersion)
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
