package domain

import (
	"bytes"
	"encoding/json"
	"net/url"
	"strings"

	"github.com/pactledger/pactledger/events"
)

// Webhook template parameters: ${name} in a webhook's URL, body, header
// values and credentials is replaced by the value for the event (the Pact
// Broker's names). Unknown parameters are left as they are.
const (
	ParamConsumerName                = "pactbroker.consumerName"
	ParamProviderName                = "pactbroker.providerName"
	ParamConsumerVersionNumber       = "pactbroker.consumerVersionNumber"
	ParamProviderVersionNumber       = "pactbroker.providerVersionNumber"
	ParamProviderVersionTags         = "pactbroker.providerVersionTags"
	ParamProviderVersionDescriptions = "pactbroker.providerVersionDescriptions"
	ParamProviderVersionBranch       = "pactbroker.providerVersionBranch"
	ParamConsumerVersionTags         = "pactbroker.consumerVersionTags"
	ParamConsumerVersionBranch       = "pactbroker.consumerVersionBranch"
	ParamPactURL                     = "pactbroker.pactUrl"
	ParamVerificationResultURL       = "pactbroker.verificationResultUrl"
	ParamGithubVerificationStatus    = "pactbroker.githubVerificationStatus"
	ParamBitbucketVerificationStatus = "pactbroker.bitbucketVerificationStatus"
	ParamAzureDevOpsVerification     = "pactbroker.azureDevOpsVerificationStatus"
	ParamGitlabVerificationStatus    = "pactbroker.gitlabVerificationStatus"
	ParamConsumerLabels              = "pactbroker.consumerLabels"
	ParamProviderLabels              = "pactbroker.providerLabels"
	ParamEventName                   = "pactbroker.eventName"
	ParamBuildURL                    = "pactbroker.buildUrl"
	ParamCurrentlyDeployedProvider   = "pactbroker.currentlyDeployedProviderVersionNumber"
)

// RenderedWebhookRequest is a webhook request with its parameters filled
// in, ready to send. It carries the secrets: never log or show it whole.
type RenderedWebhookRequest struct {
	Method   string // upper case
	URL      string
	Headers  map[string]string
	Body     string
	HasBody  bool
	Username string
	Password string
}

// RenderWebhookRequest fills a request template with params. Values are
// query-escaped in the URL (as the Pact Broker's CGI.escape) and put in as
// they are elsewhere. A JSON string body is sent as the string; any other
// JSON body as its JSON text.
func RenderWebhookRequest(r events.WebhookRequest, params map[string]string) RenderedWebhookRequest {
	out := RenderedWebhookRequest{
		Method:   strings.ToUpper(r.Method),
		URL:      fill(r.URL, params, url.QueryEscape),
		Username: fill(r.Username, params, nil),
		Password: fill(r.Password, params, nil),
	}
	if len(r.Headers) > 0 {
		out.Headers = make(map[string]string, len(r.Headers))
		for k, v := range r.Headers {
			out.Headers[k] = fill(v, params, nil)
		}
	}
	if body, ok := WebhookBodyText(r.Body); ok {
		out.Body, out.HasBody = fill(body, params, nil), true
	}
	return out
}

// WebhookBodyText is the text a stored body sends: a JSON string as the
// string, other JSON as compact JSON without HTML escaping. ok is false
// when there is no body.
func WebhookBodyText(body json.RawMessage) (text string, ok bool) {
	if len(body) == 0 || string(body) == "null" {
		return "", false
	}
	var s string
	if err := json.Unmarshal(body, &s); err == nil {
		return s, true
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return string(body), true
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return string(body), true
	}
	return strings.TrimSuffix(b.String(), "\n"), true
}

func fill(template string, params map[string]string, escape func(string) string) string {
	if !strings.Contains(template, "${") {
		return template
	}
	return templateParameter.ReplaceAllStringFunc(template, func(m string) string {
		v, ok := params[m[2:len(m)-1]]
		if !ok {
			return m
		}
		if escape != nil {
			return escape(v)
		}
		return v
	})
}

// Sample values of a test execution, as the Pact Broker's placeholder pact
// and verification.
const (
	sampleConsumerVersion = "gggghhhhjjjjkkkkllll66667777888899990000"
	sampleProviderVersion = "aaaabbbbccccddddeeeeffff1111222233334444"
	samplePactSHA         = "5d445a4612743728dfd99ccd4210423c052bb9db"
)

// SampleWebhookParams are the parameters of a test execution ("test"
// event): the webhook's named consumer and provider, else placeholders,
// and placeholder versions and URLs under baseURL. A webhook that triggers
// on a verification event gets a successful placeholder verification.
func SampleWebhookParams(def events.WebhookDefinition, baseURL string) map[string]string {
	consumer, consumerLabels := sampleSide(def.Consumer, "placeholder-consumer")
	provider, providerLabels := sampleSide(def.Provider, "placeholder-provider")
	pactURL := strings.TrimRight(baseURL, "/") + "/pacts/provider/" + url.PathEscape(provider) +
		"/consumer/" + url.PathEscape(consumer) + "/pact-version/" + samplePactSHA
	p := map[string]string{
		ParamConsumerName: consumer, ParamProviderName: provider,
		ParamConsumerVersionNumber: sampleConsumerVersion, ParamConsumerVersionTags: "dev",
		ParamConsumerVersionBranch: "main", ParamPactURL: pactURL,
		ParamConsumerLabels: consumerLabels, ParamProviderLabels: providerLabels,
		ParamEventName: "test", ParamBuildURL: "", ParamProviderVersionDescriptions: "",
		ParamCurrentlyDeployedProvider: "", ParamProviderVersionBranch: "",
		ParamProviderVersionNumber: "", ParamProviderVersionTags: "", ParamVerificationResultURL: "",
		ParamGithubVerificationStatus: "pending", ParamBitbucketVerificationStatus: "INPROGRESS",
		ParamAzureDevOpsVerification: "pending", ParamGitlabVerificationStatus: "pending",
	}
	for _, e := range def.Events {
		if strings.HasPrefix(e, "provider_verification_") {
			p[ParamProviderVersionNumber], p[ParamProviderVersionTags] = sampleProviderVersion, "master"
			p[ParamVerificationResultURL] = pactURL + "/verification-results/1"
			p[ParamGithubVerificationStatus], p[ParamBitbucketVerificationStatus] = "success", "SUCCESSFUL"
			p[ParamAzureDevOpsVerification], p[ParamGitlabVerificationStatus] = "succeeded", "success"
			break
		}
	}
	return p
}

func sampleSide(s *events.WebhookPacticipant, placeholder string) (name, labels string) {
	switch {
	case s == nil:
		return placeholder, placeholder + "-label"
	case s.Name != "":
		return s.Name, ""
	default:
		return placeholder, s.Label
	}
}
