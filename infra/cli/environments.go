package cli

import (
	"context"
	"fmt"
	"strings"
)

// environmentFlags are create-environment's and update-environment's.
type environmentFlags struct {
	name, displayName, contactName, contactEmail string
	production                                   bool
}

func (e *environmentFlags) define(fs *flagSet) {
	fs.Required(&e.name, "name", "", "The uniquely identifying name of the environment as used in deployment code")
	fs.String(&e.displayName, "display-name", "", "The display name of the environment")
	fs.Bool(&e.production, "production", "Whether or not this environment is a production environment. This is currently informational only.")
	fs.String(&e.contactName, "contact-name", "", "The name of the team/person responsible for this environment")
	fs.String(&e.contactEmail, "contact-email-address", "", "The email address of the team/person responsible for this environment")
}

// contacts renders the contact flags as the Pact Broker stores contacts:
// [{"name": …, "details": {"emailAddress": …}}]. Nil when neither is given.
func (e *environmentFlags) contacts() []any {
	if e.contactName == "" && e.contactEmail == "" {
		return nil
	}
	contact := map[string]any{}
	if e.contactName != "" {
		contact["name"] = e.contactName
	}
	if e.contactEmail != "" {
		contact["details"] = map[string]any{"emailAddress": e.contactEmail}
	}
	return []any{contact}
}

// defineCreateEnvironment: GET / → pb:environments; POST it.
func defineCreateEnvironment(fs *flagSet) action {
	var e environmentFlags
	e.define(fs)
	fs.allowOutput("id")
	return func(ctx context.Context, s *session) error {
		href, err := s.client.relation(ctx, "pb:environments", nil)
		if err != nil {
			return err
		}
		body := map[string]any{"name": e.name, "production": e.production}
		if e.displayName != "" {
			body["displayName"] = e.displayName
		}
		if c := e.contacts(); c != nil {
			body["contacts"] = c
		}
		resp, err := s.client.post(ctx, href, body)
		if err != nil {
			return err
		}
		switch s.out.format {
		case "json":
			return s.out.printJSON(resp)
		case "id":
			s.out.printf("%s", str(resp, "uuid"))
		default:
			s.out.printf("✅ Created %s environment in the Pact Broker with UUID %s", e.name, str(resp, "uuid"))
		}
		return nil
	}
}

// getEnvironment reads /environments/{uuid}; a 404 says so plainly.
func (s *session) getEnvironment(ctx context.Context, uuid string) (any, error) {
	env, err := s.client.get(ctx, s.client.path("environments", uuid))
	if isStatus(err, 404) {
		return nil, fmt.Errorf("Environment with UUID %s not found", uuid)
	}
	return env, err
}

// defineUpdateEnvironment: GET /environments/{uuid}, then PUT it. The PUT
// replaces the whole environment, so flags not given keep the current value
// (the pact-broker CLI would reset --production to false and drop the
// contacts); --production=false turns production off.
func defineUpdateEnvironment(fs *flagSet) action {
	var uuid string
	var e environmentFlags
	fs.Required(&uuid, "uuid", "", "The UUID of the environment to update")
	e.define(fs)
	return func(ctx context.Context, s *session) error {
		current, err := s.getEnvironment(ctx, uuid)
		if err != nil {
			return err
		}
		body := map[string]any{"name": e.name, "production": e.production}
		if !fs.changed("production") {
			body["production"] = at(current, "production") == true
		}
		if fs.changed("display-name") {
			body["displayName"] = e.displayName
		} else if dn := str(current, "displayName"); dn != "" {
			body["displayName"] = dn
		}
		if fs.changed("contact-name") || fs.changed("contact-email-address") {
			body["contacts"] = e.contacts()
		} else if c := list(current, "contacts"); c != nil {
			body["contacts"] = c
		}
		resp, err := s.client.put(ctx, s.client.path("environments", uuid), body)
		if err != nil {
			return err
		}
		if s.out.isJSON() {
			return s.out.printJSON(resp)
		}
		s.out.printf("✅ Updated %s environment in the Pact Broker with UUID %s", e.name, str(resp, "uuid"))
		return nil
	}
}

// defineDeleteEnvironment: GET /environments/{uuid} for its name, DELETE it.
func defineDeleteEnvironment(fs *flagSet) action {
	var uuid string
	fs.Required(&uuid, "uuid", "", "The UUID of the environment to delete")
	return func(ctx context.Context, s *session) error {
		env, err := s.getEnvironment(ctx, uuid)
		if err != nil {
			return err
		}
		resp, err := s.client.delete(ctx, s.client.path("environments", uuid))
		if err != nil {
			return err
		}
		if s.out.isJSON() {
			return s.out.printJSON(resp)
		}
		s.out.printf("✅ Environment %s with UUID %s deleted successfully", str(env, "name"), uuid)
		return nil
	}
}

// defineListEnvironments: GET / → pb:environments; GET it; one table row
// per environment, in the server's order.
func defineListEnvironments(fs *flagSet) action {
	return func(ctx context.Context, s *session) error {
		href, err := s.client.relation(ctx, "pb:environments", nil)
		if err != nil {
			return err
		}
		resp, err := s.client.get(ctx, href)
		if err != nil {
			return err
		}
		if s.out.isJSON() {
			return s.out.printJSON(resp)
		}
		var rows [][]string
		for _, e := range list(resp, "_embedded", "environments") {
			rows = append(rows, []string{str(e, "uuid"), str(e, "name"), str(e, "displayName"), fmt.Sprint(at(e, "production") == true)})
		}
		s.out.table([]string{"UUID", "NAME", "DISPLAY NAME", "PRODUCTION"}, rows)
		return nil
	}
}

// defineDescribeEnvironment: GET /environments/{uuid}.
func defineDescribeEnvironment(fs *flagSet) action {
	var uuid string
	fs.Required(&uuid, "uuid", "", "The UUID of the environment to describe")
	return func(ctx context.Context, s *session) error {
		env, err := s.getEnvironment(ctx, uuid)
		if err != nil {
			return err
		}
		if s.out.isJSON() {
			return s.out.printJSON(env)
		}
		var b strings.Builder
		fmt.Fprintf(&b, "✅\nUUID %s\nName: %s\nDisplay Name: %s\nProduction: %v\nCreated At: %s",
			str(env, "uuid"), str(env, "name"), str(env, "displayName"), at(env, "production") == true, str(env, "createdAt"))
		if u := str(env, "updatedAt"); u != "" {
			fmt.Fprintf(&b, "\nUpdated At: %s", u)
		}
		if contacts := list(env, "contacts"); len(contacts) > 0 {
			b.WriteString("\nContacts:")
			for _, c := range contacts {
				b.WriteString("\n - Contact:")
				if n := str(c, "name"); n != "" {
					fmt.Fprintf(&b, "\n  - Name: %s", n)
				}
				email := str(c, "details", "emailAddress")
				if email == "" {
					email = str(c, "email")
				}
				if email != "" {
					fmt.Fprintf(&b, "\n  - Email: %s", email)
				}
			}
		}
		s.out.printf("%s", b.String())
		return nil
	}
}
