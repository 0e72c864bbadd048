package queries

import (
	"cmp"
	"slices"
)

// SelectorType tells where a resolved selector came from.
type SelectorType int8

const (
	Specified SelectorType = iota // named in the query
	Inferred                      // built for an integrated application from the options
	Ignoring                      // an ignore selector
)

// ResolvedSelector is a selector after its versions were looked up: one per
// matching version (the Pact Broker's ResolvedSelector).
type ResolvedSelector struct {
	Pacticipant string
	// Version is the matched version's number; for a selector that matched
	// nothing it is the number that was asked for ("" when none was).
	Version string
	// AllVersions: only the name was given, so every version is selected.
	AllVersions bool
	// VersionMissing: nothing matched (the broker's version id -1).
	VersionMissing bool
	// PacticipantMissing: no such application (ignore selectors only).
	PacticipantMissing bool
	// VersionGiven: the original selector carried a version number.
	VersionGiven bool
	Latest       bool
	MainBranch   bool
	Tag          string
	Branch       string // for main-branch matches, the main branch's name
	Environment  string
	Type         SelectorType
	Ignored      bool // an ignore selector names its application or version
	OneOfMany    bool // the selector matched more than one version
}

// versionFound reports whether the selector stands for one existing version.
func (s ResolvedSelector) versionFound() bool {
	return !s.AllVersions && !s.VersionMissing && !s.PacticipantMissing
}

// hasNumber mirrors the broker's pacticipant_version_number being non-nil.
func (s ResolvedSelector) hasNumber() bool { return s.Version != "" }

// resolve turns one selector into resolved selectors (SelectorResolver).
// Every lookup is indexed; an environment, tag or branch selector costs one
// Version read per matching version. Version stamps go through the query's
// cache, which the join reads again. It appends them to dst.
func resolve(m *run, dst []ResolvedSelector, s Selector, typ SelectorType, ig ignorer) []ResolvedSelector {
	r := m.r
	p, ok := r.Pacticipant(s.Pacticipant)
	if !ok { // validation stops this for specified selectors
		return append(dst, ResolvedSelector{Pacticipant: s.Pacticipant, PacticipantMissing: true, AllVersions: s.nameOnly(), Type: typ})
	}
	if s.nameOnly() {
		return append(dst, ResolvedSelector{Pacticipant: p.Name, AllVersions: true, Type: typ, Ignored: ig.names(p.Name)})
	}
	versions := findVersions(m, p, s)
	base := ResolvedSelector{Pacticipant: p.Name, VersionGiven: s.Version != "", Latest: s.Latest, MainBranch: s.MainBranch,
		Tag: s.Tag, Branch: s.Branch, Environment: s.Environment, Type: typ}
	if len(versions) == 0 {
		base.Version, base.VersionMissing, base.Ignored = s.Version, true, ig.names(p.Name)
		return append(dst, base)
	}
	out := slices.Grow(dst, len(versions))
	for _, v := range versions {
		rs := base
		rs.Version, rs.OneOfMany, rs.Ignored = v.Number, len(versions) > 1, ig.matches(p.Name, v.Number, true)
		if s.MainBranch && s.Branch == "" {
			rs.Branch = p.MainBranch
		}
		out = append(out, rs)
	}
	return out
}

// findVersions returns the versions a non-name-only selector matches,
// oldest first: it starts from the most selective index and filters the
// candidates by every other field (Version.for_selector).
func findVersions(m *run, p PacticipantInfo, s Selector) []VersionInfo {
	r := m.r
	var numbers []string
	fromEnv := false
	one := func(n string, ok bool) {
		if ok {
			numbers = []string{n}
		}
	}
	switch {
	case s.Version != "":
		numbers = []string{s.Version}
	case s.Branch != "" && s.Latest:
		one(r.BranchHead(p.Name, s.Branch))
	case s.MainBranch && s.Latest:
		if p.MainBranch != "" {
			one(r.BranchHead(p.Name, p.MainBranch))
		}
	case s.Environment != "":
		m.sc.numbers = r.AppendVersionsInEnvironment(m.sc.numbers[:0], p.Name, s.Environment)
		numbers, fromEnv = m.sc.numbers, true
	case s.Branch != "":
		numbers = r.BranchVersions(p.Name, s.Branch)
	case s.MainBranch:
		if p.MainBranch != "" {
			numbers = r.BranchVersions(p.Name, p.MainBranch)
		}
	case s.Tag != "" && s.Latest:
		one(r.LatestVersionWithTag(p.Name, s.Tag))
	case s.Tag != "":
		numbers = r.VersionsWithTag(p.Name, s.Tag)
	default: // latest alone
		one(r.LatestVersion(p.Name))
	}
	filterEnv := s.Environment != "" && !fromEnv
	var inEnv []string
	if filterEnv && len(numbers) > 0 {
		inEnv = r.AppendVersionsInEnvironment(nil, p.Name, s.Environment)
	}
	// Without a tag or branch to check, the stamp is all the filter and
	// the ordering read: no need to build each version's lists.
	lists := s.Tag != "" || s.MainBranch || s.Branch != ""
	out := m.sc.versions[:0] // resolve reads them before the next selector's
	for _, n := range numbers {
		var v VersionInfo
		var ok bool
		if lists {
			ok = m.readVersion(p.Name, n)
			v = m.sc.version
		} else {
			st := m.stamp(p.Name, n)
			v.Number, v.Order, v.CreatedAt, ok = n, st.order, st.at, st.ok
		}
		if !ok || s.Version != "" && v.Number != s.Version ||
			filterEnv && !slices.Contains(inEnv, n) ||
			s.Tag != "" && !hasTag(v, s.Tag) ||
			s.MainBranch && (p.MainBranch == "" || !onBranch(v, p.MainBranch, s.Latest)) ||
			s.Branch != "" && !onBranch(v, s.Branch, s.Latest) {
			continue
		}
		v.Branches, v.Tags = nil, nil // the buffers are the next version's: only the number is read on
		out = append(out, v)
	}
	m.sc.versions = out
	slices.SortFunc(out, func(a, b VersionInfo) int { return cmp.Compare(a.Order, b.Order) }) // orders are unique
	if s.Latest && s.Branch == "" && !s.MainBranch && len(out) > 1 {
		out = out[len(out)-1:]
	}
	return out
}

func hasTag(v VersionInfo, tag string) bool {
	return slices.ContainsFunc(v.Tags, func(t TagMembership) bool { return t.Name == tag })
}

func onBranch(v VersionInfo, branch string, head bool) bool {
	return slices.ContainsFunc(v.Branches, func(b BranchMembership) bool { return b.Name == branch && (b.Head || !head) })
}

// ignorer decides whether selectors and rows are ignored; it holds the
// resolved ignore selectors (SelectorIgnorer and RowIgnorer).
type ignorer []ResolvedSelector

// names reports whether a name-only ignore selector names the application.
func (ig ignorer) names(pacticipant string) bool {
	return ig.matches(pacticipant, "", false)
}

// matches reports whether an ignore selector names the application by name
// only, or names this version of it (when hasVersion).
func (ig ignorer) matches(pacticipant, version string, hasVersion bool) bool {
	for _, s := range ig {
		if s.PacticipantMissing || s.Pacticipant != pacticipant {
			continue
		}
		if s.AllVersions || hasVersion && s.versionFound() && s.Version == version {
			return true
		}
	}
	return false
}
