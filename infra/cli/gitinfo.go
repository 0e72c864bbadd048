package cli

import (
	"context"
	"os/exec"
	"strings"
)

// publish --auto-detect-version-properties and --tag-with-git-branch read
// the commit and branch as the pact-broker CLI does: from the first CI
// environment variable set, else from git. (Its last resort for the
// branch, a lone variable ending in _BRANCH, is left out.)

// The CI environment variables the pact-broker CLI reads, in its order.
var (
	commitEnvVars = []string{"GITHUB_SHA", "BUILDKITE_COMMIT", "CIRCLE_SHA1", "TRAVIS_COMMIT", "GIT_COMMIT",
		"APPVEYOR_REPO_COMMIT", "CI_COMMIT_ID", "BITBUCKET_COMMIT", "BUILD_SOURCEVERSION", "CIRRUS_CHANGE_IN_REPO"}
	branchEnvVars = []string{"GITHUB_HEAD_REF", "GITHUB_REF", "BUILDKITE_BRANCH", "CIRCLE_BRANCH", "TRAVIS_BRANCH",
		"GIT_BRANCH", "GIT_LOCAL_BRANCH", "APPVEYOR_REPO_BRANCH", "CI_COMMIT_REF_NAME", "BITBUCKET_BRANCH",
		"BUILD_SOURCEBRANCHNAME", "CIRRUS_BRANCH"}
)

// gitOutput runs git with args in the working directory; tests replace it.
var gitOutput = func(ctx context.Context, args ...string) (string, error) {
	out, err := exec.CommandContext(ctx, "git", args...).Output()
	return string(out), err
}

// firstEnv is the first non-blank of the variables, trimmed.
func firstEnv(getenv func(string) (string, bool), names []string) string {
	for _, name := range names {
		if v, ok := getenv(name); ok && strings.TrimSpace(v) != "" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// gitCommit is the commit from CI variables, else `git rev-parse HEAD`,
// else "".
func gitCommit(ctx context.Context, getenv func(string) (string, bool)) string {
	if c := firstEnv(getenv, commitEnvVars); c != "" {
		return c
	}
	out, err := gitOutput(ctx, "rev-parse", "HEAD")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(out)
}

// gitBranch is the branch from CI variables (without refs/heads/), else
// from `git rev-parse --abbrev-ref HEAD` (not on a detached HEAD), else "".
func gitBranch(ctx context.Context, getenv func(string) (string, bool)) string {
	if b := firstEnv(getenv, branchEnvVars); b != "" {
		return strings.TrimPrefix(b, "refs/heads/")
	}
	out, err := gitOutput(ctx, "rev-parse", "--abbrev-ref", "HEAD")
	if err != nil {
		return ""
	}
	var names []string
	for _, line := range strings.Split(out, "\n") {
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		if name := strings.TrimPrefix(fields[0], "origin/"); name != "HEAD" {
			names = append(names, name)
		}
	}
	if len(names) != 1 {
		return ""
	}
	return names[0]
}
