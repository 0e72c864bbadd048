package events

// Contact is a person or team to talk to about an environment.
type Contact struct {
	Name    string         `json:"name"`
	Details map[string]any `json:"details,omitempty"`
}

// EnvironmentCreated records a new environment. Stream: "environments".
type EnvironmentCreated struct {
	UUID        string    `json:"uuid"`
	Name        string    `json:"name"`
	DisplayName string    `json:"displayName"`
	Production  bool      `json:"production"`
	Contacts    []Contact `json:"contacts,omitempty"`
}

// EnvironmentUpdated replaces every attribute of an environment.
type EnvironmentUpdated EnvironmentCreated

// EnvironmentDeleted removes an environment; its deployments and releases end
// with it in the read models.
type EnvironmentDeleted struct {
	UUID string `json:"uuid"`
	Name string `json:"name"`
}

// PacticipantDetails are the attributes of an application.
type PacticipantDetails struct {
	Name                string `json:"name"`
	DisplayName         string `json:"displayName,omitempty"`
	RepositoryURL       string `json:"repositoryUrl,omitempty"`
	RepositoryName      string `json:"repositoryName,omitempty"`
	RepositoryNamespace string `json:"repositoryNamespace,omitempty"`
	MainBranch          string `json:"mainBranch,omitempty"`
}

// PacticipantCreated records a new application. Stream: "pacticipant-<name>".
type PacticipantCreated PacticipantDetails

// PacticipantUpdated replaces every attribute of an application.
type PacticipantUpdated PacticipantDetails

// MainBranchDetected records that the main branch was set from the first
// branch or tag named like a main branch (develop, main, master).
type MainBranchDetected struct {
	Pacticipant string `json:"pacticipant"`
	Branch      string `json:"branch"`
}

// PacticipantDeleted removes an application and, in the read models,
// everything that belongs to it.
type PacticipantDeleted struct {
	Name string `json:"name"`
}

// VersionCreated records a new application version. Stream:
// "version-<pacticipant>.<number>". Its log position is the version's order.
type VersionCreated struct {
	Pacticipant string `json:"pacticipant"`
	Number      string `json:"number"`
	BuildURL    string `json:"buildUrl,omitempty"`
}

// VersionUpdated replaces a version's build URL.
type VersionUpdated struct {
	Pacticipant string `json:"pacticipant"`
	Number      string `json:"number"`
	BuildURL    string `json:"buildUrl,omitempty"`
}

// VersionAddedToBranch puts a version on a branch and makes it the branch head.
type VersionAddedToBranch struct {
	Pacticipant string `json:"pacticipant"`
	Number      string `json:"number"`
	Branch      string `json:"branch"`
	AutoCreated bool   `json:"autoCreated,omitempty"`
}

// VersionRemovedFromBranch takes a version off a branch.
type VersionRemovedFromBranch struct {
	Pacticipant string `json:"pacticipant"`
	Number      string `json:"number"`
	Branch      string `json:"branch"`
}

// VersionTagged adds a tag to a version.
type VersionTagged struct {
	Pacticipant string `json:"pacticipant"`
	Number      string `json:"number"`
	Tag         string `json:"tag"`
}

// VersionTagRemoved removes a tag from a version.
type VersionTagRemoved struct {
	Pacticipant string `json:"pacticipant"`
	Number      string `json:"number"`
	Tag         string `json:"tag"`
}

// VersionDeleted removes a version with its tags and branch memberships.
type VersionDeleted struct {
	Pacticipant string `json:"pacticipant"`
	Number      string `json:"number"`
}

func (EnvironmentCreated) EventType() string       { return "EnvironmentCreated" }
func (EnvironmentUpdated) EventType() string       { return "EnvironmentUpdated" }
func (EnvironmentDeleted) EventType() string       { return "EnvironmentDeleted" }
func (PacticipantCreated) EventType() string       { return "PacticipantCreated" }
func (PacticipantUpdated) EventType() string       { return "PacticipantUpdated" }
func (MainBranchDetected) EventType() string       { return "MainBranchDetected" }
func (PacticipantDeleted) EventType() string       { return "PacticipantDeleted" }
func (VersionCreated) EventType() string           { return "VersionCreated" }
func (VersionUpdated) EventType() string           { return "VersionUpdated" }
func (VersionAddedToBranch) EventType() string     { return "VersionAddedToBranch" }
func (VersionRemovedFromBranch) EventType() string { return "VersionRemovedFromBranch" }
func (VersionTagged) EventType() string            { return "VersionTagged" }
func (VersionTagRemoved) EventType() string        { return "VersionTagRemoved" }
func (VersionDeleted) EventType() string           { return "VersionDeleted" }
