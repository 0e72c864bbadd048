package projections

import (
	"slices"
	"time"

	"github.com/pactledger/pactledger/events"
)

// DeployedVersion returns one deployed-version record.
func (d *Deployments) DeployedVersion(id string) (DeployedVersionView, bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	i, ok := d.dep(id)
	if !ok {
		return DeployedVersionView{}, false
	}
	return d.depView(i), true
}

// DeploymentRef returns where a deployed-version record lives.
func (d *Deployments) DeploymentRef(id string) (events.DeploymentRef, bool) {
	r, ok := d.DeployedVersion(id)
	return r.DeploymentRef, ok
}

// DeploymentFilter selects deployed-version records. Empty strings match
// everything; Instance filters only when FilterInstance is set, and then a
// nil Instance selects the null instance.
type DeploymentFilter struct {
	EnvironmentUUID, Pacticipant, Version string
	FilterInstance                        bool
	Instance                              *string
	CurrentOnly                           bool
}

// filterSyms are a filter's names as symbols; ok is false when one names
// something no record has.
type filterSyms struct {
	env, pacticipant, version uint32
	ok                        bool
}

func (s *deplStore) filterSyms(env, pacticipant, version string) filterSyms {
	f := filterSyms{ok: true}
	for _, x := range []struct {
		name string
		sym  *uint32
	}{{env, &f.env}, {pacticipant, &f.pacticipant}, {version, &f.version}} {
		if x.name != "" {
			var ok bool
			*x.sym, ok = s.syms.id(x.name)
			f.ok = f.ok && ok
		}
	}
	return f
}

// candidates returns the rows to look at for a filter: those of one
// version, the live ones of one group, those of one group, those of an
// environment's groups, or all. rows and live pick a group's lists.
func (s *deplStore) candidates(f filterSyms, byVer map[uint64]int32, next func(int32) int32, liveOnly bool,
	rows, live func(*depGroup) []int32, all func() []int32) []int32 {
	switch {
	case f.pacticipant != 0 && f.version != 0:
		return byVersion(byVer, verKey(f.pacticipant, f.version), next)
	case f.env != 0 && f.pacticipant != 0:
		g, ok := s.groupByKey[verKey(f.env, f.pacticipant)]
		if !ok {
			return nil
		}
		if liveOnly {
			return live(&s.groups[g])
		}
		return rows(&s.groups[g])
	case f.env != 0:
		var out []int32
		for g := range s.groups {
			if s.groups[g].env == f.env {
				out = append(out, rows(&s.groups[g])...)
			}
		}
		return out
	}
	return all()
}

// DeployedVersions returns the records matching f, newest first. It walks
// the narrowest index the filter allows.
func (d *Deployments) DeployedVersions(f DeploymentFilter) []DeployedVersionView {
	d.mu.RLock()
	defer d.mu.RUnlock()
	fs := d.filterSyms(f.EnvironmentUUID, f.Pacticipant, f.Version)
	inst := uint32(0)
	if f.FilterInstance && f.Instance != nil {
		n, ok := d.syms.id(*f.Instance)
		fs.ok, inst = fs.ok && ok, n+1
	}
	if !fs.ok {
		return nil
	}
	rows := d.candidates(fs, d.depByVer, func(i int32) int32 { return d.deps[i].nextVer }, f.CurrentOnly,
		func(g *depGroup) []int32 { return g.deps }, func(g *depGroup) []int32 { return g.liveDeps }, d.allDeps)
	var out []DeployedVersionView
	for _, i := range rows {
		r := &d.deps[i]
		g := &d.groups[r.group]
		if f.EnvironmentUUID != "" && g.env != fs.env || f.Pacticipant != "" && g.pacticipant != fs.pacticipant ||
			f.Version != "" && r.version != fs.version || f.CurrentOnly && r.flags&rowEnded != 0 ||
			f.FilterInstance && r.instance != inst {
			continue
		}
		out = append(out, d.depView(i))
	}
	sortNewestFirst(out, func(v *DeployedVersionView) time.Time { return v.CreatedAt })
	return out
}

