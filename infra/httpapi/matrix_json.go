package httpapi

import (
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/pactledger/pactledger/queries"
)

// MatrixBody is the JSON of /matrix and of every can-i-deploy resource
// (reference §7.3). Unlike the rest of the API it carries explicit nulls:
// summary.deployable (unknown), version.branch, provider.version and
// verificationResult (unverified rows). Field order follows the broker's.
type MatrixBody struct {
	Summary MatrixSummary  `json:"summary"`
	Notices []MatrixNotice `json:"notices"`
	Matrix  []MatrixRow    `json:"matrix"`
}

// MatrixSummary is the verdict; the CLI reads only deployable.
type MatrixSummary struct {
	Deployable *bool  `json:"deployable"`
	Reason     string `json:"reason"` // every reason text, joined by "\n"
	Success    int    `json:"success"`
	Failed     int    `json:"failed"`
	Unknown    int    `json:"unknown"`
	Ignored    *int   `json:"ignored,omitempty"` // only when ignore selectors were given
}

// MatrixNotice is one reason as the CLI prints it.
type MatrixNotice struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

// MatrixRow is one consumer version / provider version pair.
type MatrixRow struct {
	Consumer           MatrixParty         `json:"consumer"`
	Provider           MatrixParty         `json:"provider"`
	Pact               MatrixPact          `json:"pact"`
	VerificationResult *MatrixVerification `json:"verificationResult"`
	Ignored            bool                `json:"ignored,omitempty"`
}

// MatrixParty is the consumer or the provider of a row.
type MatrixParty struct {
	Name    string         `json:"name"`
	Version *MatrixVersion `json:"version"`
	Links   Links          `json:"_links"`
}

// MatrixVersion is a row's version with its branches, environments and tags.
type MatrixVersion struct {
	Number         string                `json:"number"`
	Branch         *string               `json:"branch"`   // the last branch the version joined
	Branches       []MatrixBranchVersion `json:"branches"` // deprecated copy of branchVersions
	BranchVersions []MatrixBranchVersion `json:"branchVersions"`
	Environments   []MatrixEnvironment   `json:"environments"`
	Links          Links                 `json:"_links"`
	Tags           []MatrixTag           `json:"tags"`
}

// MatrixBranchVersion is a version's place on a branch.
type MatrixBranchVersion struct {
	Name   string `json:"name"`
	Latest bool   `json:"latest"`
	Links  Links  `json:"_links"`
}

// MatrixEnvironment is an environment the version is currently in.
type MatrixEnvironment struct {
	UUID        string  `json:"uuid"`
	Name        string  `json:"name"`
	DisplayName string  `json:"displayName,omitempty"`
	Production  bool    `json:"production"`
	UpdatedAt   *string `json:"updatedAt,omitempty"`
	CreatedAt   string  `json:"createdAt"`
	Links       Links   `json:"_links"`
}

// MatrixTag is a tag on a version.
type MatrixTag struct {
	Name   string `json:"name"`
	Latest bool   `json:"latest"`
	Links  Links  `json:"_links"`
}

// MatrixPact is the row's pact publication.
type MatrixPact struct {
	CreatedAt string `json:"createdAt"`
	Links     Links  `json:"_links"`
}

// MatrixVerification is the row's verification result.
type MatrixVerification struct {
	Success    bool   `json:"success"`
	VerifiedAt string `json:"verifiedAt"`
	Links      Links  `json:"_links"`
}

