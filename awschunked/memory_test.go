package awschunked_test

import (
	"io"
	"runtime"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse/awschunked"
)

// TestBoundedMemory decodes a 256 MiB body generated on the fly, in
// botocore's 1 MiB chunks and in 64 KiB chunks, and checks that the
// decoder allocated well under a megabyte doing so: it never holds a
// chunk, let alone the body.
func TestBoundedMemory(t *testing.T) {
	const size = 256<<20 + 12345
	for _, chunk := range []int{64 << 10, 1 << 20} {
		body := newFramedBody(size, chunk)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		start := time.Now()
		r, err := awschunked.NewReader(body, awschunked.Options{Mode: awschunked.Unsigned, DecodedLength: size})
		if err != nil {
			t.Fatal(err)
		}
		n, err := io.CopyBuffer(struct{ io.Writer }{io.Discard}, r, make([]byte, 32<<10))
		if err != nil || n != size {
			t.Fatalf("chunks of %d: decoded %d bytes, %v", chunk, n, err)
		}
		elapsed := time.Since(start)
		runtime.ReadMemStats(&after)
		if got := r.Trailers()["x-amz-checksum-crc32"]; got != "AAAAAA==" {
			t.Errorf("trailer = %q", got)
		}
		allocated := after.TotalAlloc - before.TotalAlloc
		t.Logf("chunks of %d: %d MiB in %v, %d bytes allocated, heap in use %d KiB", chunk, size>>20, elapsed, allocated, after.HeapInuse>>10)
		if allocated > 1<<20 {
			t.Errorf("chunks of %d: decoding %d MiB allocated %d bytes", chunk, size>>20, allocated)
		}
	}
}
