package main

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/pactledger/pactledger/infra/natsforward"
)

// e2eSubscriberLine is what cmd/pactledger-subscriber writes per event.
type e2eSubscriberLine struct {
	Position    uint64
	Type        string
	Environment string
	Data        struct{ Pacticipant, Version string }
}

// e2eBuildSubscriber builds cmd/pactledger-subscriber.
func e2eBuildSubscriber(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "pactledger-subscriber")
	ctx, cancel := context.WithTimeout(context.Background(), e2eBuildTimeout)
	defer cancel()
	if out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, "../pactledger-subscriber").CombinedOutput(); err != nil {
		t.Fatalf("go build subscriber: %v\n%s", err, out)
	}
	return bin
}

// e2eStartSubscriber runs the subscriber against natsURL, appending to out;
// it returns a kill function (SIGKILL: no chance to acknowledge anything).
func e2eStartSubscriber(t *testing.T, bin, natsURL, out string) func() {
	t.Helper()
	cmd := exec.Command(bin, "--nats-url", natsURL, "--out", out, "--durable", "e2e")
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	kill := func() { _ = cmd.Process.Signal(syscall.SIGKILL); <-done }
	t.Cleanup(kill)
	return kill
}

func e2eReadLines(t *testing.T, path string) []e2eSubscriberLine {
	t.Helper()
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []e2eSubscriberLine
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var l e2eSubscriberLine
		if json.Unmarshal(sc.Bytes(), &l) != nil {
			break // a line being written
		}
		out = append(out, l)
	}
	return out
}

// e2eDeploymentPositions reads, from GET /events, the positions of every
// deployment event in the log up to and including head.
func e2eDeploymentPositions(t *testing.T, s *e2eServer, want int) []uint64 {
	t.Helper()
	ch, closeFeed := sseOpen(t, s, "/events?type=DeploymentRecorded,AutoUndeployed,Undeployed", "")
	defer closeFeed()
	var out []uint64
	for len(out) < want {
		e := sseNext(t, ch, 10*time.Second)
		pos, err := strconv.ParseUint(e.id, 10, 64)
		if err != nil {
			t.Fatalf("event id %q", e.id)
		}
		out = append(out, pos)
	}
	return out
}

// TestE2ESubscriberResumesWithoutGapsOrDuplicates runs the example
// subscriber against the forwarded events of a real server; kills it with
// SIGKILL mid-stream; records deployments while it is down; restarts the
// server too (the forwarder resumes from its checkpoint); restarts the
// subscriber. Its output must hold every deployment event of the log
// exactly once, in log order.
func TestE2ESubscriberResumesWithoutGapsOrDuplicates(t *testing.T) {
	bin, subBin := e2eBuild(t), e2eBuildSubscriber(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "deployments.jsonl")
	s := e2eServeIn(t, bin, dir)
	prod, test := e2eEnvironmentUUID(t, s.e2eServer, "production"), e2eEnvironmentUUID(t, s.e2eServer, "test")
	e2eSend(t, s.e2eServer, http.MethodPost, "/pacticipants", `{"name":"Foo Service"}`, http.StatusCreated)

	kill := e2eStartSubscriber(t, subBin, s.NATSURL, out)
	e2eDeploy(t, s.e2eServer, "Foo%20Service", "1.0.0", prod, "")
	e2eDeploy(t, s.e2eServer, "Foo%20Service", "1.0.0", test, "")
	e2eEventually(t, 20*time.Second, "the subscriber's first two lines", func() bool { return len(e2eReadLines(t, out)) >= 2 })
	// Kill it while events keep coming.
	e2eDeploy(t, s.e2eServer, "Foo%20Service", "1.1.0", prod, "") // replaces 1.0.0, in the same event
	kill()
	e2eDeploy(t, s.e2eServer, "Foo%20Service", "1.2.0", prod, "blue")
	e2eSend(t, s.e2eServer, http.MethodPost, "/pacticipants", `{"name":"Bar"}`, http.StatusCreated) // not a deployment

	// Restart the server: the forwarder continues from its checkpoint.
	if err := s.stop(); err != nil {
		t.Fatalf("stop server: %v", err)
	}
	s = e2eServeIn(t, bin, dir)
	e2eDeploy(t, s.e2eServer, "Bar", "2.0.0", test, "")
	e2eStartSubscriber(t, subBin, s.NATSURL, out)
	e2eDeploy(t, s.e2eServer, "Foo%20Service", "1.3.0", prod, "blue") // replaces 1.2.0

	const total = 6 // six DeploymentRecorded, two of which replace a deployment
	want := e2eDeploymentPositions(t, s.e2eServer, total)
	e2eEventually(t, 30*time.Second, "every deployment event in the subscriber's output", func() bool {
		return len(e2eReadLines(t, out)) >= total
	})
	lines := e2eReadLines(t, out)
	got := make([]uint64, len(lines))
	for i, l := range lines {
		got[i] = l.Position
	}
	if !slices.Equal(got, want) {
		t.Fatalf("subscriber positions %v, want exactly the deployment events %v (no gap, no duplicate)", got, want)
	}
	e2eCheckForwardedStream(t, s.NATSURL, want[len(want)-1])
	if l := lines[0]; l.Type != "DeploymentRecorded" || l.Data.Pacticipant != "Foo Service" || l.Data.Version != "1.0.0" || l.Environment != "production" {
		t.Fatalf("first line: %+v", l)
	}
}

// e2eCheckForwardedStream reads the whole forwarded stream and requires
// its messages to forward log positions 1, 2, 3, … in order, each once,
// up to at least minHead: the forwarder skipped and duplicated nothing
// across the restart.
func e2eCheckForwardedStream(t *testing.T, natsURL string, minHead uint64) {
	t.Helper()
	nc, err := nats.Connect(natsURL)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	st, err := js.Stream(ctx, natsforward.DefaultStreamName)
	if err != nil {
		t.Fatal(err)
	}
	info, err := st.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.State.Msgs < minHead {
		t.Fatalf("forwarded stream holds %d messages, the log has at least %d events", info.State.Msgs, minHead)
	}
	for seq := uint64(1); seq <= info.State.LastSeq; seq++ {
		msg, err := st.GetMsg(ctx, seq)
		if err != nil {
			t.Fatalf("message %d: %v", seq, err)
		}
		if pos := msg.Header.Get(natsforward.HeaderPosition); pos != strconv.FormatUint(seq, 10) {
			t.Fatalf("message %d forwards position %s: a gap or a duplicate", seq, pos)
		}
	}
}
