package queries

import "unsafe"

// Answer owns a MatrixResult and the memory it is built in: the rows, the
// rendered versions and their branch, tag and environment lists, the
// results, the selectors, the integrations, the reasons and their texts.
// An Answer used again refills the same arrays, so that a caller answering
// query after query (a server's handler, with Answers in a sync.Pool) writes
// into memory the last query warmed, and a can-i-deploy of usual size
// allocates nothing: on a large heap every freshly allocated span is cold,
// and its first writes are what made the slow tail of the queries.
//
// Hazard: every slice, pointer and string of the embedded MatrixResult
// (including Deployable and the reason texts) aliases the Answer. They are
// valid until the Answer is used again or trimmed; a caller that keeps
// anything of the result longer must copy it (or use the value-returning
// functions, CanIDeploy and the others, which give each result its own
// Answer). The zero value is ready; an Answer is not safe for concurrent
// use.
type Answer struct {
	MatrixResult

	sel          [1]Selector // CanIDeployInto's selector: the query points here
	deployable   bool        // what Deployable points to
	ignoredCount int         // what Counts.Ignored points to
	rows         []Row
	sels, ignore []ResolvedSelector
	integ        []Integration
	slab         []VersionDetails // the rendered versions (run.newDetails)
	slabUsed     int              // how many the last query rendered: the next slab's size
	branches     []BranchMembership
	tags         []RowTag
	envs         []EnvironmentInfo
	vers         []Verification
	reasons      []Reason
	text         []byte // the reason texts (textArena)
}

// answerKeepText is the most bytes of reason text an Answer keeps through
// Trim; its other arrays keep at most scratchKeep entries. A /matrix of a
// whole history (thousands of rows) must not pin its memory in a pool.
const answerKeepText = 16 << 10

// Trim forgets the result and drops the arrays that grew beyond what a
// usual answer needs, so that a pooled Answer holds a can-i-deploy's worth
// of memory at most. Call it before putting an Answer back in a pool. What
// the kept arrays still point to (strings of the read models) stays
// reachable until they are written again or the pool is emptied.
func (a *Answer) Trim() {
	a.MatrixResult = MatrixResult{}
	a.rows = reuse(a.rows)
	a.sels, a.ignore = reuse(a.sels), reuse(a.ignore)
	a.integ = reuse(a.integ)
	a.slab = reuse(a.slab)
	// At most what the kept slab holds: a bigger count (a big answer's, or
	// one that took a second slab) would make every later query allocate
	// a slab of that size, which the next Trim drops again.
	a.slabUsed = min(a.slabUsed, cap(a.slab))
	a.branches, a.tags, a.envs = reuse(a.branches), reuse(a.tags), reuse(a.envs)
	a.vers, a.reasons = reuse(a.vers), reuse(a.reasons)
	if cap(a.text) > answerKeepText {
		a.text = nil
	}
}

// CanIDeployInto is CanIDeploy answering into a: a.MatrixResult is the
// answer when err is nil (it is left empty otherwise). See Answer for how
// long the result stays valid.
func CanIDeployInto(r MatrixReader, q CanIDeployQuery, a *Answer) error {
	a.MatrixResult = MatrixResult{}
	if errs := validateCanIDeploy(r, q); errs != nil {
		return &QueryError{Fields: errs}
	}
	a.sel[0] = Selector{Pacticipant: q.Pacticipant.Value, Version: q.Version.Value}
	mq := MatrixQuery{Selectors: a.sel[:], Ignore: q.Ignore, LatestBy: LatestByConsumerVersionProvider}
	if q.To.Present {
		mq.Tag, mq.Latest = q.To.Value, true
	}
	if q.Environment.Present {
		mq.Environment, mq.LatestBy = q.Environment.Value, LatestByConsumerVersionProviderVersion
	}
	resolveInto(r, mq, a)
	return nil
}

// resolveMatrix runs a validated query into an Answer of its own: the
// value-returning queries' result, which nothing else writes.
func resolveMatrix(r MatrixReader, q MatrixQuery) MatrixResult {
	a := new(Answer)
	resolveInto(r, q, a)
	return a.MatrixResult
}

// refill copies src into *buf's array (a larger one when it is too small,
// which *buf keeps) and returns the copy; nil when src is empty.
func refill[T any](buf *[]T, src []T) []T {
	if len(src) == 0 {
		return nil
	}
	*buf = append((*buf)[:0], src...)
	return *buf
}

// textArena builds strings in one byte array: each text is appended in
// parts, then taken as a string that aliases the bytes. Appending may move
// the array; strings taken before keep the old one, which nothing writes
// again. Strings taken from an Answer's arena are valid until its next use.
type textArena struct {
	b    []byte
	from int // where the text being built starts
}

// add appends parts to the text being built.
func (t *textArena) add(parts ...string) { t.b = appendAll(t.b, parts...) }

// describe appends the selector's Description to the text being built.
func (t *textArena) describe(s ResolvedSelector) { t.b = s.appendDescription(t.b) }

// take ends the text being built and returns it.
func (t *textArena) take() string {
	n := len(t.b) - t.from
	if n == 0 {
		return ""
	}
	s := unsafe.String(&t.b[t.from], n)
	t.from = len(t.b)
	return s
}

// appendAll appends every part to b.
func appendAll(b []byte, parts ...string) []byte {
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}
