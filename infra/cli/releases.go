package cli

import (
	"context"
	"errors"
	"fmt"
)

// defineRecordRelease: GET the version, POST {} to its pb:record-release
// entry for the environment. Releasing never ends support of other versions.
func defineRecordRelease(fs *flagSet) action {
	var pacticipant, version, environment string
	fs.Required(&pacticipant, "pacticipant", "a", "The name of the pacticipant that was released")
	fs.Required(&version, "version", "e", "The pacticipant version number that was released")
	fs.Required(&environment, "environment", "", "The name of the environment that the pacticipant version was released to")
	return func(ctx context.Context, s *session) error {
		href, err := s.recordLink(ctx, pacticipant, version, environment, "pb:record-release")
		if err != nil {
			return err
		}
		resp, err := s.client.post(ctx, href, map[string]any{})
		if err != nil {
			return err
		}
		if s.out.isJSON() {
			return s.out.printJSON(resp)
		}
		s.out.printf("✅ Recorded release of %s version %s to %s environment in the Pact Broker.", pacticipant, version, environment)
		return nil
	}
}

// defineRecordSupportEnded: find the environment, list its currently
// supported releases of the pacticipant, and PATCH the one of the version to
// currentlySupported:false.
func defineRecordSupportEnded(fs *flagSet) action {
	var pacticipant, version, environment string
	fs.Required(&pacticipant, "pacticipant", "a", "The name of the pacticipant")
	fs.Required(&version, "version", "e", "The pacticipant version number for which support is ended")
	fs.Required(&environment, "environment", "", "The name of the environment in which the support is ended")
	return func(ctx context.Context, s *session) error {
		env, err := s.environmentByName(ctx, environment)
		if err != nil {
			return err
		}
		href, ok := s.environmentLink(env, "pb:currently-supported-released-versions")
		if !ok {
			return errors.New("This version of the Pact Broker does not support recording the end of support. Please upgrade to version 2.80.0 or later.")
		}
		target, err := s.client.follow(href)
		if err != nil {
			return err
		}
		current, err := s.client.get(ctx, withQuery(target, "pacticipant", pacticipant))
		if err != nil {
			return err
		}
		var self string
		for _, r := range list(current, "_embedded", "releasedVersions") {
			if str(r, "_embedded", "pacticipant", "name") == pacticipant && str(r, "_embedded", "version", "number") == version {
				self = str(r, "_links", "self", "href")
				break
			}
		}
		if self == "" {
			return fmt.Errorf("No currently released versions found for %s in %s environment", pacticipant, environment)
		}
		u, err := s.client.follow(self)
		if err != nil {
			return err
		}
		resp, err := s.client.patch(ctx, u, map[string]any{"currentlySupported": false})
		if err != nil {
			return err
		}
		if s.out.isJSON() {
			return s.out.printJSON(resp)
		}
		s.out.printf("✅ ♻️ Recorded support ended for application %s, version %s from %s environment", pacticipant, version, environment)
		return nil
	}
}
