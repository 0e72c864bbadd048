// Package queries answers questions over the read models: can-i-deploy, the
// matrix, pacts for verification, history and time travel. Each query
// declares the small reader interface it needs; the projections satisfy them.
//
// The matrix (matrix*.go) reproduces the Pact Broker's can-i-deploy exactly
// (reference §7): Matrix, CanIDeploy and its URL variants validate a query
// with the broker's messages (matrix_validate.go), resolve selectors
// (matrix_selectors.go), find the integrations and infer selectors for the
// integrated applications (matrix_integrations.go), join pacts to
// verification results on the pact content (matrix_rows.go), order, limit,
// collapse and filter the rows (matrix_shape.go), and decide deployability
// with the broker's reasons (matrix_summary.go, matrix_reasons.go).
// Everything it reads goes through MatrixReader, whose every method is an
// indexed lookup, so an answer costs microseconds whatever the history size.
package queries
