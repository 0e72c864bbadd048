package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// instanceSuffix is the " (application instance X)" of the messages.
func instanceSuffix(instance string) string {
	if instance == "" {
		return ""
	}
	return " (application instance " + instance + ")"
}

// recordLink reads /pacticipants/{p}/versions/{v} and returns the href of
// its rel entry (pb:record-deployment or pb:record-release, an array of
// {name, href}) whose name is the environment's.
func (s *session) recordLink(ctx context.Context, pacticipant, version, environment, rel string) (string, error) {
	v, err := s.client.get(ctx, s.client.path("pacticipants", pacticipant, "versions", version))
	if isStatus(err, 404) {
		return "", fmt.Errorf("Version %s of pacticipant %s does not exist in the Pact Broker", version, pacticipant)
	}
	if err != nil {
		return "", err
	}
	links, ok := at(v, "_links", rel).([]any)
	if !ok {
		return "", fmt.Errorf("the Pact Broker's version resource has no %s array", rel)
	}
	for _, l := range links {
		if str(l, "name") == environment {
			return s.client.follow(str(l, "href"))
		}
	}
	return "", fmt.Errorf("Environment %s does not exist", environment)
}

// defineRecordDeployment: GET the version, POST to its pb:record-deployment
// entry for the environment. The server undeploys whatever was deployed to
// the same application instance before.
func defineRecordDeployment(fs *flagSet) action {
	var pacticipant, version, environment, instance string
	fs.Required(&pacticipant, "pacticipant", "a", "The name of the pacticipant that was deployed")
	fs.Required(&version, "version", "e", "The pacticipant version number that was deployed")
	fs.Required(&environment, "environment", "", "The name of the environment that the pacticipant version was deployed to")
	fs.String(&instance, "application-instance", "", "Optional. The application instance to which the deployment has occurred - a logical identifier required to differentiate deployments when there are multiple instances of the same application in an environment")
	return func(ctx context.Context, s *session) error {
		href, err := s.recordLink(ctx, pacticipant, version, environment, "pb:record-deployment")
		if err != nil {
			return err
		}
		body := map[string]any{}
		if instance != "" {
			body["applicationInstance"], body["target"] = instance, instance
		}
		resp, err := s.client.post(ctx, href, body)
		if err != nil {
			return err
		}
		if s.out.isJSON() {
			return s.out.printJSON(resp)
		}
		s.out.printf("✅ Recorded deployment of %s version %s to %s environment%s in the Pact Broker.",
			pacticipant, version, environment, instanceSuffix(instance))
		return nil
	}
}

// instanceOf is a deployed version's application instance ("" for none),
// read from applicationInstance or its deprecated alias target.
func instanceOf(d any) string {
	if i := str(d, "applicationInstance"); i != "" {
		return i
	}
	return str(d, "target")
}

// defineRecordUndeployment: find the environment, list what is currently
// deployed there for the pacticipant, and PATCH each record on the given
// application instance (or, without one, each record without an instance)
// to currentlyDeployed:false.
func defineRecordUndeployment(fs *flagSet) action {
	var pacticipant, environment, instance string
	fs.Required(&pacticipant, "pacticipant", "a", "The name of the pacticipant that was undeployed")
	fs.Required(&environment, "environment", "", "The name of the environment that the pacticipant version was undeployed from")
	fs.String(&instance, "application-instance", "", "Optional. The application instance from which the application is being undeployed")
	return func(ctx context.Context, s *session) error {
		env, err := s.environmentByName(ctx, environment)
		if err != nil {
			return err
		}
		href, ok := s.environmentLink(env, "pb:currently-deployed-deployed-versions", "pb:currently-deployed-versions")
		if !ok {
			return errors.New("This version of the Pact Broker does not support recording undeployments. Please upgrade to version 2.80.0 or later.")
		}
		target, err := s.client.follow(href)
		if err != nil {
			return err
		}
		current, err := s.client.get(ctx, withQuery(target, "pacticipant", pacticipant))
		if err != nil {
			return err
		}
		var rows, matches []any
		var instances []string
		for _, d := range list(current, "_embedded", "deployedVersions") {
			if str(d, "_embedded", "pacticipant", "name") != pacticipant {
				continue
			}
			rows = append(rows, d)
			if i := instanceOf(d); i != "" {
				instances = append(instances, i)
			}
			if instanceOf(d) == instance {
				matches = append(matches, d)
			}
		}
		if len(matches) == 0 {
			return notDeployedError(pacticipant, environment, instance, len(rows), instances)
		}
		for _, d := range matches {
			self := str(d, "_links", "self", "href")
			if self == "" {
				return errors.New("No self link found for currently deployed version")
			}
			u, err := s.client.follow(self)
			if err != nil {
				return err
			}
			resp, err := s.client.patch(ctx, u, map[string]any{"currentlyDeployed": false})
			if err != nil {
				return err
			}
			if s.out.isJSON() {
				if err := s.out.printJSON(resp); err != nil {
					return err
				}
			}
		}
		if !s.out.isJSON() {
			s.out.printf("✅ ♻️ Undeployed %s from %s environment%s", pacticipant, environment, instanceSuffix(instance))
		}
		return nil
	}
}

// notDeployedError explains why nothing matched, with the pact-broker
// CLI's wording.
func notDeployedError(pacticipant, environment, instance string, rows int, instances []string) error {
	switch {
	case rows == 0:
		return fmt.Errorf("%s is not currently deployed to %s environment. Cannot record undeployment.", pacticipant, environment)
	case instance != "" && len(instances) == 0:
		return fmt.Errorf("%s is not currently deployed to application instance '%s' in %s environment. Please omit the application instance.",
			pacticipant, instance, environment)
	case instance != "":
		return fmt.Errorf("%s is not currently deployed to application instance '%s' in %s environment. Please omit the application instance or specify one of the following application instances to record the undeployment from: %s.",
			pacticipant, instance, environment, strings.Join(instances, ", "))
	default:
		return fmt.Errorf("Please specify one of the following application instances to record the undeployment from: %s",
			strings.Join(instances, ", "))
	}
}
