package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// tokenCommands manage pactledger's bearer tokens through its admin API
// (/admin/tokens, role admin). They are pactledger's own: a Pact Broker has
// no such API. "pactledger token create" is looked up as "token create".
var tokenCommands = []command{
	{"token create", "Issue a bearer token with a role (read, write or admin); the token is shown once", defineTokenCreate},
	{"token list", "List the bearer tokens (never their secrets)", defineTokenList},
	{"token revoke", "Revoke a bearer token by id", defineTokenRevoke},
}

func init() { registry = append(registry, tokenCommands...) }

// joinSubcommand turns "token create …" into the command "token create".
func joinSubcommand(args []string) []string {
	if len(args) >= 2 && args[0] == "token" && !strings.HasPrefix(args[1], "-") {
		return append([]string{args[0] + " " + args[1]}, args[2:]...)
	}
	return args
}

func defineTokenCreate(fs *flagSet) action {
	var name, role string
	fs.Required(&name, "name", "", "What the token is for (shown in listings and as the actor of its events), e.g. ci-pipeline")
	fs.String(&role, "role", "", "read, write or admin (default read)")
	fs.allowOutput("token")
	return func(ctx context.Context, s *session) error {
		if role == "" {
			role = "read"
		}
		resp, err := s.client.post(ctx, s.client.path("admin", "tokens"), map[string]any{"name": name, "role": role})
		if err != nil {
			return tokenAPIError(err)
		}
		switch s.out.format {
		case "json":
			return s.out.printJSON(resp)
		case "token":
			s.out.printf("%s", str(resp, "token"))
		default:
			s.out.printf("✅ Created %s token %s with id %s. It is shown only this once:\n%s",
				str(resp, "role"), str(resp, "name"), str(resp, "id"), str(resp, "token"))
		}
		return nil
	}
}

func defineTokenList(fs *flagSet) action {
	return func(ctx context.Context, s *session) error {
		resp, err := s.client.get(ctx, s.client.path("admin", "tokens"))
		if err != nil {
			return tokenAPIError(err)
		}
		if s.out.isJSON() {
			return s.out.printJSON(resp)
		}
		var rows [][]string
		for _, t := range list(resp, "_embedded", "tokens") {
			state := "active"
			if at(t, "revoked") == true {
				state = "revoked " + str(t, "revokedAt")
			}
			rows = append(rows, []string{str(t, "id"), str(t, "name"), str(t, "role"), str(t, "issuedAt"), orDash(str(t, "issuedBy")), state})
		}
		s.out.table([]string{"ID", "NAME", "ROLE", "ISSUED", "BY", "STATE"}, rows)
		return nil
	}
}

func defineTokenRevoke(fs *flagSet) action {
	var id string
	var ids []string
	fs.String(&id, "id", "", "The id of the token to revoke (or give it as the argument)")
	fs.Args(&ids, "ID", "the id of the token to revoke", false)
	fs.check(func() error {
		if id == "" && len(ids) != 1 || id != "" && len(ids) > 0 {
			return errors.New("give one token id, as --id or as the argument")
		}
		if id == "" {
			id = ids[0]
		}
		return nil
	})
	return func(ctx context.Context, s *session) error {
		resp, err := s.client.delete(ctx, s.client.path("admin", "tokens", id))
		if isStatus(err, 404) {
			return fmt.Errorf("Token with id %s not found", id)
		}
		if err != nil {
			return tokenAPIError(err)
		}
		if s.out.isJSON() {
			return s.out.printJSON(resp)
		}
		s.out.printf("✅ Token %s revoked", id)
		return nil
	}
}

// tokenAPIError explains the refusals an admin API gives.
func tokenAPIError(err error) error {
	switch {
	case isStatus(err, 401), isStatus(err, 403):
		return fmt.Errorf("%w\nThe token API needs the admin role: pass --broker-token with the admin token or an admin token, "+
			"or the read-write basic-auth user", err)
	case isStatus(err, 404):
		return fmt.Errorf("%w\nThis server has no token API: tokens are pactledger's own", err)
	}
	return err
}
