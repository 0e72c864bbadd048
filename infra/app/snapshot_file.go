package app

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/google/uuid"
)

// The snapshot file: snapshotMagic, the format version (uvarint), the log
// position the read models had reached (uvarint), the id of the event at that
// position (16 bytes), the number of read models (uvarint), then each read
// model's name and encoding (each a uvarint length and bytes), and last the
// SHA-256 of everything before it. A file whose magic, format version or
// checksum is wrong is ignored (with a warning) and the log replayed.
const (
	snapshotMagic         = "pactledger read-model snapshot\n"
	snapshotFormatVersion = 1
	snapshotFileName      = "read-models.snapshot"
)

// errSnapshotUnreadable marks a snapshot file that is not one this build
// can use.
var errSnapshotUnreadable = errors.New("app: unusable read-model snapshot")

// snapshot is one consistent set of read-model encodings.
type snapshot struct {
	position  uint64
	lastEvent uuid.UUID
	models    []namedModel
}

type namedModel struct {
	name string
	data []byte
}

func (s snapshot) encode() []byte {
	size := len(snapshotMagic) + 64
	for _, m := range s.models {
		size += len(m.name) + len(m.data) + 20
	}
	b := make([]byte, 0, size)
	b = append(b, snapshotMagic...)
	b = binary.AppendUvarint(b, snapshotFormatVersion)
	b = binary.AppendUvarint(b, s.position)
	b = append(b, s.lastEvent[:]...)
	b = binary.AppendUvarint(b, uint64(len(s.models)))
	for _, m := range s.models {
		b = binary.AppendUvarint(b, uint64(len(m.name)))
		b = append(b, m.name...)
		b = binary.AppendUvarint(b, uint64(len(m.data)))
		b = append(b, m.data...)
	}
	sum := sha256.Sum256(b)
	return append(b, sum[:]...)
}

func decodeSnapshot(b []byte) (snapshot, error) {
	var s snapshot
	fail := func(what string) (snapshot, error) {
		return snapshot{}, fmt.Errorf("%w: %s", errSnapshotUnreadable, what)
	}
	if !bytes.HasPrefix(b, []byte(snapshotMagic)) {
		return fail("not a snapshot file")
	}
	if len(b) < len(snapshotMagic)+sha256.Size {
		return fail("truncated")
	}
	body, sum := b[:len(b)-sha256.Size], b[len(b)-sha256.Size:]
	if got := sha256.Sum256(body); !bytes.Equal(got[:], sum) {
		return fail("checksum mismatch")
	}
	rest := body[len(snapshotMagic):]
	next := func() uint64 {
		v, n := binary.Uvarint(rest)
		if n <= 0 {
			rest = nil
			return 0
		}
		rest = rest[n:]
		return v
	}
	take := func(n uint64) []byte {
		if n > uint64(len(rest)) {
			rest = nil
			return nil
		}
		p := rest[:n:n]
		rest = rest[n:]
		return p
	}
	if v := next(); v != snapshotFormatVersion {
		return fail(fmt.Sprintf("format version %d, this build reads %d", v, snapshotFormatVersion))
	}
	s.position = next()
	copy(s.lastEvent[:], take(16))
	for n := next(); n > 0 && rest != nil; n-- {
		name := string(take(next()))
		s.models = append(s.models, namedModel{name: name, data: take(next())})
	}
	if rest == nil || len(rest) != 0 {
		return fail("malformed")
	}
	return s, nil
}

// writeSnapshotFile replaces dir's snapshot atomically: a temporary file is
// written and synced, then renamed over the old one, and the directory
// synced, so a crash leaves the old snapshot or the new one, never a mix.
func writeSnapshotFile(dir string, data []byte) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, snapshotFileName+".*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp) // after a successful rename there is nothing left to remove
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, filepath.Join(dir, snapshotFileName)); err != nil {
		return err
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// readSnapshotFile reads dir's snapshot; a missing file is (snapshot{},
// os.ErrNotExist).
func readSnapshotFile(dir string) (snapshot, error) {
	b, err := os.ReadFile(filepath.Join(dir, snapshotFileName))
	if err != nil {
		return snapshot{}, err
	}
	return decodeSnapshot(b)
}
