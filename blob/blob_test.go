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
	"strings"
	"testing"
	"testing/iotest"

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
