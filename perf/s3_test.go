package perf

import (
	"bytes"
	"crypto/rand"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse/sigv4"
)

// s3Client signs S3 REST requests, path-style, with the root key.
type s3Client struct {
	http     *http.Client
	endpoint string
	signer   sigv4.Signer
}

func newS3Client(endpoint string) *s3Client {
	return &s3Client{
		http:     &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16}},
		endpoint: endpoint,
		signer:   sigv4.Signer{AccessKeyID: rootKey, SecretAccessKey: rootSecret, Region: "us-east-1", Service: "s3"},
	}
}

// do sends a signed request and fails tb unless the answer has status
// want. A small body (small != nil) is signed with its SHA-256, as the
// SDKs do over HTTP; a streamed body (stream, of size bytes) declares
// UNSIGNED-PAYLOAD, so that the client does not hash 64 MiB per request
// on the cores the server needs. The response body is counted and
// discarded unless sink is set.
func (c *s3Client) do(tb testing.TB, method, path string, small []byte, stream io.Reader, size int64, want int, sink io.Writer) int64 {
	var body io.Reader = http.NoBody
	if small != nil {
		body = bytes.NewReader(small)
	} else if stream != nil {
		body = stream
	}
	req, err := http.NewRequest(method, c.endpoint+path, body)
	if err != nil {
		tb.Fatal(err)
	}
	switch {
	case small != nil:
		req.ContentLength = int64(len(small))
	case stream != nil:
		req.ContentLength = size
		req.Header.Set("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD")
	}
	if err := c.signer.Sign(req, small); err != nil {
		tb.Fatal(err)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != want {
		out, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		tb.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, out)
	}
	if sink == nil {
		sink = io.Discard
	}
	n, err := io.Copy(sink, resp.Body)
	if err != nil {
		tb.Fatalf("%s %s: reading the body: %v", method, path, err)
	}
	return n
}

// s3Peer is one server of the side-by-side S3 benchmark.
type s3Peer struct {
	name string
	srv  *server
	c    *s3Client
}

const (
	kib = 1 << 10
	mib = 1 << 20
	// listKeys is the number of keys ListObjectsV2 pages through.
	listKeys = 10000
)

// parallel runs fn b.N times from workers goroutines and reports
// throughput and the server's CPU per operation.
func parallel(b *testing.B, s *server, workers int, fn func(i int)) {
	b.ResetTimer()
	cpu0, self0, start := s.cpu(b), selfCPU(), time.Now()
	var wg sync.WaitGroup
	var mu sync.Mutex
	next := 0
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= b.N {
					return
				}
				fn(i)
			}
		}()
	}
	wg.Wait()
	elapsed, cpu, self := time.Since(start), s.cpu(b)-cpu0, selfCPU()-self0
	b.StopTimer()
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "req/s")
	b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "server-cpu-µs/op")
	b.ReportMetric(float64(self.Microseconds())/float64(b.N), "client-cpu-µs/op")
}

// selfCPU returns the CPU time this process (the clients) has used.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkS3 compares Gatehouse's S3 with moto_server's in one run:
// PutObject and GetObject of 4 KiB objects (4 concurrent clients) and of
// 64 MiB objects (one client, MB/s beside the disk's own sequential
// write speed, DiskWrite, measured in the same run on the same file
// system: write, fsync, close, as a durable object store must), and
// ListObjectsV2 of a bucket of 10,000 keys (one op is the whole listing,
// ten pages of 1,000).
func BenchmarkS3(b *testing.B) {
	peers := []*s3Peer{{name: "gatehouse", srv: startGatehouse(b)}, {name: "moto", srv: startMotoEnv(b)}}
	small := make([]byte, 4*kib)
	big := make([]byte, 64*mib)
	rand.Read(small)
	rand.Read(big)
	for _, p := range peers {
		defer p.srv.stop()
		p.c = newS3Client(p.srv.endpoint)
		for _, bucket := range []string{"/bench", "/bench-list"} {
			p.c.do(b, "PUT", bucket, nil, nil, 0, 200, nil)
		}
		p.c.do(b, "PUT", "/bench/small", small, nil, 0, 200, nil)
		p.c.do(b, "PUT", "/bench/big", nil, bytes.NewReader(big), int64(len(big)), 200, nil)
	}

	for _, p := range peers {
		b.Run("PutObject/4KiB/"+p.name, func(b *testing.B) {
			b.SetBytes(int64(len(small)))
			parallel(b, p.srv, 4, func(i int) {
				p.c.do(b, "PUT", "/bench/put/"+strconv.Itoa(i%5000), small, nil, 0, 200, nil)
			})
		})
	}
	for _, p := range peers {
		b.Run("GetObject/4KiB/"+p.name, func(b *testing.B) {
			b.SetBytes(int64(len(small)))
			parallel(b, p.srv, 4, func(int) {
				if n := p.c.do(b, "GET", "/bench/small", nil, nil, 0, 200, nil); n != int64(len(small)) {
					b.Fatalf("GetObject read %d bytes, want %d", n, len(small))
				}
			})
		})
	}
	b.Run("DiskWrite/64MiB", func(b *testing.B) {
		dir := b.TempDir()
		b.SetBytes(int64(len(big)))
		b.ResetTimer()
		for i := range b.N {
			writeDurably(b, filepath.Join(dir, strconv.Itoa(i%2)), big)
		}
	})
	for _, p := range peers {
		b.Run("PutObject/64MiB/"+p.name, func(b *testing.B) {
			b.SetBytes(int64(len(big)))
			parallel(b, p.srv, 1, func(int) {
				p.c.do(b, "PUT", "/bench/big", nil, bytes.NewReader(big), int64(len(big)), 200, nil)
			})
		})
	}
	for _, p := range peers {
		b.Run("GetObject/64MiB/"+p.name, func(b *testing.B) {
			b.SetBytes(int64(len(big)))
			parallel(b, p.srv, 1, func(int) {
				if n := p.c.do(b, "GET", "/bench/big", nil, nil, 0, 200, nil); n != int64(len(big)) {
					b.Fatalf("GetObject read %d bytes, want %d", n, len(big))
				}
			})
		})
	}
	for _, p := range peers {
		filled := false
		b.Run(fmt.Sprintf("ListObjectsV2/%dkeys/%s", listKeys, p.name), func(b *testing.B) {
			if !filled { // once, outside the timing (parallel resets the timer)
				fill(b, p.c, "/bench-list", listKeys)
				filled = true
			}
			parallel(b, p.srv, 1, func(int) {
				if n := listAll(b, p.c, "/bench-list"); n != listKeys {
					b.Fatalf("listed %d keys, want %d", n, listKeys)
				}
			})
		})
	}
}

