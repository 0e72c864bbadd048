package httpapi

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/pactledger/pactledger/commands"
	"github.com/pactledger/pactledger/domain"
)

// notice is one entry of a publication's notices (and, duplicated, logs).
type notice struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

// publishContracts serves POST /contracts/publish (reference §5.1): 400
// with every validation message, 409 with notices and errors when a pact may
// not change (before anything is written), else 200 with notices, logs and
// the links the CLI reads.
func (a *API) publishContracts(c echo.Context) error {
	b, err := readBody(c, false, mediaJSON)
	if err != nil {
		return err
	}
	in := decodePublication(b)
	if err := b.err(); err != nil {
		return err
	}
	previous := make([]string, len(in.Contracts)) // content of the pair's latest pact before, "" if none
	for i, ct := range in.Contracts {
		if p, ok := a.cfg.Contracts.LatestPact(ct.Key.Consumer, ct.Key.Provider); ok {
			previous[i] = p.SHA
		}
	}
	ctx, cancel := a.writeContext(c)
	defer cancel()
	res, err := a.cfg.Commands.PublishContracts(ctx, in)
	var conflicts *commands.ContractsConflictError
	if errors.As(err, &conflicts) {
		return a.publicationConflict(c, in, conflicts)
	}
	if err != nil {
		return err
	}
	notices := versionNotices(in, res.VersionCreated)
	contracts := []Link{}
	for i, r := range res.Pacts {
		href := a.pactHref(c, r.Key)
		contracts = append(contracts, Link{Title: "Pact", Name: r.Key.Name(), Href: href})
		notices = append(notices, a.pactNotices(r, in.Contracts[i].Merge, previous[i], href)...)
	}
	logs := make([]map[string]string, len(notices))
	for i, n := range notices {
		logs[i] = map[string]string{"level": n.Type, "message": n.Text, "deprecationWarning": "Replaced by notices"}
	}
	tags := []Link{}
	version := a.href(c, "pacticipants", in.Pacticipant, "versions", in.Version)
	for _, t := range in.Tags {
		tags = append(tags, Link{Title: "Tag", Name: t, Href: version + "/tags/" + escape(t)})
	}
	pacticipant := a.href(c, "pacticipants", in.Pacticipant)
	return hal(c, http.StatusOK, map[string]any{
		"logs": logs, "notices": notices,
		"_embedded": map[string]any{
			"pacticipant": map[string]any{"name": in.Pacticipant, "_links": Links{"self": Link{Href: pacticipant}}},
			"version":     a.embeddedVersion(c, in.Pacticipant, in.Version),
		},
		"_links": Links{
			"pb:pacticipant":              Link{Title: "Pacticipant", Name: in.Pacticipant, Href: pacticipant},
			"pb:pacticipant-version":      Link{Title: "Pacticipant version", Name: in.Version, Href: version},
			"pb:pacticipant-version-tags": tags,
			"pb:contracts":                contracts,
		},
	})
}

// versionNotices describe the version, as the Pact Broker words them.
func versionNotices(in commands.PublishContracts, created bool) []notice {
	text := "Updated "
	if created {
		text = "Created "
	}
	text += in.Pacticipant + " version " + in.Version
	joiner := " with tags "
	if in.Branch != nil {
		text += " with branch " + *in.Branch
		joiner = " and tags "
	}
	if len(in.Tags) > 0 {
		text += joiner + strings.Join(in.Tags, ", ")
	}
	out := []notice{{"debug", text}}
	if in.Branch == nil {
		out = append(out, notice{"prompt", "  Next steps:\n    Configure the version branch to be the value of your repository branch."})
	}
	return out
}

// pactNotices describe one pact's publication: outcome, URL, the events
// detected (content changed or not against the pair's previous latest pact,
// previousSHA) and the next steps.
func (a *API) pactNotices(r commands.PactResult, merge bool, previousSHA, href string) []notice {
	k := r.Key
	subject := fmt.Sprintf("%s version %s and provider %s", k.Consumer, k.ConsumerVersion, k.Provider)
	var outcome notice
	switch {
	case merge && !r.Created:
		outcome = notice{"success", "Pact content merged with existing content for " + subject + "."}
	case r.Created:
		outcome = notice{"success", "Pact successfully published for " + subject + "."}
	case r.Changed:
		outcome = notice{"warning", "Pact with changed content published over existing content for " + subject +
			". This is not recommended in normal circumstances and may indicate that you have not configured your Pact pipeline correctly. For more information see https://docs.pact.io/go/versioning"}
	default:
		outcome = notice{"success", "Pact successfully republished for " + subject + " with no content changes."}
	}
	detected := "contract_published, contract_content_unchanged"
	switch {
	case previousSHA == "":
		detected = "contract_published, contract_content_changed (first time any pact published for this consumer/provider pair)"
	case previousSHA != r.SHA:
		detected = "contract_published, contract_content_changed (pact content differs from the latest pact of this consumer/provider pair)"
	}
	out := []notice{outcome, {"debug", "  View the published pact at " + href}, {"debug", "  Events detected: " + detected}}
	out = append(out, notice{"prompt", "  Next steps:"})
	if ig, _ := a.cfg.Contracts.Integration(k.Consumer, k.Provider); !ig.Verified {
		out = append(out, notice{"prompt", "    * Add Pact verification tests to the " + k.Provider +
			" build. See https://docs.pact.io/go/provider_verification"})
	}
	return append(out, notice{"prompt", "    * Configure separate " + k.Provider +
		" pact verification build and webhook to trigger it when the pact content changes. See https://docs.pact.io/go/webhooks"})
}

// publicationConflict answers 409 as the Pact Broker does: an error notice
// and a summary of the changes per refused pact, and the errors under
// "contracts". Nothing was written.
func (a *API) publicationConflict(c echo.Context, in commands.PublishContracts, e *commands.ContractsConflictError) error {
	notices, msgs := []notice{}, []string{}
	for _, err := range e.Conflicts {
		msgs = append(msgs, err.Error())
		notices = append(notices, notice{"error", err.Error()})
		var pc *domain.PactConflictError
		if !errors.As(err, &pc) {
			continue
		}
		stored, ok, rerr := a.cfg.PactContents.Content(c.Request().Context(), pc.ExistingSHA)
		if rerr != nil { // the 409 stands; only the description of the changes is missing
			a.log.Error("reading the existing pact content failed", "sha", pc.ExistingSHA, "error", rerr)
		}
		existing, perr := domain.ParsePact(stored.Content)
		for _, ct := range in.Contracts {
			if ok && perr == nil && ct.Key == pc.Key {
				notices = append(notices, notice{"info", domain.DescribePactChanges(existing, ct.Doc)})
			}
		}
	}
	c.Response().Header().Set(echo.HeaderContentType, "application/json;charset=utf-8")
	return c.JSON(http.StatusConflict, map[string]any{"notices": notices, "errors": map[string][]string{"contracts": msgs}})
}
