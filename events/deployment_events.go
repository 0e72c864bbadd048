package events

// DeploymentRef names one deployed-version record and where it lives.
type DeploymentRef struct {
	DeploymentID    string `json:"deploymentId"`
	Pacticipant     string `json:"pacticipant"`
	Version         string `json:"version"`
	EnvironmentUUID string `json:"environmentUuid"`
	// ApplicationInstance is nil for the null instance, which is a key of its own.
	ApplicationInstance *string `json:"applicationInstance,omitempty"`
}

// DeploymentRecorded records that a version now runs in an environment on an
// application instance. Stream: "deployment-<pacticipant>.<environment uuid>".
//
// Replaces, when set, is the deployment that was current on that instance
// and ends with this event (at its time and position), exactly as if an
// AutoUndeployed of it followed. Writers since then record a replacement in
// this one event; logs written before hold a DeploymentRecorded without
// Replaces followed by an AutoUndeployed in the same append, and readers
// must treat both forms alike (see Replacement).
type DeploymentRecorded struct {
	DeploymentRef
	AutoCreated bool           `json:"autoCreated,omitempty"`
	Replaces    *DeploymentRef `json:"replaces,omitempty"`
}

// Replacement returns the AutoUndeployed this event implies, for readers
// that handle the older two-event form: ok is false when it replaces
// nothing. Apply it after the deployment itself.
func (d DeploymentRecorded) Replacement() (AutoUndeployed, bool) {
	if d.Replaces == nil {
		return AutoUndeployed{}, false
	}
	return AutoUndeployed{DeploymentRef: *d.Replaces, ReplacedBy: d.DeploymentID}, true
}

// AutoUndeployed records that a deployment was replaced by a newer one on the
// same application instance. Earlier versions appended it atomically right
// after that DeploymentRecorded; it is no longer written (the
// DeploymentRecorded names what it Replaces) but stays decodable and is
// applied as before, since existing logs hold it.
type AutoUndeployed struct {
	DeploymentRef
	ReplacedBy string `json:"replacedBy"`
}

// Undeployed records that a deployment was ended explicitly.
type Undeployed struct {
	DeploymentRef
}

// ReleaseRef names one released-version record and where it lives.
type ReleaseRef struct {
	ReleaseID       string `json:"releaseId"`
	Pacticipant     string `json:"pacticipant"`
	Version         string `json:"version"`
	EnvironmentUUID string `json:"environmentUuid"`
}

// ReleaseRecorded records that a version is released and supported in an
// environment. Stream: "release-<pacticipant>.<version>.<environment uuid>".
type ReleaseRecorded struct {
	ReleaseRef
}

// ReleaseSupportResumed records a repeated release of a version whose support
// had ended.
type ReleaseSupportResumed struct {
	ReleaseRef
}

// SupportEnded records that a released version is no longer supported.
type SupportEnded struct {
	ReleaseRef
}

func (DeploymentRecorded) EventType() string    { return "DeploymentRecorded" }
func (AutoUndeployed) EventType() string        { return "AutoUndeployed" }
func (Undeployed) EventType() string            { return "Undeployed" }
func (ReleaseRecorded) EventType() string       { return "ReleaseRecorded" }
func (ReleaseSupportResumed) EventType() string { return "ReleaseSupportResumed" }
func (SupportEnded) EventType() string          { return "SupportEnded" }

// NewDefaultRegistry returns a Registry holding every payload type pactledger writes.
func NewDefaultRegistry() *Registry {
	r := NewRegistry(
		EnvironmentCreated{}, EnvironmentUpdated{}, EnvironmentDeleted{},
		PacticipantCreated{}, PacticipantUpdated{}, MainBranchDetected{}, PacticipantDeleted{},
		VersionCreated{}, VersionUpdated{}, VersionAddedToBranch{}, VersionRemovedFromBranch{},
		VersionTagged{}, VersionTagRemoved{}, VersionDeleted{},
		DeploymentRecorded{}, AutoUndeployed{}, Undeployed{},
		ReleaseRecorded{}, ReleaseSupportResumed{}, SupportEnded{},
		PactContentStored{}, PactPublished{}, PactDeleted{}, VerificationPublished{},
		WebhookCreated{}, WebhookUpdated{}, WebhookDeleted{},
		TokenIssued{}, TokenRevoked{},
		WebhookTriggered{}, WebhookAttemptRecorded{}, WebhookDeliverySucceeded{}, WebhookDeliveryAbandoned{},
	)
	for _, p := range ProviderContractPayloads() {
		r.Register(p)
	}
	return r
}