// MatrixJSON renders an answer. href joins path segments onto the base URL,
// escaping each segment (the handler passes its API.href bound to the
// request); it is the only thing rendering needs from the request.
func MatrixJSON(res queries.MatrixResult, href func(segments ...string) string) MatrixBody {
	body := MatrixBody{Notices: make([]MatrixNotice, 0, len(res.Reasons)), Matrix: make([]MatrixRow, 0, len(res.Rows))}
	texts := make([]string, 0, len(res.Reasons))
	for _, r := range res.Reasons {
		texts = append(texts, r.Text)
		body.Notices = append(body.Notices, MatrixNotice{Type: string(r.Type), Text: r.Text})
	}
	body.Summary = MatrixSummary{Deployable: res.Deployable, Reason: strings.Join(texts, "\n"),
		Success: res.Counts.Success, Failed: res.Counts.Failed, Unknown: res.Counts.Unknown, Ignored: res.Counts.Ignored}
	for _, row := range res.Rows {
		out := MatrixRow{
			Consumer: MatrixParty{Name: row.Consumer, Version: matrixVersion(row.Consumer, &row.ConsumerVersion, href),
				Links: selfLink(href("pacticipants", row.Consumer))},
			Provider: MatrixParty{Name: row.Provider, Version: matrixVersion(row.Provider, row.ProviderVersion, href),
				Links: selfLink(href("pacticipants", row.Provider))},
			Pact: MatrixPact{CreatedAt: timestamp(row.Pact.CreatedAt), Links: selfLink(href("pacts", "provider", row.Provider,
				"consumer", row.Consumer, "version", row.ConsumerVersion.Number))},
			Ignored: row.Ignored,
		}
		if v := row.Verification; v != nil && v.Kind == queries.ResultComparison {
			out.VerificationResult = comparisonResultJSON(row, v, href) // nil while the comparison runs
		} else if v != nil {
			out.VerificationResult = &MatrixVerification{Success: v.Success, VerifiedAt: timestamp(v.ExecutedAt),
				Links: selfLink(href("pacts", "provider", row.Provider, "consumer", row.Consumer, "pact-version", row.Pact.SHA,
					"metadata", consumerVersionMetadata(row.ConsumerVersion.Number), "verification-results", strconv.Itoa(v.Number)))}
		}
		body.Matrix = append(body.Matrix, out)
	}
	return body
}

func selfLink(href string) Links { return Links{"self": Link{Href: href}} }

func matrixVersion(pacticipant string, v *queries.VersionDetails, href func(...string) string) *MatrixVersion {
	if v == nil {
		return nil
	}
	out := &MatrixVersion{Number: v.Number, Branches: []MatrixBranchVersion{}, Environments: []MatrixEnvironment{},
		Tags: []MatrixTag{}, Links: selfLink(href("pacticipants", pacticipant, "versions", v.Number))}
	for _, b := range v.Branches {
		out.Branches = append(out.Branches, MatrixBranchVersion{Name: b.Name, Latest: b.Head, Links: Links{"self": Link{
			Title: "Branch version", Name: b.Name, Href: href("pacticipants", pacticipant, "branches", b.Name, "versions", v.Number)}}})
	}
	out.BranchVersions = out.Branches
	if n := len(v.Branches); n > 0 {
		out.Branch = &v.Branches[n-1].Name
	}
	for _, e := range v.Environments {
		out.Environments = append(out.Environments, MatrixEnvironment{UUID: e.UUID, Name: e.Name, DisplayName: e.DisplayName,
			Production: e.Production, CreatedAt: timestamp(e.CreatedAt), UpdatedAt: updatedAt(e.CreatedAt, e.UpdatedAt),
			Links: Links{"self": Link{Title: "Environment", Name: e.Name, Href: href("environments", e.UUID)}}})
	}
	for _, t := range v.Tags {
		out.Tags = append(out.Tags, MatrixTag{Name: t.Name, Latest: t.Latest,
			Links: selfLink(href("pacticipants", pacticipant, "versions", v.Number, "tags", t.Name))})
	}
	return out
}

// consumerVersionMetadata is the broker's pact metadata segment for a
// consumer version: URL-safe, unpadded Base64 of the form-encoded "cvn=<n>".
func consumerVersionMetadata(number string) string {
	return base64.RawURLEncoding.EncodeToString([]byte("cvn=" + wwwFormEscape(number)))
}

// wwwFormEscape is Ruby's URI.encode_www_form_component: letters, digits
// and *-._ stay, a space becomes "+", every other byte %XX.
func wwwFormEscape(s string) string { return string(appendWWWForm(nil, s)) }

// appendWWWForm appends wwwFormEscape(s).
func appendWWWForm(b []byte, s string) []byte {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '*', c == '-', c == '.', c == '_':
			b = append(b, c)
		case c == ' ':
			b = append(b, '+')
		default:
			b = append(b, '%', hex[c>>4], hex[c&15])
		}
	}
	return b
}
