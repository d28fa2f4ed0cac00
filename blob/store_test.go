package blob_test

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse/blob"
)

func TestSweep(t *testing.T) {
	t.Parallel()
	s := open(t)
	const grace = time.Hour
	type row struct {
		old, referenced, swept bool
	}
	rows := []row{
		{old: true, referenced: true},
		{old: true, swept: true},
		{old: true, swept: true},
		{old: false, referenced: true},
		{old: false},
	}
	ids := make([]string, len(rows))
	keep := map[string]bool{}
	for i, r := range rows {
		ids[i] = put(t, s, []byte{byte(i)})
		keep[ids[i]] = r.referenced
		if r.old {
			then := time.Now().Add(-2 * grace)
			if err := os.Chtimes(filepath.Join(s.Dir(), ids[i][:2], ids[i]), then, then); err != nil {
				t.Fatal(err)
			}
		}
	}
	// A stranger's file is never touched, nor a pending blob.
	stranger := filepath.Join(s.Dir(), "00", "README")
	if err := os.WriteFile(stranger, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	pending, err := s.Create(strings.NewReader("pending"))
	if err != nil {
		t.Fatal(err)
	}
	defer pending.Discard()

	var asked []string
	n, err := s.Sweep(func(id string) (bool, error) {
		asked = append(asked, id)
		return keep[id], nil
	}, grace)
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("Sweep removed %d, want 2", n)
	}
	if len(asked) != 3 {
		t.Errorf("Sweep asked about %d blobs, want the 3 old ones", len(asked))
	}
	for i, r := range rows {
		_, err := s.Open(ids[i])
		if gone := errors.Is(err, blob.ErrNotFound); gone != r.swept {
			t.Errorf("blob %d (%+v): Open = %v", i, r, err)
		}
	}
	if _, err := os.Stat(stranger); err != nil {
		t.Errorf("the stranger's file: %v", err)
	}
	if err := pending.Commit(); err != nil {
		t.Errorf("the pending blob: %v", err)
	}

	// An error from keep stops the sweep and comes back.
	boom := errors.New("boom")
	if _, err := s.Sweep(func(string) (bool, error) { return false, boom }, 0); !errors.Is(err, boom) {
		t.Errorf("Sweep with a failing keep: %v", err)
	}
	if got := get(t, s, ids[0]); len(got) != 1 {
		t.Errorf("a referenced blob after the failed sweep: %v", got)
	}
}

func TestOpenRemovesTemporaryFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s, err := blob.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	id := put(t, s, []byte("committed"))
	// Writes a crash interrupted: pending blobs never committed nor
	// discarded, and whatever else was in tmp/.
	for range 3 {
		if _, err := s.Create(strings.NewReader("lost")); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(filepath.Join(dir, "tmp", "sub"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "tmp", "sub", "x"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if s, err = blob.Open(dir); err != nil {
		t.Fatal(err)
	}
	if left, err := os.ReadDir(filepath.Join(dir, "tmp")); err != nil || len(left) != 0 {
		t.Errorf("tmp after Open: %v, %v", left, err)
	}
	if got := string(get(t, s, id)); got != "committed" {
		t.Errorf("committed blob after Open: %q", got)
	}
}

func TestOpenTemp(t *testing.T) {
	t.Parallel()
	s, err := blob.OpenTemp()
	if err != nil {
		t.Fatal(err)
	}
	id := put(t, s, []byte("ephemeral"))
	if got := string(get(t, s, id)); got != "ephemeral" {
		t.Errorf("read back %q", got)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(s.Dir()); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("directory after Close: %v", err)
	}

	// Close on a store from Open keeps the blobs.
	dir := t.TempDir()
	s, err = blob.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	id = put(t, s, []byte("kept"))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if s, err = blob.Open(dir); err != nil {
		t.Fatal(err)
	}
	if got := string(get(t, s, id)); got != "kept" {
		t.Errorf("after Close and Open: %q", got)
	}
}

func TestConcurrent(t *testing.T) {
	t.Parallel()
	s := open(t)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 20 {
				want := randomBytes(uint64(g*100+i), i*997)
				p, err := s.Create(bytes.NewReader(want))
				if err != nil {
					t.Error(err)
					return
				}
				if err := p.Commit(); err != nil {
					t.Error(err)
					return
				}
				if got, err := read(s, p.ID()); err != nil || !bytes.Equal(got, want) {
					t.Errorf("goroutine %d blob %d: %v, or differs", g, i, err)
				}
				if i%2 == 0 {
					if err := s.Remove(p.ID()); err != nil {
						t.Error(err)
					}
				}
			}
		})
	}
	wg.Go(func() {
		if _, err := s.Sweep(func(string) (bool, error) { return false, nil }, time.Hour); err != nil {
			t.Error(err)
		}
	})
	wg.Wait()
	if got := len(files(t, s.Dir())); got != 8*10 {
		t.Errorf("%d blobs left, want %d", got, 8*10)
	}
}

// patternReader yields n bytes of a repeating pattern, generated as read.
type patternReader struct {
	n, off int64
}

// pattern holds the repeating pattern (251 bytes) and enough after it to
// copy 64 KiB at a time from any place in it.
var pattern = func() []byte {
	b := make([]byte, 251+64<<10)
	for i := range b {
		b[i] = byte(i % 251)
	}
	return b
}()

func (r *patternReader) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > r.n {
		p = p[:r.n]
	}
	n := 0
	for n < len(p) {
		n += copy(p[n:], pattern[(r.off+int64(n))%251:])
	}
	r.off += int64(n)
	r.n -= int64(n)
	return n, nil
}

// TestCreateStreams checks that Create never holds a body in memory: a
// 512 MiB one allocates a few buffers at most.
func TestCreateStreams(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 512 MiB")
	}
	s := open(t)
	const size = 512 << 20
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	p, err := s.Create(&patternReader{n: size})
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Discard()
	if p.Size() != size {
		t.Errorf("Size = %d, want %d", p.Size(), size)
	}
	heap := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	total := after.TotalAlloc - before.TotalAlloc
	t.Logf("HeapAlloc grew by %d bytes, %d bytes allocated in all", heap, total)
	if heap >= 16<<20 || total >= 16<<20 {
		t.Errorf("Create of %d bytes: HeapAlloc grew by %d, TotalAlloc by %d; want both under 16 MiB", size, heap, total)
	}
	if err := p.Discard(); err != nil {
		t.Fatal(err)
	}
	if got := files(t, s.Dir()); len(got) != 0 {
		t.Errorf("files after Discard: %v", got)
	}
}
