package cli

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// publish reads the pact files, GETs the index for pb:publish-contracts and
// POSTs one body per (consumer, provider) pair found (pact-cli-requests.md
// §2.11, pact-broker-api.md §5.1), stopping at the first refusal.

// publishFlags are publish's flags and arguments.
type publishFlags struct {
	inputs                              []string
	version, branch, buildURL           string
	tags                                []string // as given: each may hold several, comma-separated
	autoDetect, tagWithGitBranch, merge bool
}

// definePublish registers publish's flags. --auto-detect-version-properties
// takes the version and branch from the CI environment variables the
// pact-broker CLI knows, else from `git rev-parse HEAD` and
// `git rev-parse --abbrev-ref HEAD`; flags given win.
func definePublish(fs *flagSet) action {
	var p publishFlags
	fs.Args(&p.inputs, "PACT_FILES_DIRS_OR_GLOBS", "Pact files, directories (their *.json files) or glob patterns of pact files to publish", true)
	fs.String(&p.version, "consumer-app-version", "a", "The consumer application version (required unless --auto-detect-version-properties is given)")
	fs.String(&p.branch, "branch", "", "Repository branch of the consumer version")
	fs.BoolShort(&p.autoDetect, "auto-detect-version-properties", "r", "Automatically detect the repository commit and branch from known CI environment variables or the git CLI. Supports Buildkite, Circle CI, Travis CI, GitHub Actions, Jenkins, Hudson, AppVeyor, GitLab, CodeShip, Bitbucket and Azure DevOps")
	fs.List(&p.tags, "tag", "t", "Tag name for consumer version. Can be specified multiple times (delimiter ,)")
	fs.Bool(&p.tagWithGitBranch, "tag-with-git-branch", "Tag consumer version with the name of the current git branch (detected as for --auto-detect-version-properties)")
	fs.String(&p.buildURL, "build-url", "", "The build URL that created the pact")
	fs.Bool(&p.merge, "merge", "If a pact already exists for this consumer version and provider, merge the contents. Useful when running Pact tests concurrently on different build nodes")
	fs.check(func() error {
		if strings.TrimSpace(p.version) == "" && !p.autoDetect {
			return errors.New("the following required arguments were not provided: --consumer-app-version")
		}
		if fs.changed("branch") && strings.TrimSpace(p.branch) == "" {
			return errors.New("--branch must not be blank")
		}
		for _, t := range splitTags(p.tags) {
			if strings.TrimSpace(t) == "" {
				return errors.New("--tag values must not be blank")
			}
		}
		return nil
	})
	return func(ctx context.Context, s *session) error { return p.run(ctx, s, fs.getenv) }
}

// splitTags splits each --tag value at commas.
func splitTags(values []string) []string {
	var tags []string
	for _, v := range values {
		tags = append(tags, strings.Split(v, ",")...)
	}
	return tags
}

func (p *publishFlags) run(ctx context.Context, s *session, getenv func(string) (string, bool)) error {
	pacts, err := loadPacts(p.inputs)
	if err != nil {
		return err
	}
	href, err := s.client.relation(ctx, "pb:publish-contracts", nil)
	if err != nil {
		return err
	}
	version, branch := p.version, p.branch
	if p.autoDetect {
		if version == "" {
			if version = gitCommit(ctx, getenv); version == "" {
				return errors.New("Could not detect the git commit (from CI environment variables or `git rev-parse HEAD`): give --consumer-app-version")
			}
			s.out.printf("🔍 Auto detected git commit: %s", version)
		} else {
			s.out.printf("🔍 auto_detect_version_properties set to true, but consumer_app_version provided %s", version)
		}
		if branch == "" {
			if branch = gitBranch(ctx, getenv); branch != "" {
				s.out.printf("🔍 Auto detected git branch: %s", branch)
			} else {
				s.out.printf("🔍 Could not detect the git branch: publishing without one")
			}
		} else {
			s.out.printf("🔍 auto_detect_version_properties set to true, but branch provided %s", branch)
		}
	}
	tags := splitTags(p.tags)
	if p.tagWithGitBranch {
		gb := gitBranch(ctx, getenv)
		if gb == "" {
			return errors.New("Could not detect the git branch for --tag-with-git-branch")
		}
		tags = append(tags, gb)
	}
	onConflict := "overwrite"
	if p.merge {
		onConflict = "merge"
	}
	for _, pact := range pacts {
		// A map, so the keys go out sorted as the pact-broker CLI sends them.
		body := map[string]any{
			"pacticipantName":          pact.consumer,
			"pacticipantVersionNumber": version,
			"contracts": []any{map[string]any{
				"consumerName":  pact.consumer,
				"providerName":  pact.provider,
				"specification": "pact",
				"contentType":   "application/json",
				"content":       base64.StdEncoding.EncodeToString(pact.content),
				"onConflict":    onConflict,
			}},
		}
		if branch != "" {
			body["branch"] = branch
		}
		if p.buildURL != "" {
			body["buildUrl"] = p.buildURL
		}
		if len(tags) > 0 {
			body["tags"] = tags
		}
		s.out.printf("")
		s.out.printf("📨 Attempting to publish pact for consumer: %s against provider: %s", pact.consumer, pact.provider)
		resp, err := s.client.post(ctx, href, body)
		if err != nil {
			return withNotices("Pact publication failed:", err)
		}
		if s.out.isJSON() {
			if err := s.out.printJSON(resp); err != nil {
				return err
			}
			continue
		}
		s.out.published(resp, pact.consumer, pact.provider)
	}
	return nil
}

// published prints a publish response as the pact-broker CLI does: ✅ and
// the notices, one a line. A response without the fields the CLI requires
// still counts as published, with a warning.
func (o *output) published(resp any, consumer, provider string) {
	success := fmt.Sprintf("✅ Pact published successfully for consumer: %s against provider: %s", consumer, provider)
	for _, key := range []string{"_embedded", "_links", "logs"} {
		if at(resp, key) == nil {
			o.printf("%s", success)
			o.printf("⚠️ Warning: Failed to process response notices - Error: Error(\"missing field `%s`\", line: 0, column: 0)", key)
			return
		}
	}
	var lines []string
	for _, n := range list(resp, "notices") {
		lines = append(lines, noticeText(str(n, "text")))
	}
	if len(lines) == 0 {
		o.printf("%s", success)
		return
	}
	o.printf("✅ %s", lines[0])
	for _, line := range lines[1:] {
		o.printf("%s", line)
	}
}
