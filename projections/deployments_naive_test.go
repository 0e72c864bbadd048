package projections

import (
	"slices"

	"github.com/pactledger/pactledger/events"
)

// naiveDeployments is the plainest account of the records: a list, read by
// filtering it. It is what Deployments answers, minus the indexes.
type naiveDeployments struct {
	deps []DeployedVersionView
	rels []ReleasedVersionView
}

func (n *naiveDeployments) apply(e events.Envelope) {
	at := e.OccurredAt
	undeploy := func(id string) {
		for i := range n.deps {
			if n.deps[i].DeploymentID == id && n.deps[i].UndeployedAt == nil {
				n.deps[i].UndeployedAt, n.deps[i].UpdatedAt = &at, at
			}
		}
	}
	rel := func(id string) *ReleasedVersionView {
		for i := range n.rels {
			if n.rels[i].ReleaseID == id {
				return &n.rels[i]
			}
		}
		return nil
	}
	switch p := e.Data.(type) {
	case events.DeploymentRecorded:
		n.deps = append(n.deps, DeployedVersionView{DeploymentRef: p.DeploymentRef, AutoCreated: p.AutoCreated, CreatedAt: at, UpdatedAt: at})
		if p.Replaces != nil {
			undeploy(p.Replaces.DeploymentID)
		}
	case events.AutoUndeployed:
		undeploy(p.DeploymentID)
	case events.Undeployed:
		undeploy(p.DeploymentID)
	case events.ReleaseRecorded:
		n.rels = append(n.rels, ReleasedVersionView{ReleaseRef: p.ReleaseRef, CreatedAt: at, UpdatedAt: at})
	case events.ReleaseSupportResumed:
		if r := rel(p.ReleaseID); r != nil {
			r.SupportEndedAt, r.UpdatedAt = nil, at
		}
	case events.SupportEnded:
		if r := rel(p.ReleaseID); r != nil && r.SupportEndedAt == nil {
			r.SupportEndedAt, r.UpdatedAt = &at, at
		}
	case events.EnvironmentDeleted:
		n.forget(func(_, _, env string) bool { return env == p.UUID })
	case events.PacticipantDeleted:
		n.forget(func(name, _, _ string) bool { return name == p.Name })
	case events.VersionDeleted:
		n.forget(func(name, number, _ string) bool { return name == p.Pacticipant && number == p.Number })
	}
}

func (n *naiveDeployments) forget(match func(pacticipant, version, env string) bool) {
	n.deps = slices.DeleteFunc(n.deps, func(r DeployedVersionView) bool { return match(r.Pacticipant, r.Version, r.EnvironmentUUID) })
	n.rels = slices.DeleteFunc(n.rels, func(r ReleasedVersionView) bool { return match(r.Pacticipant, r.Version, r.EnvironmentUUID) })
}

// deploymentQueries are the exported queries of Deployments, but for the
// stream seeds.
type deploymentQueries interface {
	DeployedVersion(id string) (DeployedVersionView, bool)
	DeploymentRef(id string) (events.DeploymentRef, bool)
	DeployedVersions(f DeploymentFilter) []DeployedVersionView
	CurrentDeployment(pacticipant, environmentUUID string, instance *string) (events.DeploymentRef, bool)
	ReleasedVersion(id string) (ReleasedVersionView, bool)
	ReleaseRef(id string) (events.ReleaseRef, bool)
	ReleasedVersions(f ReleaseFilter) []ReleasedVersionView
	LiveVersions(environmentUUID, pacticipant string) (deployed, released []string)
}

func (n *naiveDeployments) DeployedVersion(id string) (DeployedVersionView, bool) {
	for _, r := range n.deps {
		if r.DeploymentID == id {
			return r, true
		}
	}
	return DeployedVersionView{}, false
}

func (n *naiveDeployments) DeploymentRef(id string) (events.DeploymentRef, bool) {
	r, ok := n.DeployedVersion(id)
	return r.DeploymentRef, ok
}

func (n *naiveDeployments) DeployedVersions(f DeploymentFilter) []DeployedVersionView {
	var out []DeployedVersionView
	for _, r := range n.deps {
		if (f.EnvironmentUUID == "" || r.EnvironmentUUID == f.EnvironmentUUID) && (f.Pacticipant == "" || r.Pacticipant == f.Pacticipant) &&
			(f.Version == "" || r.Version == f.Version) && (!f.CurrentOnly || r.UndeployedAt == nil) &&
			(!f.FilterInstance || sameInstance(r.ApplicationInstance, f.Instance)) {
			out = append(out, r)
		}
	}
	slices.SortStableFunc(out, func(a, b DeployedVersionView) int { return b.CreatedAt.Compare(a.CreatedAt) })
	return out
}

func sameInstance(a, b *string) bool {
	return a == nil && b == nil || a != nil && b != nil && *a == *b
}

func (n *naiveDeployments) CurrentDeployment(pacticipant, env string, instance *string) (events.DeploymentRef, bool) {
	rows := n.DeployedVersions(DeploymentFilter{EnvironmentUUID: env, Pacticipant: pacticipant, FilterInstance: true, Instance: instance, CurrentOnly: true})
	if len(rows) == 0 {
		return events.DeploymentRef{}, false
	}
	return rows[0].DeploymentRef, true
}

func (n *naiveDeployments) ReleasedVersion(id string) (ReleasedVersionView, bool) {
	for _, r := range n.rels {
		if r.ReleaseID == id {
			return r, true
		}
	}
	return ReleasedVersionView{}, false
}

func (n *naiveDeployments) ReleaseRef(id string) (events.ReleaseRef, bool) {
	r, ok := n.ReleasedVersion(id)
	return r.ReleaseRef, ok
}

func (n *naiveDeployments) ReleasedVersions(f ReleaseFilter) []ReleasedVersionView {
	var out []ReleasedVersionView
	for _, r := range n.rels {
		if (f.EnvironmentUUID == "" || r.EnvironmentUUID == f.EnvironmentUUID) && (f.Pacticipant == "" || r.Pacticipant == f.Pacticipant) &&
			(f.Version == "" || r.Version == f.Version) && (!f.SupportedOnly || r.SupportEndedAt == nil) {
			out = append(out, r)
		}
	}
	slices.SortStableFunc(out, func(a, b ReleasedVersionView) int { return b.CreatedAt.Compare(a.CreatedAt) })
	return out
}

func (n *naiveDeployments) LiveVersions(env, pacticipant string) (deployed, released []string) {
	for _, r := range n.deps { // the pair exactly, "" included
		if r.EnvironmentUUID == env && r.Pacticipant == pacticipant && r.UndeployedAt == nil && !slices.Contains(deployed, r.Version) {
			deployed = append(deployed, r.Version)
		}
	}
	for _, r := range n.rels {
		if r.EnvironmentUUID == env && r.Pacticipant == pacticipant && r.SupportEndedAt == nil && !slices.Contains(released, r.Version) {
			released = append(released, r.Version)
		}
	}
	return deployed, released
}
