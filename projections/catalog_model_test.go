package projections_test

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/projections"
	"github.com/pactledger/pactledger/queries"
)

// catalogAnswers asks the catalog every exported question about the given
// applications, version numbers and branch/tag names (unknown ones
// included), with answers in unspecified order sorted.
func catalogAnswers(c *projections.Catalog, apps, numbers, names []string) map[string]any {
	counts := c.Counts()
	counts.Environments = 0 // in environmentAnswers
	out := map[string]any{"Pacticipants": c.Pacticipants(), "Counts": counts}
	fv := projections.NewView(c, nil, nil).ForVerification()
	for _, p := range apps {
		pv, ok := c.Pacticipant(p)
		out[p+" Pacticipant"] = found{pv, ok}
		out[p+" Versions"] = c.Versions(p)
		vn := c.VersionNumbers(p)
		slices.Sort(vn)
		out[p+" VersionNumbers"] = vn
		lv, ok := c.LatestVersion(p)
		out[p+" LatestVersion"] = found{lv, ok}
		out[p+" Branches"] = byUpdate(c.Branches(p))
		for _, n := range numbers {
			v, ok := c.Version(p, n)
			out[p+" "+n+" Version"] = found{v, ok}
			if exists := c.VersionExists(p, n); exists != ok {
				out[p+" "+n+" VersionExists"] = exists // differs from Version: shows as a key the reference lacks
			}
			order, at, ok := c.VersionStamp(p, n)
			out[p+" "+n+" Stamp"] = []any{order, at, ok}
			var read projections.VersionView
			var heads []string
			ok = c.ReadVersion(p, n, func(v *projections.VersionView, head func(string) string) {
				read = *v
				read.BuildURL = strings.Clone(v.BuildURL) // may be the reader's buffer
				read.Branches, read.Tags = slices.Clone(v.Branches), slices.Clone(v.Tags)
				for _, m := range v.Branches {
					if again := head(strings.Clone(m.Name)); again != head(m.Name) { // another string, hashed
						heads = append(heads, "differs: "+again)
					}
					heads = append(heads, head(m.Name))
				}
				if head("nope") != "" || head("") != "" {
					heads = append(heads, "head of no branch")
				}
			})
			if len(read.Branches) == 0 {
				read.Branches = nil
			}
			if len(read.Tags) == 0 {
				read.Tags = nil
			}
			out[p+" "+n+" ReadVersion"] = []any{found{read, ok}, heads}
		}
		for _, name := range names {
			b, ok := c.Branch(p, name)
			out[p+" "+name+" Branch"] = found{b, ok}
			head, ok := c.BranchHead(p, name)
			out[p+" "+name+" BranchHead"] = found{head, ok}
			out[p+" "+name+" BranchVersionNumbers"] = c.BranchVersionNumbers(p, name)
			out[p+" "+name+" VersionsWithTag"] = c.VersionsWithTag(p, name)
			lv, ok := c.LatestVersionWithTag(p, name)
			out[p+" "+name+" LatestVersionWithTag"] = found{lv, ok}
			ln, ok := c.LatestVersionNumberWithTag(p, name)
			out[p+" "+name+" LatestVersionNumberWithTag"] = found{ln, ok}
			tag, ok := fv.Tag(p, name)
			out[p+" "+name+" Tag"] = found{tag, ok}
			if br, ok := fv.Branch(p, name); ok != (b.Name != "") || ok && (br.Head != b.Head || br.Name != b.Name || !br.CreatedAt.Equal(b.CreatedAt)) {
				out[p+" "+name+" verification Branch"] = br // differs from Branch
			}
		}
		refs := fv.Branches(p)
		sort.Slice(refs, func(i, j int) bool { return refs[i].Name < refs[j].Name })
		if want := branchRefs(c.Branches(p)); !reflect.DeepEqual(refs, want) {
			out[p+" verification Branches"] = refs
		}
		tags := fv.Tags(p)
		sort.Slice(tags, func(i, j int) bool { return tags[i].Name < tags[j].Name })
		var want []queries.TagRef
		for _, name := range names {
			if t, ok := fv.Tag(p, name); ok {
				want = append(want, t)
			}
		}
		sort.Slice(want, func(i, j int) bool { return want[i].Name < want[j].Name })
		if len(tags) != len(want) || len(tags) > 0 && !reflect.DeepEqual(tags, want) {
			out[p+" verification Tags"] = tags
		}
	}
	return out
}

// byUpdate checks that branches are listed most recently updated first,
// and orders ties by name.
func byUpdate(bs []projections.BranchView) any {
	if !sort.SliceIsSorted(bs, func(i, j int) bool { return bs[i].UpdatedAt.After(bs[j].UpdatedAt) }) {
		return "not most recently updated first"
	}
	sort.Slice(bs, func(i, j int) bool {
		a, b := bs[i].UpdatedAt, bs[j].UpdatedAt
		return a.After(b) || a.Equal(b) && bs[i].Name < bs[j].Name
	})
	return bs
}

