package cli

import (
	"context"
	"errors"
	"strings"
)

// defineDescribeVersion describes one version: --version V through the
// index's pb:pacticipant-version, --latest TAG through
// pb:latest-tagged-version, otherwise pb:latest-version. With --environment
// it lists the pacticipant's versions currently deployed (--deployed) and
// released (--released) there instead, both by default.
func defineDescribeVersion(fs *flagSet) action {
	var pacticipant, version, latest, environment string
	var deployed, released bool
	fs.Required(&pacticipant, "pacticipant", "a", "The name of the pacticipant that the version belongs to")
	fs.String(&version, "version", "e", "The pacticipant version number")
	fs.Optional(&latest, "latest", "l", "Describe the latest pacticipant version. Optionally specify a TAG to describe the latest version with the specified tag")
	fs.String(&environment, "environment", "", "The environment name to describe versions deployed/released to; with --version, only that version")
	fs.Bool(&deployed, "deployed", "Show only deployed versions (use with --environment)")
	fs.Bool(&released, "released", "Show only released versions (use with --environment)")
	return func(ctx context.Context, s *session) error {
		if environment != "" {
			if !deployed && !released {
				deployed, released = true, true
			}
			return s.describeEnvironmentVersions(ctx, pacticipant, version, environment, deployed, released)
		}
		rel, vars := "pb:latest-version", map[string]string{"pacticipant": pacticipant}
		switch {
		case version != "":
			rel, vars["version"] = "pb:pacticipant-version", version
		case latest != "":
			rel, vars["tag"] = "pb:latest-tagged-version", latest
		}
		href, err := s.client.relation(ctx, rel, vars)
		if err != nil {
			return err
		}
		v, err := s.client.get(ctx, href)
		if isStatus(err, 404) {
			return errors.New("Pacticipant version not found")
		}
		if err != nil {
			return err
		}
		if s.out.isJSON() {
			return s.out.printJSON(v)
		}
		var tags []string
		for _, t := range list(v, "_embedded", "tags") {
			tags = append(tags, str(t, "name"))
		}
		s.out.table([]string{"NAME", "TAGS"}, [][]string{{str(v, "number"), strings.Join(tags, ", ")}})
		return nil
	}
}

// describeEnvironmentVersions lists what of the pacticipant is currently
// deployed or supported in the environment. JSON output is
// {"deployedVersions": […], "releasedVersions": […]}, the server's items.
func (s *session) describeEnvironmentVersions(ctx context.Context, pacticipant, version, environment string, deployed, released bool) error {
	env, err := s.environmentByName(ctx, environment)
	if err != nil {
		return err
	}
	type source struct {
		want      bool
		rels      []string
		key       string
		statusKey string
		yes, no   string
	}
	sources := []source{
		{deployed, []string{"pb:currently-deployed-deployed-versions", "pb:currently-deployed-versions"}, "deployedVersions", "currentlyDeployed", "Deployed", "Undeployed"},
		{released, []string{"pb:currently-supported-released-versions"}, "releasedVersions", "currentlySupported", "Released", "Support ended"},
	}
	found := map[string][]any{}
	var rows [][]string
	for _, src := range sources {
		if !src.want {
			continue
		}
		found[src.key] = []any{}
		href, ok := s.environmentLink(env, src.rels...)
		if !ok {
			return errors.New("Could not find relation '" + src.rels[0] + "' on environment " + environment)
		}
		target, err := s.client.follow(href)
		if err != nil {
			return err
		}
		resp, err := s.client.get(ctx, withQuery(target, "pacticipant", pacticipant))
		if err != nil {
			return err
		}
		for _, item := range list(resp, "_embedded", src.key) {
			number := str(item, "_embedded", "version", "number")
			if str(item, "_embedded", "pacticipant", "name") != pacticipant || (version != "" && number != version) {
				continue
			}
			found[src.key] = append(found[src.key], item)
			status := src.no
			if at(item, src.statusKey) == true {
				status = src.yes
			}
			rows = append(rows, []string{number, status, environment, orDash(instanceOf(item))})
		}
	}
	if s.out.isJSON() {
		return s.out.printJSON(found)
	}
	s.out.table([]string{"VERSION", "STATUS", "ENVIRONMENT", "APPLICATION INSTANCE"}, rows)
	return nil
}

// defineCreateOrUpdateVersion: PUT the version on its branch
// (/pacticipants/{p}/branches/{b}/versions/{v}), with each tag
// (/pacticipants/{p}/versions/{v}/tags/{t}), or, with neither, the version
// itself (/pacticipants/{p}/versions/{v}). Each PUT creates the pacticipant
// and version when missing.
func defineCreateOrUpdateVersion(fs *flagSet) action {
	var pacticipant, version, branch, tags string
	fs.Required(&pacticipant, "pacticipant", "a", "The pacticipant name")
	fs.Required(&version, "version", "e", "The pacticipant version number")
	fs.String(&branch, "branch", "", "The repository branch name")
	fs.String(&tags, "tag", "t", "Tag names for the pacticipant version, comma-separated")
	return func(ctx context.Context, s *session) error {
		put := func(target string, body map[string]any, text string) error {
			resp, err := s.client.put(ctx, target, body)
			if err != nil {
				return err
			}
			if s.out.isJSON() {
				return s.out.printJSON(resp)
			}
			s.out.printf("%s", text)
			return nil
		}
		did := false
		if branch != "" {
			did = true
			target := s.client.path("pacticipants", pacticipant, "branches", branch, "versions", version)
			if err := put(target, map[string]any{"name": branch}, "Branch '"+branch+"' created for version '"+version+"'"); err != nil {
				return err
			}
		}
		for _, tag := range strings.Split(tags, ",") {
			if tag = strings.TrimSpace(tag); tag == "" {
				continue
			}
			did = true
			target := s.client.path("pacticipants", pacticipant, "versions", version, "tags", tag)
			if err := put(target, map[string]any{"name": tag}, "Tag '"+tag+"' created for version '"+version+"'"); err != nil {
				return err
			}
		}
		if did {
			return nil
		}
		return put(s.client.path("pacticipants", pacticipant, "versions", version), map[string]any{},
			"Version '"+version+"' created or updated successfully")
	}
}
