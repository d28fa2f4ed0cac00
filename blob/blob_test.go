package blob_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"testing/iotest"
	"time"

	"github.com/gatehouse-dev/gatehouse/blob"
)

// open opens a store in a new test directory.
func open(t testing.TB) *blob.Store {
	t.Helper()
	s, err := blob.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// randomBytes returns n deterministic bytes derived from seed.
func randomBytes(seed uint64, n int) []byte {
	var key [32]byte
	key[0], key[1] = byte(seed), byte(seed>>8)
	b := make([]byte, n)
	rand.NewChaCha8(key).Read(b)
	return b
}

// put creates and commits a blob of b.
func put(t testing.TB, s *blob.Store, b []byte) string {
	t.Helper()
	p, err := s.Create(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Commit(); err != nil {
		t.Fatal(err)
	}
	return p.ID()
}

// get reads the blob id whole.
func get(t testing.TB, s *blob.Store, id string) []byte {
	t.Helper()
	b, err := read(s, id)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// read reads the blob id whole.
func read(s *blob.Store, id string) ([]byte, error) {
	f, err := s.Open(id)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// files lists the regular files under dir, relative to it.
func files(t testing.TB, dir string) []string {
	t.Helper()
	var names []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, path)
			names = append(names, rel)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return names
}

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	s := open(t)
	for _, tc := range []struct {
		name string
		size int
		wrap func(io.Reader) io.Reader
	}{
		{"empty", 0, nil},
		{"one", 1, nil},
		{"page", 4095, iotest.HalfReader},
		{"buffer-1", 256<<10 - 1, nil},
		{"buffer", 256 << 10, iotest.OneByteReader},
		{"buffer+1", 256<<10 + 1, iotest.DataErrReader},
		{"mebibytes", 3<<20 + 7, iotest.HalfReader},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := randomBytes(uint64(tc.size), tc.size)
			var r io.Reader = struct{ io.Reader }{bytes.NewReader(want)}
			if tc.wrap != nil {
				r = tc.wrap(r)
			}
			p, err := s.Create(r)
			if err != nil {
				t.Fatal(err)
			}
			defer p.Discard()
			if p.Size() != int64(tc.size) {
				t.Errorf("Size = %d, want %d", p.Size(), tc.size)
			}
			if _, err := s.Open(p.ID()); !errors.Is(err, blob.ErrNotFound) {
				t.Errorf("Open before Commit: %v, want ErrNotFound", err)
			}
			if err := p.Commit(); err != nil {
				t.Fatal(err)
			}
			if got := get(t, s, p.ID()); !bytes.Equal(got, want) {
				t.Errorf("read back %d bytes, not the %d written", len(got), len(want))
			}
			f, err := s.Open(p.ID())
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if fi, err := f.Stat(); err != nil || fi.Size() != int64(tc.size) || fi.Mode().Perm() != 0o600 {
				t.Errorf("Stat = %v, %v; want size %d, mode 0600", fi, err, tc.size)
			}
			if tc.size > 10 {
				part := make([]byte, 5)
				if _, err := io.NewSectionReader(f, 3, 5).Read(part); err != nil || !bytes.Equal(part, want[3:8]) {
					t.Errorf("range 3-7 = %x, %v; want %x", part, err, want[3:8])
				}
			}
		})
	}
}

func TestPendingLifecycle(t *testing.T) {
	t.Parallel()
	s := open(t)
	dir := s.Dir()

	// Discard leaves nothing, and may be called twice; Commit after it fails.
	p, err := s.Create(strings.NewReader("dropped"))
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Discard(); err != nil {
		t.Fatal(err)
	}
	if err := p.Discard(); err != nil {
		t.Errorf("second Discard: %v", err)
	}
	if err := p.Commit(); err == nil {
		t.Error("Commit after Discard succeeded")
	}
	if got := files(t, dir); len(got) != 0 {
		t.Errorf("files after Discard: %v", got)
	}

	// Commit twice is fine, and Discard after Commit keeps the blob.
	p, err = s.Create(strings.NewReader("kept"))
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := p.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.Discard(); err != nil {
		t.Fatal(err)
	}
	if got := string(get(t, s, p.ID())); got != "kept" {
		t.Errorf("after Discard following Commit: %q", got)
	}
	want := []string{filepath.Join(p.ID()[:2], p.ID())}
	if got := files(t, dir); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("files = %v, want %v", got, want)
	}
	if fi, err := os.Stat(filepath.Join(dir, p.ID()[:2])); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("blob directory: %v, %v; want mode 0700", fi, err)
	}

	// Remove, then Remove again: missing is not an error.
	for range 2 {
		if err := s.Remove(p.ID()); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Open(p.ID()); !errors.Is(err, blob.ErrNotFound) {
		t.Errorf("Open after Remove: %v", err)
	}

	// A failing reader fails Create and leaves nothing.
	boom := errors.New("boom")
	r := io.MultiReader(strings.NewReader("partial"), iotest.ErrReader(boom))
	if _, err := s.Create(r); !errors.Is(err, boom) {
		t.Errorf("Create of a failing reader: %v", err)
	}
	if got := files(t, dir); len(got) != 0 {
		t.Errorf("files after failed Create: %v", got)
	}
}

