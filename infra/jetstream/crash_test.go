package jetstream_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/infra/jetstream"
	"github.com/pactledger/pactledger/infra/storetest"
)

const crashDirEnv = "PACTLEDGER_JETSTREAM_CRASH_DIR"

// TestCrashKeepsAcknowledgedAppends runs crashChild in a copy of the test
// binary, SIGKILLs it while it appends, reopens its data directory and checks
// that every append the child saw acknowledged is there, at the position and
// version it was acknowledged with.
func TestCrashKeepsAcknowledgedAppends(t *testing.T) {
	if dir := os.Getenv(crashDirEnv); dir != "" {
		crashChild(dir)
		return
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashKeepsAcknowledgedAppends$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashDirEnv+"="+dir)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	killed := false
	t.Cleanup(func() {
		if !killed {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})

	type ack struct {
		stream  string
		version uint64 // version of the first record
		pos     uint64 // position of the last record
		ids     []uuid.UUID
	}
	var acks []ack
	deadline := time.AfterFunc(60*time.Second, func() { _ = cmd.Process.Kill() })
	defer deadline.Stop()
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != 5 || f[0] != "ack" {
			continue // test framework chatter
		}
		a := ack{stream: f[1]}
		a.version, _ = strconv.ParseUint(f[2], 10, 64)
		a.pos, _ = strconv.ParseUint(f[3], 10, 64)
		for _, id := range strings.Split(f[4], ",") {
			a.ids = append(a.ids, uuid.MustParse(id))
		}
		acks = append(acks, a)
		if len(acks) == 400 && !killed {
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			killed = true // keep reading: lines already in the pipe were acknowledged too
		}
	}
	_ = cmd.Wait()
	if !killed {
		t.Fatalf("child ended after %d acks without being killed", len(acks))
	}
	t.Logf("child killed after %d acknowledged appends", len(acks))

	s := openEmbedded(t, dir)
	streams := map[string][]events.Record{}
	for _, a := range acks {
		got, ok := streams[a.stream]
		if !ok {
			var err error
			if got, err = s.ReadStream(ctxT(t), a.stream); err != nil {
				t.Fatal(err)
			}
			streams[a.stream] = got
		}
		for i, id := range a.ids {
			v := a.version + uint64(i)
			wantPos := a.pos - uint64(len(a.ids)-1-i)
			if v > uint64(len(got)) || got[v-1].ID != id || got[v-1].Position != wantPos {
				t.Fatalf("acknowledged %s v%d (%s at %d) is missing or moved", a.stream, v, id, wantPos)
			}
		}
	}
	// The log is dense and readable end to end.
	head, err := s.Head(ctxT(t))
	if err != nil || head < acks[len(acks)-1].pos {
		t.Fatalf("head %d, %v; last ack at %d", head, err, acks[len(acks)-1].pos)
	}
	ctx, cancel := context.WithCancel(ctxT(t))
	var n uint64
	err = s.SubscribeAll(ctx, 0, func(r events.Record) error {
		if n++; r.Position != n {
			return fmt.Errorf("record %d at position %d", n, r.Position)
		}
		if n == head {
			cancel()
		}
		return nil
	})
	if n != head {
		t.Fatalf("replayed %d of %d records: %v", n, head, err)
	}
}

// crashChild appends until it is killed, printing one line per acknowledged
// append: "ack <stream> <first version> <last position> <id,id...>". Every
// seventh append is a three-record batch.
func crashChild(dir string) {
	ctx := context.Background()
	s, err := jetstream.Open(ctx, jetstream.Config{DataDir: dir, SyncAlways: true})
	if err != nil {
		fmt.Fprintln(os.Stderr, "crash child: open:", err)
		os.Exit(2)
	}
	versions := map[string]uint64{}
	for i := 0; ; i++ {
		stream := fmt.Sprintf("crash-%d", i%5)
		n := 1
		if i%7 == 0 {
			n = 3
		}
		recs := make([]events.Record, n)
		ids := make([]string, n)
		for j := range recs {
			recs[j] = storetest.Rec("Crash", fmt.Sprintf(`{"i":%d,"j":%d}`, i, j))
			ids[j] = recs[j].ID.String()
		}
		pos, err := s.Append(ctx, stream, events.Exact(versions[stream]), recs...)
		if err != nil {
			fmt.Fprintln(os.Stderr, "crash child: append:", err)
			os.Exit(2)
		}
		fmt.Printf("ack %s %d %d %s\n", stream, versions[stream]+1, pos, strings.Join(ids, ","))
		versions[stream] += uint64(n)
	}
}
