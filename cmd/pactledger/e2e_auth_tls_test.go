package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// e2eSelfSigned writes a self-signed certificate for 127.0.0.1 and its key,
// and returns their paths and a pool that trusts the certificate.
func e2eSelfSigned(t *testing.T) (certPath, keyPath string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "pactledger-test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certPath, keyPath = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyPath, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certPath, keyPath, pool
}

// TestE2ETLSAndLimits serves HTTPS with --tls-cert/--tls-key and checks the
// body and header limits: a body over --max-body-bytes gets 413, a header
// block over --max-header-bytes gets 431, and plain HTTP is refused.
func TestE2ETLSAndLimits(t *testing.T) {
	bin := e2eBuild(t)
	certPath, keyPath, pool := e2eSelfSigned(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	dir := t.TempDir()
	logPath := filepath.Join(dir, "server.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "serve", "--listen", addr, "--data-dir", filepath.Join(dir, "data"),
		"--tls-cert", certPath, "--tls-key", keyPath, "--max-body-bytes", "2048", "--max-header-bytes", "8192")
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
		logFile.Close()
		if t.Failed() {
			b, _ := os.ReadFile(logPath)
			t.Logf("server log:\n%s", b)
		}
	})
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	base := "https://" + addr
	for deadline := time.Now().Add(e2eStartTimeout); ; time.Sleep(100 * time.Millisecond) {
		resp, err := client.Get(base + "/diagnostic/status/ready")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no HTTPS readiness within %s: %v", e2eStartTimeout, err)
		}
	}
	post := func(body string, header string) int {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, base+"/environments", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if header != "" {
			req.Header.Set("X-Padding", header)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("POST /environments: %v", err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := post(`{"name":"tls","production":false}`, ""); got != http.StatusCreated {
		t.Fatalf("a small body over HTTPS: %d, want 201", got)
	}
	if got := post(`{"name":"big","production":false,"displayName":"`+strings.Repeat("x", 4096)+`"}`, ""); got != http.StatusRequestEntityTooLarge {
		t.Errorf("a body over --max-body-bytes: %d, want 413", got)
	}
	if got := post(`{"name":"hdr","production":false}`, strings.Repeat("y", 16<<10)); got != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("headers over --max-header-bytes: %d, want 431", got)
	}
	resp, err := (&http.Client{Timeout: 5 * time.Second}).Get("http://" + addr + "/diagnostic/status/heartbeat")
	if err == nil {
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			t.Errorf("plain HTTP on the TLS port answered 200")
		}
	}
}