func (s *deplStore) allDeps() []int32 {
	var out []int32
	for i := range s.deps {
		if s.deps[i].flags&rowUsed != 0 {
			out = append(out, int32(i))
		}
	}
	return out
}

func (s *deplStore) allRels() []int32 {
	var out []int32
	for i := range s.rels {
		if s.rels[i].flags&rowUsed != 0 {
			out = append(out, int32(i))
		}
	}
	return out
}

// CurrentDeployment returns the current record for one application instance.
func (d *Deployments) CurrentDeployment(pacticipant, environmentUUID string, instance *string) (events.DeploymentRef, bool) {
	rows := d.DeployedVersions(DeploymentFilter{EnvironmentUUID: environmentUUID, Pacticipant: pacticipant,
		FilterInstance: true, Instance: instance, CurrentOnly: true})
	if len(rows) == 0 {
		return events.DeploymentRef{}, false
	}
	return rows[0].DeploymentRef, true
}

// ReleasedVersion returns one released-version record.
func (d *Deployments) ReleasedVersion(id string) (ReleasedVersionView, bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	i, ok := d.rel(id)
	if !ok {
		return ReleasedVersionView{}, false
	}
	return d.relView(i), true
}

// ReleaseRef returns where a released-version record lives.
func (d *Deployments) ReleaseRef(id string) (events.ReleaseRef, bool) {
	r, ok := d.ReleasedVersion(id)
	return r.ReleaseRef, ok
}

// ReleaseFilter selects released-version records; empty strings match all.
type ReleaseFilter struct {
	EnvironmentUUID, Pacticipant, Version string
	SupportedOnly                         bool
}

// ReleasedVersions returns the records matching f, newest first. It walks
// the narrowest index the filter allows.
func (d *Deployments) ReleasedVersions(f ReleaseFilter) []ReleasedVersionView {
	d.mu.RLock()
	defer d.mu.RUnlock()
	fs := d.filterSyms(f.EnvironmentUUID, f.Pacticipant, f.Version)
	if !fs.ok {
		return nil
	}
	rows := d.candidates(fs, d.relByVer, func(i int32) int32 { return d.rels[i].nextVer }, f.SupportedOnly,
		func(g *depGroup) []int32 { return g.rels }, func(g *depGroup) []int32 { return g.liveRels }, d.allRels)
	var out []ReleasedVersionView
	for _, i := range rows {
		r := &d.rels[i]
		g := &d.groups[r.group]
		if f.EnvironmentUUID != "" && g.env != fs.env || f.Pacticipant != "" && g.pacticipant != fs.pacticipant ||
			f.Version != "" && r.version != fs.version || f.SupportedOnly && r.flags&rowEnded != 0 {
			continue
		}
		out = append(out, d.relView(i))
	}
	sortNewestFirst(out, func(v *ReleasedVersionView) time.Time { return v.CreatedAt })
	return out
}

// LiveVersions lists the versions of an application that are in an
// environment: deployed holds the current deployment of every application
// instance, released every supported release; each without duplicates.
func (d *Deployments) LiveVersions(environmentUUID, pacticipant string) (deployed, released []string) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	g := d.findGroup(environmentUUID, pacticipant)
	if g < 0 {
		return nil, nil
	}
	grp := &d.groups[g]
	return d.appendNewVersions(nil, 0, grp.liveDeps, d.depVersion), d.appendNewVersions(nil, 0, grp.liveRels, d.relVersion)
}

