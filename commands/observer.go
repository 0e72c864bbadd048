package commands

import "strings"

// Observer hears how commands end, for metrics. Its methods are called on
// the command's goroutine and must be quick and safe for concurrent use.
// category is the stream's category ("deployment", "environment", …).
type Observer interface {
	// CommandFinished is called once per command, with its error or nil.
	CommandFinished(category string, err error)
	// ConflictRetried is called when an append met another writer and the
	// command decides again.
	ConflictRetried(category string)
}

// streamCategory is the part of a stream id before its first '-'.
func streamCategory(stream string) string {
	category, _, _ := strings.Cut(stream, "-")
	return category
}

func (s *Service) finished(stream string, err error) {
	if s.Observer != nil {
		s.Observer.CommandFinished(streamCategory(stream), err)
	}
}

func (s *Service) retried(stream string) {
	if s.Observer != nil {
		s.Observer.ConflictRetried(streamCategory(stream))
	}
}