func TestIDs(t *testing.T) {
	t.Parallel()
	s := open(t)
	seen := map[string]bool{}
	for range 200 {
		p, err := s.Create(strings.NewReader(""))
		if err != nil {
			t.Fatal(err)
		}
		id := p.ID()
		p.Discard()
		if !blob.ValidID(id) || len(id) != 32 || strings.Trim(id, "0123456789abcdef") != "" {
			t.Fatalf("ID %q is not 32 lowercase hex characters", id)
		}
		if seen[id] {
			t.Fatalf("ID %s twice", id)
		}
		seen[id] = true
	}
}

func TestBadIDs(t *testing.T) {
	t.Parallel()
	s := open(t)
	id := put(t, s, []byte("x"))
	pending, err := s.Create(strings.NewReader("y"))
	if err != nil {
		t.Fatal(err)
	}
	defer pending.Discard()
	for _, bad := range []string{
		"",
		"/",
		".",
		"..",
		"../x",
		"../../../../etc/passwd",
		"/etc/passwd",
		"tmp/" + pending.ID(),
		id[:2] + "/" + id,
		strings.ToUpper(id),
		id[:31],
		id + "0",
		id[:30] + "/.",
		id[:29] + "/..",
		id[:31] + "\x00",
		id[:31] + "g",
		pending.ID(),                       // valid, but not committed
		"00000000000000000000000000000000", // valid, missing
	} {
		if f, err := s.Open(bad); !errors.Is(err, blob.ErrNotFound) {
			if f != nil {
				f.Close()
			}
			t.Errorf("Open(%q) = %v, want ErrNotFound", bad, err)
		}
		if _, err := s.Concat([]string{id, bad}); !errors.Is(err, blob.ErrNotFound) {
			t.Errorf("Concat(%q) = %v, want ErrNotFound", bad, err)
		}
		err := s.Remove(bad)
		if blob.ValidID(bad) && err != nil || !blob.ValidID(bad) && !errors.Is(err, blob.ErrNotFound) {
			t.Errorf("Remove(%q) = %v", bad, err)
		}
	}
	if got := string(get(t, s, id)); got != "x" {
		t.Errorf("the blob became %q", got)
	}
	if err := pending.Commit(); err != nil {
		t.Errorf("the pending blob: %v", err)
	}
}

func TestConcat(t *testing.T) {
	t.Parallel()
	s := open(t)
	parts := [][]byte{
		randomBytes(1, 0),
		randomBytes(2, 300<<10),
		randomBytes(3, 1<<20+3),
		randomBytes(4, 17),
	}
	var ids []string
	for _, b := range parts {
		ids = append(ids, put(t, s, b))
	}
	for _, tc := range []struct {
		name  string
		order []int
	}{
		{"none", nil},
		{"one", []int{2}},
		{"all", []int{0, 1, 2, 3}},
		{"repeated", []int{3, 1, 3, 0, 2, 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var want []byte
			var in []string
			for _, i := range tc.order {
				want = append(want, parts[i]...)
				in = append(in, ids[i])
			}
			p, err := s.Concat(in)
			if err != nil {
				t.Fatal(err)
			}
			defer p.Discard()
			if p.Size() != int64(len(want)) {
				t.Errorf("Size = %d, want %d", p.Size(), len(want))
			}
			if err := p.Commit(); err != nil {
				t.Fatal(err)
			}
			if got := get(t, s, p.ID()); !bytes.Equal(got, want) {
				t.Errorf("concatenation of %d bytes differs from the %d expected", len(got), len(want))
			}
		})
	}
	for i, id := range ids {
		if got := get(t, s, id); !bytes.Equal(got, parts[i]) {
			t.Errorf("part %d changed", i)
		}
	}
}

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