// AppendLiveVersions appends to dst the versions of an application that
// are in an environment, each once: the current deployments' (of every
// instance), then the supported releases' not already listed. It is the
// union of LiveVersions' two lists, written into the caller's buffer.
func (d *Deployments) AppendLiveVersions(dst []string, environmentUUID, pacticipant string) []string {
	d.mu.RLock()
	defer d.mu.RUnlock()
	g := d.findGroup(environmentUUID, pacticipant)
	if g < 0 {
		return dst
	}
	from := len(dst)
	grp := &d.groups[g]
	dst = d.appendNewVersions(dst, from, grp.liveDeps, d.depVersion)
	return d.appendNewVersions(dst, from, grp.liveRels, d.relVersion)
}

// appendNewVersions appends the version of each record in rows that
// dst[from:] does not hold yet.
func (s *deplStore) appendNewVersions(dst []string, from int, rows []int32, version func(int32) uint32) []string {
	for _, i := range rows {
		if v := s.syms.str(version(i)); !slices.Contains(dst[from:], v) {
			dst = append(dst, v)
		}
	}
	return dst
}

func (s *deplStore) depVersion(i int32) uint32 { return s.deps[i].version }
func (s *deplStore) relVersion(i int32) uint32 { return s.rels[i].version }

// EachLiveEnvironment calls fn for every current deployment and every
// supported release of one version, with the record's environment uuid and
// creation time, deployments first, in no particular order otherwise. It
// copies and sorts nothing (the matrix asks it for every version it
// renders). fn runs under the read lock: it must not call back into d.
//
// It reads the live records of the application's groups (one per
// environment) when they are few, and a version's own records otherwise:
// the live records are a small set that every query reads and the caches
// keep, while a version's records (most of them ended) lie wherever the log
// put them, each a cache miss on a large model.
func (d *Deployments) EachLiveEnvironment(pacticipant, version string, fn func(environmentUUID string, createdAt time.Time)) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	fs := d.filterSyms("", pacticipant, version)
	if !fs.ok || pacticipant == "" || version == "" {
		return
	}
	groups := d.groupsOf[fs.pacticipant]
	live := 0
	for _, g := range groups {
		live += len(d.groups[g].liveDeps) + len(d.groups[g].liveRels)
	}
	if live <= liveScanMax {
		d.eachLiveByGroups(groups, fs.version, fn)
	} else {
		d.eachLiveByVersion(verKey(fs.pacticipant, fs.version), fn)
	}
}

// liveScanMax is the most live records of an application that
// EachLiveEnvironment scans rather than walking the version's own records:
// an application is live in a few environments with a few instances, but a
// mobile application may keep many releases supported.
const liveScanMax = 32

// eachLiveByGroups is EachLiveEnvironment over the live records of an
// application's groups.
func (s *deplStore) eachLiveByGroups(groups []int32, version uint32, fn func(string, time.Time)) {
	for _, g := range groups {
		grp := &s.groups[g]
		for _, i := range grp.liveDeps {
			if r := &s.deps[i]; r.version == version {
				fn(s.syms.str(grp.env), r.created.time())
			}
		}
	}
	for _, g := range groups {
		grp := &s.groups[g]
		for _, i := range grp.liveRels {
			if r := &s.rels[i]; r.version == version {
				fn(s.syms.str(grp.env), r.created.time())
			}
		}
	}
}

// eachLiveByVersion is EachLiveEnvironment over the records of the
// version with key verKey(pacticipant, version), ended ones included.
func (s *deplStore) eachLiveByVersion(key uint64, fn func(string, time.Time)) {
	if head, ok := s.depByVer[key]; ok {
		for i := head; i >= 0; i = s.deps[i].nextVer {
			if r := &s.deps[i]; r.flags&rowEnded == 0 {
				fn(s.syms.str(s.groups[r.group].env), r.created.time())
			}
		}
	}
	if head, ok := s.relByVer[key]; ok {
		for i := head; i >= 0; i = s.rels[i].nextVer {
			if r := &s.rels[i]; r.flags&rowEnded == 0 {
				fn(s.syms.str(s.groups[r.group].env), r.created.time())
			}
		}
	}
}
