package awschunked_test

import (
	"bytes"
	"io"
	"testing"

	"github.com/gatehouse-dev/gatehouse/awschunked"
)

// BenchmarkReader decodes a 16 MiB body in 64 KiB chunks (AWS's
// recommended size for signed chunks) and in botocore's 1 MiB chunks, in
// each mode, into a 32 KiB buffer as io.Copy does.
func BenchmarkReader(b *testing.B) {
	const size = 16 << 20
	payload := bytes.Repeat([]byte("0123456789abcdef"), size/16)
	tr := [][2]string{{"x-amz-checksum-crc32", "DUoRhQ=="}}
	cases := []struct {
		name  string
		mode  awschunked.Mode
		chunk int
	}{
		{"unsigned/64KiB", awschunked.Unsigned, 64 << 10},
		{"unsigned/1MiB", awschunked.Unsigned, 1 << 20},
		{"signed/64KiB", awschunked.Signed, 64 << 10},
		{"signed-trailer/64KiB", awschunked.SignedTrailer, 64 << 10},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			body := encode(c.mode, testSeed(), payload, c.chunk, tr)
			o := options(c.mode, size)
			buf := make([]byte, 32<<10)
			br := bytes.NewReader(body)
			b.ReportAllocs()
			b.SetBytes(size)
			for b.Loop() {
				br.Reset(body)
				r, err := awschunked.NewReader(br, o)
				if err != nil {
					b.Fatal(err)
				}
				if n, err := io.CopyBuffer(struct{ io.Writer }{io.Discard}, r, buf); err != nil || n != size {
					b.Fatalf("%d bytes, %v", n, err)
				}
			}
		})
	}
}
