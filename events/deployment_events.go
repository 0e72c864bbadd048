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
type DeploymentRecorded struct {
	DeploymentRef
	AutoCreated bool `json:"autoCreated,omitempty"`
}

// AutoUndeployed records that a deployment was replaced by a newer one on the
// same application instance. It is appended atomically with that
// DeploymentRecorded.
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