// writeDurably writes data to a new file as a durable store must.
func writeDurably(tb testing.TB, path string, data []byte) {
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := f.Write(data); err != nil {
		tb.Fatal(err)
	}
	if err := f.Sync(); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
}

// fill puts n empty objects into bucket from 8 concurrent clients.
func fill(tb testing.TB, c *s3Client, bucket string, n int) {
	var wg sync.WaitGroup
	keys := make(chan int)
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range keys {
				c.do(tb, "PUT", fmt.Sprintf("%s/dir%02d/key%05d", bucket, i%50, i), []byte{}, nil, 0, 200, nil)
			}
		}()
	}
	for i := range n {
		keys <- i
	}
	close(keys)
	wg.Wait()
}

// listAll pages through bucket with ListObjectsV2 and returns the number
// of keys listed.
func listAll(tb testing.TB, c *s3Client, bucket string) int {
	total, token := 0, ""
	for {
		q := url.Values{"list-type": {"2"}}
		if token != "" {
			q.Set("continuation-token", token)
		}
		var page bytes.Buffer
		c.do(tb, "GET", bucket+"?"+q.Encode(), nil, nil, 0, 200, &page)
		var r struct {
			KeyCount  int
			Truncated bool   `xml:"IsTruncated"`
			Next      string `xml:"NextContinuationToken"`
		}
		if err := xml.Unmarshal(page.Bytes(), &r); err != nil {
			tb.Fatalf("ListObjectsV2: %v", err)
		}
		total += r.KeyCount
		if !r.Truncated {
			return total
		}
		if r.Next == "" {
			tb.Fatal("ListObjectsV2: truncated without a continuation token")
		}
		token = r.Next
	}
}

// patternReader yields size bytes of a repeating pattern without
// holding them.
type patternReader struct {
	left int64
	pos  int
}

const pattern = "gatehouse streams bodies; "

func (r *patternReader) Read(p []byte) (int, error) {
	if r.left == 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > r.left {
		p = p[:r.left]
	}
	for i := range p {
		p[i] = pattern[r.pos]
		r.pos = (r.pos + 1) % len(pattern)
	}
	r.left -= int64(len(p))
	return len(p), nil
}

// patternChecker counts the bytes written to it and checks that they
// are the pattern.
type patternChecker struct {
	n   int64
	bad bool
}

func (w *patternChecker) Write(p []byte) (int, error) {
	for i, c := range p {
		if c != pattern[(w.n+int64(i))%int64(len(pattern))] {
			w.bad = true
			break
		}
	}
	w.n += int64(len(p))
	return len(p), nil
}

// peakRSS reads the high-water mark of a process's resident set.
func peakRSS(tb testing.TB, pid int) int64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		tb.Fatal(err)
	}
	for line := range strings.Lines(string(data)) {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				tb.Fatalf("VmHWM %q: %v", rest, err)
			}
			return kb * kib
		}
	}
	tb.Fatal("no VmHWM in /proc status")
	return 0
}

// transfer uploads and downloads one object of size bytes through a
// fresh server and returns the server's peak RSS.
func transfer(tb testing.TB, size int64) int64 {
	s := startGatehouse(tb)
	defer s.stop()
	c := newS3Client(s.endpoint)
	c.do(tb, "PUT", "/rss", nil, nil, 0, 200, nil)
	c.do(tb, "PUT", "/rss/object", nil, &patternReader{left: size}, size, 200, nil)
	var got patternChecker
	c.do(tb, "GET", "/rss/object", nil, nil, 0, 200, &got)
	if got.n != size || got.bad {
		tb.Fatalf("read back %d bytes (pattern intact: %v), want %d", got.n, !got.bad, size)
	}
	return peakRSS(tb, s.cmd.Process.Pid)
}

// BenchmarkS3Transfer1GiB uploads and downloads a 1 GiB object through
// a fresh server and reports the server's peak resident set.
func BenchmarkS3Transfer1GiB(b *testing.B) {
	const size = 1 << 30
	b.SetBytes(2 * size)
	var rss int64
	for b.Loop() {
		rss = max(rss, transfer(b, size))
	}
	b.ReportMetric(float64(rss)/mib, "peak-rss-MiB")
}

// TestS3StreamsBodies checks that the server streams object bodies: a
// 256 MiB upload and download leave its peak resident set well below
// the object's size (the bound is about 100 MiB for 1 GiB; the
// benchmark above measures 1 GiB).
func TestS3StreamsBodies(t *testing.T) {
	if rss := transfer(t, 256*mib); rss > 100*mib {
		t.Fatalf("peak RSS %d MiB during a 256 MiB transfer, want under 100 MiB", rss/mib)
	} else {
		t.Logf("peak RSS %d MiB", rss/mib)
	}
}
