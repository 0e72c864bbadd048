package projections

import (
	"bytes"
	"compress/flate"
	"encoding/json"
	"fmt"
	"io"
	"sync"
)

// storedContent is pact content kept compressed with DEFLATE (pacts are
// repetitive JSON: typically a fifth of the size or less); content that
// does not shrink is kept as it is. It is decompressed on every read.
type storedContent struct {
	data                   []byte
	size                   int32 // uncompressed length
	raw                    bool  // data is the content itself
	interactions, messages int32
	createdAt              stamp
}

// packer compresses content with one reused writer (a flate.Writer is
// large to make). Not safe for concurrent use: it runs under the model's
// write lock.
type packer struct {
	w   *flate.Writer
	buf bytes.Buffer
}

// pack returns content compressed, in a new slice of exactly its length.
func (p *packer) pack(content []byte) storedContent {
	sc := storedContent{size: int32(len(content))}
	if len(content) >= 64 {
		p.buf.Reset()
		if p.w == nil {
			p.w, _ = flate.NewWriter(&p.buf, flate.BestSpeed) // only fails for a bad level
		} else {
			p.w.Reset(&p.buf)
		}
		_, _ = p.w.Write(content) // writes to a bytes.Buffer do not fail
		_ = p.w.Close()
		if p.buf.Len() < len(content) {
			sc.data = bytes.Clone(p.buf.Bytes())
			return sc
		}
	}
	sc.data, sc.raw = bytes.Clone(content), true
	return sc
}

var inflaters sync.Pool // of io.ReadCloser that are also flate.Resetter

// content returns the stored content, decompressed into a new slice the
// caller owns. content was written by pack: corruption is a bug.
func (sc *storedContent) content() json.RawMessage {
	if sc.raw {
		return bytes.Clone(sc.data)
	}
	src := bytes.NewReader(sc.data)
	r, _ := inflaters.Get().(io.ReadCloser)
	if r == nil {
		r = flate.NewReader(src)
	} else if err := r.(flate.Resetter).Reset(src, nil); err != nil {
		panic(fmt.Sprintf("projections: reset inflater: %v", err))
	}
	defer inflaters.Put(r)
	out := make([]byte, sc.size)
	if _, err := io.ReadFull(r, out); err != nil {
		panic(fmt.Sprintf("projections: stored pact content does not inflate: %v", err))
	}
	return out
}
