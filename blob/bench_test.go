package blob_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// benchSizes are the object sizes of issue 11's benchmarks.
var benchSizes = []struct {
	name string
	size int
}{
	{"4KiB", 4 << 10},
	{"64MiB", 64 << 20},
}

// BenchmarkCreateCommit stores a blob durably (Create, Commit) and
// removes it, reading the body as a network body would come: through a
// plain io.Reader.
func BenchmarkCreateCommit(b *testing.B) {
	for _, bs := range benchSizes {
		b.Run(bs.name, func(b *testing.B) {
			s := open(b)
			body := randomBytes(1, bs.size)
			b.SetBytes(int64(bs.size))
			b.ReportAllocs()
			for b.Loop() {
				p, err := s.Create(struct{ io.Reader }{bytes.NewReader(body)})
				if err != nil {
					b.Fatal(err)
				}
				if err := p.Commit(); err != nil {
					b.Fatal(err)
				}
				if err := s.Remove(p.ID()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDiskSequentialWrite is the peer figure of
// BenchmarkCreateCommit/64MiB: 64 MiB written with a plain os.File in
// 256 KiB writes, fsync'd and removed, the disk's sequential write speed
// the issue compares against.
func BenchmarkDiskSequentialWrite(b *testing.B) {
	const size = 64 << 20
	dir := b.TempDir()
	body := randomBytes(1, size)
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		name := filepath.Join(dir, "f")
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
		if err != nil {
			b.Fatal(err)
		}
		for off := 0; off < size; off += 256 << 10 {
			if _, err := f.Write(body[off : off+256<<10]); err != nil {
				b.Fatal(err)
			}
		}
		if err := f.Sync(); err != nil {
			b.Fatal(err)
		}
		if err := f.Close(); err != nil {
			b.Fatal(err)
		}
		if err := os.Remove(name); err != nil {
			b.Fatal(err)
		}
	}
}
