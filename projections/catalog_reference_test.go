package projections_test

import (
	"slices"
	"sort"
	"time"

	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/projections"
	"github.com/pactledger/pactledger/queries"
)

// refCatalog is the catalog's semantics in the plainest form (maps of
// pointers, as the catalog was before its compact layout), for the
// equivalence test: memberships keep duplicates, removals remove every
// occurrence, a branch's head falls back to its newest version, the latest
// version with a tag is the tagged one with the highest order.
type refCatalog struct{ apps map[string]*refApp }

type refVersion struct {
	number, buildURL string
	order            uint64
	created, updated time.Time
	branches, tags   []projections.Membership
}

type refBranch struct {
	created, updated time.Time
	versions         []string
	head             string
}

type refApp struct {
	view     projections.PacticipantView
	versions map[string]*refVersion
	branches map[string]*refBranch
	tagged   map[string][]*refVersion
}

func (r *refCatalog) apply(e events.Envelope) {
	at := e.OccurredAt
	switch p := e.Data.(type) {
	case events.PacticipantCreated:
		r.apps[p.Name] = &refApp{view: projections.PacticipantView{PacticipantDetails: events.PacticipantDetails(p), CreatedAt: at, UpdatedAt: at},
			versions: map[string]*refVersion{}, branches: map[string]*refBranch{}, tagged: map[string][]*refVersion{}}
		return
	case events.PacticipantDeleted:
		delete(r.apps, p.Name)
		return
	}
	var app *refApp
	var v *refVersion
	look := func(pacticipant, number string) bool {
		app = r.apps[pacticipant]
		if app != nil {
			v = app.versions[number]
		}
		return v != nil
	}
	drop := func(ms []projections.Membership, name string) []projections.Membership {
		ms = slices.DeleteFunc(ms, func(m projections.Membership) bool { return m.Name == name })
		if len(ms) == 0 {
			return nil
		}
		return ms
	}
	dropFromBranch := func(name, number string) {
		b := app.branches[name]
		if b == nil {
			return
		}
		b.versions = slices.DeleteFunc(b.versions, func(n string) bool { return n == number })
		if len(b.versions) == 0 {
			delete(app.branches, name)
		} else if b.head == number {
			b.head = slices.MaxFunc(b.versions, func(x, y string) int { return int(app.versions[x].order) - int(app.versions[y].order) })
		}
	}
	untag := func(tag string) {
		if app.tagged[tag] = slices.DeleteFunc(app.tagged[tag], func(x *refVersion) bool { return x == v }); len(app.tagged[tag]) == 0 {
			delete(app.tagged, tag)
		}
	}
	switch p := e.Data.(type) {
	case events.PacticipantUpdated:
		if app = r.apps[p.Name]; app != nil {
			app.view.PacticipantDetails, app.view.UpdatedAt = events.PacticipantDetails(p), at
		}
	case events.MainBranchDetected:
		if app = r.apps[p.Pacticipant]; app != nil {
			app.view.MainBranch, app.view.UpdatedAt = p.Branch, at
		}
	case events.VersionCreated:
		if app = r.apps[p.Pacticipant]; app != nil {
			app.versions[p.Number] = &refVersion{number: p.Number, buildURL: p.BuildURL, order: e.Position, created: at, updated: at}
			app.view.LatestVersion = p.Number
		}
	case events.VersionUpdated:
		if look(p.Pacticipant, p.Number) {
			v.buildURL, v.updated = p.BuildURL, at
		}
	case events.VersionAddedToBranch:
		if look(p.Pacticipant, p.Number) {
			b := app.branches[p.Branch]
			if b == nil {
				b = &refBranch{created: at}
				app.branches[p.Branch] = b
			}
			v.branches = append(v.branches, projections.Membership{Name: p.Branch, CreatedAt: at})
			b.versions, b.head, b.updated = append(b.versions, p.Number), p.Number, at
		}
	case events.VersionRemovedFromBranch:
		if look(p.Pacticipant, p.Number) {
			v.branches = drop(v.branches, p.Branch)
			dropFromBranch(p.Branch, p.Number)
		}
	case events.VersionTagged:
		if look(p.Pacticipant, p.Number) {
			v.tags = append(v.tags, projections.Membership{Name: p.Tag, CreatedAt: at})
			app.tagged[p.Tag] = append(app.tagged[p.Tag], v)
		}
	case events.VersionTagRemoved:
		if look(p.Pacticipant, p.Number) {
			v.tags = drop(v.tags, p.Tag)
			untag(p.Tag)
		}
	case events.VersionDeleted:
		if look(p.Pacticipant, p.Number) {
			for _, m := range v.branches {
				dropFromBranch(m.Name, p.Number)
			}
			for _, m := range v.tags {
				untag(m.Name)
			}
			delete(app.versions, p.Number)
			app.view.LatestVersion = ""
			var best uint64
			for n, other := range app.versions {
				if other.order > best {
					best, app.view.LatestVersion = other.order, n
				}
			}
		}
	}
}

