// Package domain holds pactledger's decisions: for each consistency boundary
// (one event stream) a state type, an Evolve function that folds events into
// it, and Decide functions that turn a command into new events or an error.
//
// Everything here is pure: time, ids and the actor come in as arguments, and
// nothing does I/O. Evolve never fails and never validates; invariants live in
// the Decide functions. A Decide function that has nothing to change returns
// no events. It imports only events, the standard library and uuid.
package domain
