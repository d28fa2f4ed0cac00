package e2e

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse/sigv4"
)

// s3Raw sends one S3 request signed with root's key and returns the
// response status and body.
func s3Raw(ctx context.Context, srv *server, method, path string, body []byte) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, srv.URL+path, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	signer := sigv4.Signer{AccessKeyID: rootKeyID, SecretAccessKey: rootSecret, Region: "us-east-1", Service: "s3"}
	if err := signer.Sign(req, body); err != nil {
		return 0, nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// inlineMax is the size up to which the server keeps an object's bytes
// in its record rather than in a blob file (s3.InlineMax).
const inlineMax = 64 << 10

// crashBody is the deterministic content of object i: its size and
// bytes follow from i, so a reader can tell a whole object from a torn
// one. Every fourth object is small enough for its record, the others
// are blob files of up to 2 MiB.
func crashBody(i int) []byte {
	r := rand.New(rand.NewPCG(uint64(i), 7))
	n := inlineMax + 1 + r.IntN(2<<20)
	if i%4 == 0 {
		n = 1 + r.IntN(inlineMax)
	}
	b := make([]byte, n)
	for j := range b {
		b[j] = byte(r.Uint32())
	}
	return b
}

// TestS3CrashDuringUploads kills the server with SIGKILL while four
// clients upload, restarts it on the same data directory, and checks
// that every upload it acknowledged reads back byte for byte, and that
// every object it lists is whole (no torn or partial object is ever
// visible).
func TestS3CrashDuringUploads(t *testing.T) {
	t.Parallel()
	srv := startServer(t, serverOptions{})
	ctx := context.Background()
	if code, body, err := s3Raw(ctx, srv, http.MethodPut, "/crash-bucket", nil); err != nil || code != 200 {
		t.Fatalf("CreateBucket: %d %s %v", code, body, err)
	}
	var mu sync.Mutex
	acked := map[int]bool{}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; ; i += 4 {
				select {
				case <-stop:
					return
				default:
				}
				code, _, err := s3Raw(ctx, srv, http.MethodPut, fmt.Sprintf("/crash-bucket/obj-%04d", i), crashBody(i))
				if err != nil {
					return // the server is gone
				}
				if code == 200 {
					mu.Lock()
					acked[i] = true
					mu.Unlock()
				}
			}
		}()
	}
	// Kill once a few objects are in and others are on their way.
	deadline := time.Now().Add(20 * time.Second)
	for {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= 12 || time.Now().After(deadline) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	srv.kill(t)
	close(stop)
	wg.Wait()
	if len(acked) == 0 {
		t.Fatal("no upload was acknowledged before the kill")
	}

	srv2 := startServer(t, serverOptions{DataDir: srv.DataDir})
	code, body, err := s3Raw(ctx, srv2, http.MethodGet, "/crash-bucket?list-type=2", nil)
	if err != nil || code != 200 {
		t.Fatalf("ListObjectsV2 after restart: %d %s %v", code, body, err)
	}
	var list struct {
		Contents []struct {
			Key  string
			Size int64
		}
	}
	if err := xml.Unmarshal(body, &list); err != nil {
		t.Fatal(err)
	}
	listed := map[int]bool{}
	blobs := 0 // the objects kept as blob files
	for _, c := range list.Contents {
		if c.Size > inlineMax {
			blobs++
		}
		var i int
		if _, err := fmt.Sscanf(c.Key, "obj-%04d", &i); err != nil {
			t.Fatalf("unexpected key %q", c.Key)
		}
		listed[i] = true
		want := crashBody(i)
		code, got, err := s3Raw(ctx, srv2, http.MethodGet, "/crash-bucket/"+c.Key, nil)
		if err != nil || code != 200 || !bytes.Equal(got, want) || c.Size != int64(len(want)) {
			t.Errorf("object %s after restart: status %d, %d bytes (listed %d), want %d identical bytes (%v)", c.Key, code, len(got), c.Size, len(want), err)
		}
	}
	for i := range acked {
		if !listed[i] {
			t.Errorf("acknowledged object obj-%04d is gone after the restart", i)
		}
	}
	// No orphan outlives the restart: one blob file per listed object
	// too large for its record, and no temporary file.
	var files, temps int
	objects := filepath.Join(srv.DataDir, "objects")
	filepath.WalkDir(objects, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if rel, _ := filepath.Rel(objects, path); strings.HasPrefix(rel, "tmp"+string(filepath.Separator)) {
				temps++
			} else {
				files++
			}
		}
		return nil
	})
	if files != blobs || temps != 0 {
		t.Errorf("after restart: %d blob files and %d temporary files for %d objects of which %d are blobs", files, temps, len(list.Contents), blobs)
	}
	t.Logf("%d uploads acknowledged before SIGKILL, %d objects listed after restart", len(acked), len(list.Contents))
	if strings.Contains(srv2.stderr.String(), `"level":"ERROR"`) {
		t.Errorf("errors after restart:\n%s", tail(srv2.stderr.String(), 3000))
	}
}
