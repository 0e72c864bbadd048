package cli

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// publish-provider-contract publishes a provider's OpenAPI contract and its
// self-verification results, with the flags of the official
// `pact pactflow publish-provider-contract` (reference/bdct.md §1.1,
// pact-cli-requests.md §4): GET the index for pf:publish-provider-contract,
// then POST the body.

type providerContractFlags struct {
	file                                []string
	provider, version, branch, buildURL string
	tags                                []string
	tagWithGitBranch, autoDetect        bool
	specification, contentType          string
	success, noSuccess                  bool
	exitCode                            string
	results, resultsType, resultsFmt    string
	verifier, verifierVersion           string
}

func definePublishProviderContract(fs *flagSet) action {
	var p providerContractFlags
	fs.Args(&p.file, "CONTRACT_FILE", "The provider contract (an OpenAPI document, YAML or JSON) to publish", true)
	fs.Required(&p.provider, "provider", "", "The provider name")
	fs.String(&p.version, "provider-app-version", "a", "The provider application version (required unless --auto-detect-version-properties is given)")
	fs.String(&p.branch, "branch", "", "Repository branch of the provider version")
	fs.BoolShort(&p.autoDetect, "auto-detect-version-properties", "r", "Detect the version (git commit) and branch from known CI environment variables or the git CLI")
	fs.List(&p.tags, "tag", "t", "Tag name for provider version. Can be specified multiple times (delimiter ,)")
	fs.Bool(&p.tagWithGitBranch, "tag-with-git-branch", "Tag provider version with the name of the current git branch")
	fs.String(&p.specification, "specification", "", "The contract specification (default oas)")
	fs.String(&p.contentType, "content-type", "", "The content type of the contract (default from the file extension: application/json or application/yaml)")
	fs.Bool(&p.success, "verification-success", "Whether or not the self verification passed successfully")
	fs.Bool(&p.noSuccess, "no-verification-success", "The self verification did not pass")
	fs.String(&p.exitCode, "verification-exit-code", "", "The exit code of the verification process (0 means success); instead of --verification-success")
	fs.String(&p.results, "verification-results", "", "The path to the file containing the output from the verification process")
	fs.String(&p.resultsType, "verification-results-content-type", "", "The content type of the verification output eg. application/vnd.smartbear.junit+xml")
	fs.String(&p.resultsFmt, "verification-results-format", "", "The format of the verification output eg. junit, text")
	fs.String(&p.verifier, "verifier", "", "The tool used to verify the provider contract")
	fs.String(&p.verifierVersion, "verifier-version", "", "The version of the tool used to verify the provider contract")
	fs.String(&p.buildURL, "build-url", "", "The build URL that created the provider contract")
	fs.check(func() error {
		if strings.TrimSpace(p.version) == "" && !p.autoDetect {
			return errors.New("the following required arguments were not provided: --provider-app-version")
		}
		if (p.success || p.noSuccess) && p.exitCode != "" {
			return errors.New("--verification-exit-code cannot be used with --verification-success or --no-verification-success")
		}
		if p.success && p.noSuccess {
			return errors.New("--verification-success cannot be used with --no-verification-success")
		}
		if p.exitCode != "" {
			if _, err := strconv.Atoi(p.exitCode); err != nil {
				return fmt.Errorf("--verification-exit-code must be a number, not %q", p.exitCode)
			}
		}
		return nil
	})
	return func(ctx context.Context, s *session) error { return p.run(ctx, s, fs.getenv) }
}

// body builds the request as the official CLI does: selfVerificationResults
// only when results, a verifier or its version are given, success from the
// flags (exit code 0 is success; otherwise false).
func (p *providerContractFlags) body(content []byte, version, branch string, tags []string) (map[string]any, error) {
	contract := map[string]any{"content": base64.StdEncoding.EncodeToString(content),
		"contentType": orDefault(p.contentType, contentTypeOf(p.file[0])), "specification": orDefault(p.specification, "oas")}
	success := p.success
	if p.exitCode != "" {
		code, _ := strconv.Atoi(p.exitCode)
		success = code == 0
	}
	if p.results != "" || p.verifier != "" || p.verifierVersion != "" || p.success || p.noSuccess || p.exitCode != "" {
		sv := map[string]any{"success": success}
		if p.results != "" {
			raw, err := os.ReadFile(p.results)
			if err != nil {
				return nil, fmt.Errorf("could not read the verification results: %w", err)
			}
			sv["content"] = base64.StdEncoding.EncodeToString(raw)
		}
		for key, v := range map[string]string{"contentType": p.resultsType, "format": p.resultsFmt, "verifier": p.verifier, "verifierVersion": p.verifierVersion} {
			if v != "" {
				sv[key] = v
			}
		}
		contract["selfVerificationResults"] = sv
	}
	body := map[string]any{"pacticipantVersionNumber": version, "tags": tags, "contract": contract}
	if branch != "" {
		body["branch"] = branch
	}
	if p.buildURL != "" {
		body["buildUrl"] = p.buildURL
	}
	return body, nil
}

func contentTypeOf(file string) string {
	if strings.EqualFold(filepath.Ext(file), ".json") {
		return "application/json"
	}
	return "application/yaml"
}

func (p *providerContractFlags) run(ctx context.Context, s *session, getenv func(string) (string, bool)) error {
	content, err := os.ReadFile(p.file[0])
	if err != nil {
		return fmt.Errorf("could not read the provider contract: %w", err)
	}
	version, branch := p.version, p.branch
	if p.autoDetect && version == "" {
		if version = gitCommit(ctx, getenv); version == "" {
			return errors.New("Could not detect the git commit: give --provider-app-version")
		}
	}
	if p.autoDetect && branch == "" {
		branch = gitBranch(ctx, getenv)
	}
	tags := splitTags(p.tags)
	if p.tagWithGitBranch {
		gb := gitBranch(ctx, getenv)
		if gb == "" {
			return errors.New("Could not detect the git branch for --tag-with-git-branch")
		}
		tags = append(tags, gb)
	}
	if tags == nil {
		tags = []string{}
	}
	body, err := p.body(content, version, branch, tags)
	if err != nil {
		return err
	}
	href, err := s.client.relation(ctx, "pf:publish-provider-contract", map[string]string{"provider": p.provider})
	if err != nil {
		return err
	}
	s.out.printf("📨 Attempting to publish provider contract for provider: %s version: %s", p.provider, version)
	resp, err := s.client.post(ctx, href, body)
	if err != nil {
		return withNotices("Provider contract publication failed:", err)
	}
	if s.out.isJSON() {
		return s.out.printJSON(resp)
	}
	var lines []string
	for _, n := range list(resp, "notices") {
		lines = append(lines, noticeText(str(n, "text")))
	}
	if len(lines) == 0 {
		lines = []string{"Provider contract published successfully for provider: " + p.provider + " version: " + version}
	}
	s.out.printf("✅ %s", lines[0])
	for _, line := range lines[1:] {
		s.out.printf("%s", line)
	}
	return nil
}
