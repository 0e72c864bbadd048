package httpapi

import "github.com/pactledger/pactledger/events"

// Roles a route may require (see domain.Roles): each grants what the ones
// before it grant.
const (
	roleRead  = events.RoleRead
	roleWrite = events.RoleWrite
	roleAdmin = events.RoleAdmin
)

// routeRoles is the one table of who may call what: "METHOD /path" as
// registered on echo → the role it needs. HEAD and OPTIONS on a registered
// path need roleRead.
//
// Every route must be here. With authentication on, a route missing from
// the table is refused to everyone (403), and the authorization matrix test
// (auth_matrix_test.go) fails for it. When you add a route, add its line.
//
// The rule: GET reads (roleRead); publishing contracts and verification
// results, recording deployments and releases, and creating or updating
// pacticipants, versions, tags, branches and environments write
// (roleWrite); deletes, webhook changes and tokens are roleAdmin. POST
// for-verification is a query and only reads.
var routeRoles = map[string]string{
	"GET /events":                        roleRead,
	"GET /webhooks/:uuid/deliveries":     roleRead,
	"GET /webhooks/:uuid/deliveries/:id": roleRead,
	"GET /triggered-webhooks/:id/logs":   roleRead,
	"GET /pacts/provider/:provider/consumer/:consumer/version/:version/triggered-webhooks":                                                  roleRead,
	"GET /pacts/provider/:provider/consumer/:consumer/pact-version/:sha/verification-results/:number/triggered-webhooks":                    roleRead,
	"GET /pacts/provider/:provider/consumer/:consumer/pact-version/:sha/metadata/:metadata/verification-results/:number/triggered-webhooks": roleRead,
	"POST /provider-contracts/provider/:provider/publish":                                                                                   roleWrite,
	"PUT /contracts/provider/:provider/version/:version":                                                                                    roleWrite,
	"GET /contracts/provider/:provider/version/:version":                                                                                    roleRead,
	"GET /provider-contracts/provider/:provider/version/:version":                                                                           roleRead,
	"GET /provider-contracts/provider/:provider/version/:version/comparisons":                                                               roleRead,
	"GET /contracts/provider/:provider/version/:version/consumer/:consumer/pact-version/:sha/verification-results":                          roleRead,
	"DELETE /admin/tokens/:id":                                             roleAdmin,
	"DELETE /environments/:uuid":                                           roleAdmin,
	"DELETE /pacticipants/:pacticipant":                                    roleAdmin,
	"DELETE /pacticipants/:pacticipant/branches/:branch":                   roleAdmin,
	"DELETE /pacticipants/:pacticipant/branches/:branch/versions/:version": roleAdmin,
	"DELETE /pacticipants/:pacticipant/versions/:version":                  roleAdmin,
	"DELETE /pacticipants/:pacticipant/versions/:version/tags/:tag":        roleAdmin,
	"DELETE /pacts/provider/:provider/consumer/:consumer/version/:version": roleAdmin,
	"DELETE /webhooks/:uuid":                                               roleAdmin,
	"GET /":                                                                roleRead,
	"GET /admin/tokens":                                                    roleAdmin,
	"GET /can-i-deploy":                                                    roleRead,
	"GET /deployed-versions/:id":                                           roleRead,
	"GET /diagnostic/status/dependencies":                                  roleRead,
	"GET /diagnostic/status/heartbeat":                                     roleRead,
	"GET /diagnostic/status/ready":                                         roleRead,
	"GET /environments":                                                    roleRead,
	"GET /environments/:uuid":                                              roleRead,
	"GET /environments/:uuid/deployed-versions/currently-deployed":         roleRead,
	"GET /environments/:uuid/released-versions/currently-supported":        roleRead,
	"GET /integrations":                                                    roleRead,
	"GET /matrix":                                                          roleRead,
	"GET /matrix/provider/:provider/consumer/:consumer":                    roleRead,
	"GET /pacticipants":                                                    roleRead,
	"GET /pacticipants/:pacticipant":                                       roleRead,
	"GET /pacticipants/:pacticipant/branches":                              roleRead,
	"GET /pacticipants/:pacticipant/branches/:branch":                      roleRead,
	"GET /pacticipants/:pacticipant/branches/:branch/latest-version":       roleRead,
	"GET /pacticipants/:pacticipant/branches/:branch/latest-version/can-i-deploy/to-environment/:environment": roleRead,
	"GET /pacticipants/:pacticipant/branches/:branch/versions/:version":                                       roleRead,
	"GET /pacticipants/:pacticipant/latest-version":                                                           roleRead,
	"GET /pacticipants/:pacticipant/latest-version/:tag":                                                      roleRead,
	"GET /pacticipants/:pacticipant/latest-version/:tag/can-i-deploy/to/:to":                                  roleRead,
	"GET /pacticipants/:pacticipant/versions":                                                                 roleRead,
	"GET /pacticipants/:pacticipant/versions/:version":                                                        roleRead,
	"GET /pacticipants/:pacticipant/versions/:version/deployed-versions/environment/:uuid":                    roleRead,
	"GET /pacticipants/:pacticipant/versions/:version/released-versions/environment/:uuid":                    roleRead,
	"GET /pacticipants/:pacticipant/versions/:version/tags/:tag":                                              roleRead,
	"GET /pacts/latest":                                                                                                  roleRead,
	"GET /pacts/provider/:provider":                                                                                      roleRead,
	"GET /pacts/provider/:provider/branch":                                                                               roleRead,
	"GET /pacts/provider/:provider/branch/:branch":                                                                       roleRead,
	"GET /pacts/provider/:provider/branch/:branch/latest":                                                                roleRead,
	"GET /pacts/provider/:provider/branch/latest":                                                                        roleRead,
	"GET /pacts/provider/:provider/consumer/:consumer/branch/:branch":                                                    roleRead,
	"GET /pacts/provider/:provider/consumer/:consumer/branch/:branch/latest":                                             roleRead,
	"GET /pacts/provider/:provider/consumer/:consumer/branch/:branch/latest/versions":                                    roleRead,
	"GET /pacts/provider/:provider/consumer/:consumer/branch/latest/versions":                                            roleRead,
	"GET /pacts/provider/:provider/consumer/:consumer/branch/versions":                                                   roleRead,
	"GET /pacts/provider/:provider/consumer/:consumer/latest":                                                            roleRead,
	"GET /pacts/provider/:provider/consumer/:consumer/latest-untagged":                                                   roleRead,
	"GET /pacts/provider/:provider/consumer/:consumer/latest/:tag":                                                       roleRead,
	"GET /pacts/provider/:provider/consumer/:consumer/pact-version/:sha":                                                 roleRead,
	"GET /pacts/provider/:provider/consumer/:consumer/pact-version/:sha/metadata/:metadata":                              roleRead,
	"GET /pacts/provider/:provider/consumer/:consumer/pact-version/:sha/metadata/:metadata/verification-results/:number": roleRead,
	"GET /pacts/provider/:provider/consumer/:consumer/pact-version/:sha/verification-results/:number":                    roleRead,
	"GET /pacts/provider/:provider/consumer/:consumer/tag/:tag":                                                          roleRead,
	"GET /pacts/provider/:provider/consumer/:consumer/version/:version":                                                  roleRead,
	"GET /pacts/provider/:provider/consumer/:consumer/versions":                                                          roleRead,
	"GET /pacts/provider/:provider/consumer/:consumer/webhooks":                                                          roleRead,
	"GET /pacts/provider/:provider/for-verification":                                                                     roleRead,
	"GET /pacts/provider/:provider/latest":                                                                               roleRead,
	"GET /pacts/provider/:provider/latest/:tag":                                                                          roleRead,
	"GET /pacts/provider/:provider/tag/:tag":                                                                             roleRead,
	"GET /prometheus/metrics":                                                                                            roleRead,
	"GET /released-versions/:id":                                                                                         roleRead,
	"GET /verification-results/consumer/:consumer/version/:version/latest":                                               roleRead,
	"GET /webhooks":                                                       roleRead,
	"GET /webhooks/:uuid":                                                 roleRead,
	"GET /webhooks/consumer/:consumer":                                    roleRead,
	"GET /webhooks/provider/:provider":                                    roleRead,
	"GET /webhooks/provider/:provider/consumer/:consumer":                 roleRead,
	"PATCH /deployed-versions/:id":                                        roleWrite,
	"PATCH /pacticipants/:pacticipant":                                    roleWrite,
	"PATCH /pacticipants/:pacticipant/versions/:version":                  roleWrite,
	"PATCH /pacts/provider/:provider/consumer/:consumer/version/:version": roleWrite,
	"PATCH /released-versions/:id":                                        roleWrite,
	"POST /admin/tokens":                                                  roleAdmin,
	"POST /contracts/publish":                                             roleWrite,
	"POST /environments":                                                  roleWrite,
	"POST /pacticipants":                                                  roleWrite,
	"POST /pacticipants/:pacticipant/versions/:version/deployed-versions/environment/:uuid":                       roleWrite,
	"POST /pacticipants/:pacticipant/versions/:version/released-versions/environment/:uuid":                       roleWrite,
	"POST /pacts/provider/:provider/consumer/:consumer/pact-version/:sha/metadata/:metadata/verification-results": roleWrite,
	"POST /pacts/provider/:provider/consumer/:consumer/pact-version/:sha/verification-results":                    roleWrite,
	"POST /pacts/provider/:provider/consumer/:consumer/webhooks":                                                  roleAdmin,
	"POST /pacts/provider/:provider/for-verification":                                                             roleRead,
	"POST /webhooks":                                                    roleAdmin,
	"POST /webhooks/:uuid/execute":                                      roleAdmin,
	"POST /webhooks/consumer/:consumer":                                 roleAdmin,
	"POST /webhooks/provider/:provider":                                 roleAdmin,
	"POST /webhooks/provider/:provider/consumer/:consumer":              roleAdmin,
	"PUT /environments/:uuid":                                           roleWrite,
	"PUT /pacticipants/:pacticipant":                                    roleWrite,
	"PUT /pacticipants/:pacticipant/branches/:branch/versions/:version": roleWrite,
	"PUT /pacticipants/:pacticipant/versions/:version":                  roleWrite,
	"PUT /pacticipants/:pacticipant/versions/:version/tags/:tag":        roleWrite,
	"PUT /pacts/provider/:provider/consumer/:consumer/version/:version": roleWrite,
	"PUT /webhooks/:uuid":                                               roleAdmin,
}
