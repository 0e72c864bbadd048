package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"
)

// httpServer serves h on a loopback port with the server's own timeouts.
type httpServer struct {
	srv  *http.Server
	base string
	done chan error
}

func serveLoopback(h http.Handler) (*httpServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &httpServer{srv: &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 120 * time.Second},
		base: "http://" + ln.Addr().String(), done: make(chan error, 1)}
	go func() { s.done <- s.srv.Serve(ln) }()
	return s, nil
}

func (s *httpServer) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = s.srv.Shutdown(ctx)
	<-s.done
}

// newClient returns a keep-alive client that holds one connection per
// concurrent caller.
func newClient(conns int) *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns, t.MaxIdleConnsPerHost, t.DisableCompression = conns*2, conns*2, true
	return &http.Client{Transport: t, Timeout: 60 * time.Second}
}

// load runs clients goroutines that send GET base+paths[i] (each client
// walking the list from its own offset) for d, and returns the completed
// requests per second. Any status but 200 fails the run.
func load(ctx context.Context, client *http.Client, base string, paths []string, clients int, d time.Duration) (float64, error) {
	var n atomic.Int64
	var wg sync.WaitGroup
	var firstErr error
	var once sync.Once
	deadline := time.Now().Add(d)
	start := time.Now()
	for c := range clients {
		wg.Go(func() {
			for i := c * len(paths) / clients; time.Now().Before(deadline) && ctx.Err() == nil; i++ {
				resp, err := client.Get(base + paths[i%len(paths)])
				if err == nil {
					_, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if err == nil && resp.StatusCode != http.StatusOK {
						err = fmt.Errorf("GET %s: status %d", paths[i%len(paths)], resp.StatusCode)
					}
				}
				if err != nil {
					once.Do(func() { firstErr = err })
					return
				}
				n.Add(1)
			}
		})
	}
	wg.Wait()
	return float64(n.Load()) / time.Since(start).Seconds(), firstErr
}

// measureHTTP compares can-i-deploy over HTTP with a baseline handler that
// returns a static body of the mean can-i-deploy response size, both on
// loopback with the same keep-alive clients. The baseline is an echo
// handler on a bare echo instance (the definition), so the ratio
// charges the API's middleware as well as the query and its rendering. The
// two alternate in two halves each, so that drift on a shared machine
// touches both.
func measureHTTP(ctx context.Context, api http.Handler, reqs []cidRequest, clients int, d time.Duration, res *Result) error {
	paths := make([]string, len(reqs))
	total := 0
	for i, q := range reqs {
		paths[i] = "/can-i-deploy?" + q.RawQuery()
		if i < 200 {
			rec := httptest.NewRecorder()
			api.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, paths[i], nil))
			if rec.Code != http.StatusOK {
				return fmt.Errorf("GET %s: status %d: %s", paths[i], rec.Code, rec.Body.String())
			}
			total += rec.Body.Len()
		}
	}
	size := total / min(200, len(reqs))
	body := make([]byte, size)
	for i := range body {
		body[i] = 'x'
	}
	static := echo.New()
	static.GET("/can-i-deploy", func(c echo.Context) error {
		return c.Blob(http.StatusOK, "application/hal+json;charset=utf-8", body)
	})
	apiSrv, err := serveLoopback(api)
	if err != nil {
		return err
	}
	defer apiSrv.Close()
	staticSrv, err := serveLoopback(static)
	if err != nil {
		return err
	}
	defer staticSrv.Close()
	client := newClient(clients)
	defer client.CloseIdleConnections()
	if _, err := load(ctx, client, apiSrv.base, paths, clients, d/10); err != nil { // warm-up
		return err
	}
	var cid, base float64
	for range 2 {
		b, err1 := load(ctx, client, staticSrv.base, []string{"/can-i-deploy"}, clients, d/2)
		c, err2 := load(ctx, client, apiSrv.base, paths, clients, d/2)
		if err := errors.Join(err1, err2); err != nil {
			return err
		}
		base, cid = base+b/2, cid+c/2
	}
	res.CIDBodyBytes, res.HTTPClients = size, clients
	res.CIDHTTPRPS, res.BaselineHTTPRPS, res.CIDHTTPRatio = cid, base, cid/base
	return nil
}
