// Package jstest starts NATS JetStream servers for tests: a cluster of
// in-process nodes routed to each other on loopback.
package jstest

import (
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// StartCluster starts n JetStream servers on loopback, routed to each other
// (event-store.md §2.2), and returns them once the cluster has a meta
// leader. syncAlways makes every node fsync each write. The servers still
// running are shut down when the test ends.
func StartCluster(t testing.TB, n int, syncAlways bool) []*server.Server {
	t.Helper()
	ports := make([]int, n)
	routes := make([]string, n)
	for i := range ports {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ports[i] = l.Addr().(*net.TCPAddr).Port
		routes[i] = fmt.Sprintf("nats://127.0.0.1:%d", ports[i])
		l.Close()
	}
	servers := make([]*server.Server, n)
	for i := range servers {
		s, err := server.NewServer(&server.Options{
			ServerName: fmt.Sprintf("n%d", i+1),
			Host:       "127.0.0.1", Port: server.RANDOM_PORT,
			JetStream: true, StoreDir: t.TempDir(), SyncAlways: syncAlways,
			MaxPayload: 8<<20 + 256<<10, NoLog: true, NoSigs: true,
			Cluster: server.ClusterOpts{Name: "pactledger-test", Host: "127.0.0.1", Port: ports[i]},
			Routes:  server.RoutesFromStr(strings.Join(routes, ",")),
		})
		if err != nil {
			t.Fatal(err)
		}
		servers[i] = s
		go s.Start()
	}
	t.Cleanup(func() {
		for _, s := range servers {
			if s.Running() {
				s.Shutdown()
				s.WaitForShutdown()
			}
		}
	})
	for _, s := range servers {
		if !s.ReadyForConnections(10 * time.Second) {
			t.Fatal("cluster node not ready")
		}
	}
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		for _, s := range servers {
			if s.JetStreamIsLeader() {
				return servers
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("no JetStream meta leader after 20s")
		}
	}
}

// ClientURLs returns the servers' client URLs.
func ClientURLs(servers []*server.Server) []string {
	urls := make([]string, len(servers))
	for i, s := range servers {
		urls[i] = s.ClientURL()
	}
	return urls
}
