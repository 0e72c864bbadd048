// Package queries answers questions over the read models: can-i-deploy, the
// matrix, pacts for verification, history and time travel. Each query
// declares the small reader interface it needs; the projections satisfy them.
package queries