func branchRefs(bs []projections.BranchView) []queries.BranchRef {
	if bs == nil {
		return nil
	}
	out := []queries.BranchRef{}
	for _, b := range bs {
		out = append(out, queries.BranchRef{Name: b.Name, Head: b.Head, CreatedAt: b.CreatedAt})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func environmentAnswers(c *projections.Catalog, uuids, names []string) map[string]any {
	out := map[string]any{"Environments": c.Environments(), "Count": c.Counts().Environments}
	for _, id := range uuids {
		v, ok := c.EnvironmentView(id)
		out[id+" EnvironmentView"] = found{v, ok}
		e, ok := c.Environment(id)
		out[id+" Environment"] = found{e, ok}
	}
	for _, n := range names {
		e, ok := c.EnvironmentByName(n)
		out[n+" EnvironmentByName"] = found{e, ok}
	}
	return out
}

func diffAnswers(t *testing.T, what string, got, want map[string]any) {
	t.Helper()
	var keys []string
	for k := range got {
		keys = append(keys, k)
	}
	for k := range want {
		if _, ok := got[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	bad := 0
	for _, k := range keys {
		if !reflect.DeepEqual(got[k], want[k]) {
			if bad++; bad <= 5 {
				t.Errorf("%s: %s:\n got  %+v\n want %+v", what, k, got[k], want[k])
			}
		}
	}
	if bad > 0 {
		t.FailNow()
	}
}

// TestCatalogAgainstReferenceAndSnapshot applies random catalog events
// (versions created, updated, deleted and created again; branches and tags
// added twice, removed, of missing versions; applications updated,
// deleted and created again; main branches; environments) to the catalog
// and to refCatalog, and checks after every event that the catalog's whole
// exported API answers as the reference does, and as a catalog restored
// from a snapshot taken at random points and fed the same tail; the
// snapshots of the two are equal bytes.
func TestCatalogAgainstReferenceAndSnapshot(t *testing.T) {
	apps, numbers := []string{"a", "b", "c"}, []string{"1", "2", "3", "4", "5", "6"}
	names := []string{"main", "dev", "feat/x", "nope"}
	uuids, envNames := []string{"u1", "u2"}, []string{"test", "prod", "none"}
	urls := []string{"", "plain", "https://ci/", "https://ci/b/7", "https://ci/b/", "/"}
	start := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	for seed := range uint64(25) {
		rng := rand.New(rand.NewPCG(seed, 7))
		pick := func(s []string) string { return s[rng.IntN(len(s))] }
		live, ref := projections.NewCatalog(), &refCatalog{apps: map[string]*refApp{}}
		var restored *projections.Catalog
		at := start
		for pos := uint64(1); pos <= 400; pos++ {
			p, n, name := pick(apps), pick(numbers[:5]), pick(names[:3])
			var payload events.Payload
			switch k := rng.IntN(100); {
			case k < 4:
				payload = events.PacticipantCreated{Name: p, DisplayName: strings.ToUpper(p)}
			case k < 6:
				payload = events.PacticipantUpdated{Name: p, RepositoryURL: "https://git/" + p + n}
			case k < 7:
				payload = events.PacticipantDeleted{Name: p}
			case k < 10:
				payload = events.MainBranchDetected{Pacticipant: p, Branch: name}
			case k < 30:
				if app := ref.apps[p]; app != nil && app.versions[n] != nil {
					payload = events.VersionUpdated{Pacticipant: p, Number: n, BuildURL: pick(urls) + n}
				} else {
					payload = events.VersionCreated{Pacticipant: p, Number: n, BuildURL: pick(urls)}
				}
			case k < 50:
				payload = events.VersionAddedToBranch{Pacticipant: p, Number: n, Branch: name}
			case k < 58:
				payload = events.VersionRemovedFromBranch{Pacticipant: p, Number: n, Branch: name}
			case k < 75:
				payload = events.VersionTagged{Pacticipant: p, Number: n, Tag: name}
			case k < 82:
				payload = events.VersionTagRemoved{Pacticipant: p, Number: n, Tag: name}
			case k < 90:
				payload = events.VersionDeleted{Pacticipant: p, Number: n}
			case k < 94:
				i := rng.IntN(2) // names are unique (the domain sees to it)
				payload = events.EnvironmentCreated{UUID: uuids[i], Name: envNames[i], DisplayName: pick(names), Production: k%2 == 0,
					Contacts: []events.Contact{{Name: "ops"}}}
			case k < 97:
				i := rng.IntN(2)
				payload = events.EnvironmentUpdated{UUID: uuids[i], Name: envNames[i], DisplayName: pick(names)}
			default:
				payload = events.EnvironmentDeleted{UUID: pick(uuids)}
			}
			if rng.IntN(4) > 0 { // else at the time of the event before, as events of one command are
				at = at.Add(time.Duration(rng.IntN(3000)) * time.Millisecond)
			}
			e := events.Envelope{Type: payload.EventType(), Position: pos, OccurredAt: at, Data: payload}
			live.Apply(e)
			ref.apply(e)
			if restored != nil {
				restored.Apply(e)
			}
			if restored == nil || rng.IntN(60) == 0 {
				restored = projections.NewCatalog()
				if err := restored.RestoreSnapshot(live.AppendSnapshot(nil)); err != nil {
					t.Fatalf("seed %d pos %d: restore: %v", seed, pos, err)
				}
			}
			got := catalogAnswers(live, apps, numbers, names)
			diffAnswers(t, "live vs reference", got, ref.answers(apps, numbers, names))
			diffAnswers(t, "restored vs live", catalogAnswers(restored, apps, numbers, names), got)
			diffAnswers(t, "restored environments", environmentAnswers(restored, uuids, envNames), environmentAnswers(live, uuids, envNames))
		}
		if a, b := live.AppendSnapshot(nil), restored.AppendSnapshot(nil); !slices.Equal(a, b) {
			t.Fatalf("seed %d: snapshots differ (%d and %d bytes)", seed, len(a), len(b))
		}
	}
}