func (r *refCatalog) view(app *refApp, v *refVersion) projections.VersionView {
	return projections.VersionView{Pacticipant: app.view.Name, Number: v.number, BuildURL: v.buildURL, Order: v.order,
		CreatedAt: v.created, UpdatedAt: v.updated, Branches: slices.Clone(v.branches), Tags: slices.Clone(v.tags)}
}

func (r *refCatalog) branchView(app *refApp, name string) projections.BranchView {
	b := app.branches[name]
	return projections.BranchView{Pacticipant: app.view.Name, Name: name, CreatedAt: b.created, UpdatedAt: b.updated,
		Versions: slices.Clone(b.versions), Head: b.head}
}

// answers asks the reference what catalogAnswers asks the catalog.
func (r *refCatalog) answers(apps, numbers, names []string) map[string]any {
	out := map[string]any{}
	var pacticipants []projections.PacticipantView
	counts := projections.CatalogCounts{Pacticipants: len(r.apps)}
	distinct := map[string]bool{}
	for _, app := range r.apps {
		pacticipants = append(pacticipants, app.view)
		counts.Versions += len(app.versions)
		counts.DistinctTagsPerPacticipant += len(app.tagged)
		for tag, vs := range app.tagged {
			counts.Tags += len(vs)
			distinct[tag] = true
		}
	}
	counts.DistinctTags = len(distinct)
	sort.Slice(pacticipants, func(i, j int) bool { return pacticipants[i].Name < pacticipants[j].Name })
	out["Pacticipants"] = nonNil(pacticipants)
	out["Counts"] = counts
	for _, p := range apps {
		app := r.apps[p]
		pv, ok := projections.PacticipantView{}, app != nil
		var versions []projections.VersionView
		var numbersOf, none []string
		var branches []projections.BranchView
		latest := projections.VersionView{}
		if ok {
			pv, versions, numbersOf, branches = app.view, []projections.VersionView{}, []string{}, []projections.BranchView{}
			for _, v := range app.versions {
				versions, numbersOf = append(versions, r.view(app, v)), append(numbersOf, v.number)
			}
			for name := range app.branches {
				branches = append(branches, r.branchView(app, name))
			}
			if app.view.LatestVersion != "" {
				latest = r.view(app, app.versions[app.view.LatestVersion])
			}
			none = []string{}
		}
		sort.Slice(versions, func(i, j int) bool { return versions[i].Order > versions[j].Order })
		sort.Slice(branches, func(i, j int) bool { return branches[i].UpdatedAt.After(branches[j].UpdatedAt) })
		slices.Sort(numbersOf)
		out[p+" Pacticipant"] = found{pv, ok}
		out[p+" Versions"] = versions
		out[p+" VersionNumbers"] = numbersOf
		out[p+" LatestVersion"] = found{latest, latest.Number != ""}
		out[p+" Branches"] = byUpdate(branches)
		for _, n := range numbers {
			v := projections.VersionView{}
			var heads []string
			if ok && app.versions[n] != nil {
				v = r.view(app, app.versions[n])
				for _, m := range v.Branches {
					heads = append(heads, app.branches[m.Name].head)
				}
			}
			out[p+" "+n+" Version"] = found{v, v.Number != ""}
			out[p+" "+n+" Stamp"] = []any{v.Order, v.CreatedAt, v.Number != ""}
			out[p+" "+n+" ReadVersion"] = []any{found{v, v.Number != ""}, heads}
		}
		for _, name := range names {
			bv, head, list := projections.BranchView{}, "", []string(nil)
			if ok && app.branches[name] != nil {
				bv = r.branchView(app, name)
				head, list = bv.Head, bv.Versions
			}
			out[p+" "+name+" Branch"] = found{bv, bv.Name != ""}
			out[p+" "+name+" BranchHead"] = found{head, head != ""}
			out[p+" "+name+" BranchVersionNumbers"] = list
			tagged := none
			lv := projections.VersionView{}
			if ok {
				for _, v := range app.tagged[name] {
					tagged = append(tagged, v.number)
					if lv.Number == "" || v.order > lv.Order {
						lv = r.view(app, v)
					}
				}
			}
			tagRef := queries.TagRef{}
			if lv.Number != "" {
				tagRef = queries.TagRef{Name: name, Head: lv.Number}
				for _, v := range app.tagged[name] {
					for _, m := range v.tags {
						if m.Name == name && (tagRef.FirstCreatedAt.IsZero() || m.CreatedAt.Before(tagRef.FirstCreatedAt)) {
							tagRef.FirstCreatedAt = m.CreatedAt
						}
					}
				}
			}
			out[p+" "+name+" Tag"] = found{tagRef, lv.Number != ""}
			out[p+" "+name+" VersionsWithTag"] = tagged
			out[p+" "+name+" LatestVersionWithTag"] = found{lv, lv.Number != ""}
			out[p+" "+name+" LatestVersionNumberWithTag"] = found{lv.Number, lv.Number != ""}
		}
	}
	return out
}

type found struct {
	V  any
	Ok bool
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
