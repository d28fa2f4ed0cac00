package awschunked_test

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"testing/iotest"

	"github.com/gatehouse-dev/gatehouse/awschunked"
)

// FuzzReader decodes arbitrary bodies and bodies the test encoder built:
//
//   - an arbitrary body never panics, never yields more bytes than
//     DecodedLength, and yields exactly DecodedLength bytes when it ends
//     in io.EOF; its errors wrap a sentinel;
//   - the encoding of an arbitrary payload, in any mode and chunk size,
//     round-trips, one byte at a time too;
//   - that encoding with one byte changed never decodes to a different
//     payload or trailer in a signed mode.
func FuzzReader(f *testing.F) {
	f.Add([]byte("b\r\nhello world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n"), int64(11), uint8(0), uint16(0), uint32(0))
	f.Add([]byte("0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n"), int64(0), uint8(0), uint16(0), uint32(0))
	f.Add([]byte("000B\r\nhello world\r\n0\r\na:b\r\n\r\n"), int64(11), uint8(0), uint16(4), uint32(3))
	for _, mode := range []awschunked.Mode{awschunked.Signed, awschunked.SignedTrailer} {
		payload := []byte("hello, chunked world")
		body := encode(mode, testSeed(), payload, 8, [][2]string{{"x-amz-checksum-crc32", "DUoRhQ=="}})
		f.Add(body, int64(len(payload)), uint8(mode), uint16(8), uint32(len(body)/2))
	}
	seed := testSeed()
	f.Fuzz(func(t *testing.T, data []byte, length int64, modeByte uint8, chunk uint16, flip uint32) {
		mode := awschunked.Mode(modeByte % 3)
		length = max(length, 0) % (1 << 20)

		// data as a body.
		o := awschunked.Options{Mode: mode, DecodedLength: length, MinChunkSize: int(chunk % 64)}
		if mode != awschunked.Unsigned {
			o.Seed = seed
		}
		r, err := awschunked.NewReader(bytes.NewReader(data), o)
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(io.LimitReader(r, length+1))
		if int64(len(got)) > length {
			t.Fatalf("%d bytes decoded, %d declared", len(got), length)
		}
		if err == nil && int64(len(got)) != length {
			t.Fatalf("io.EOF after %d bytes, %d declared", len(got), length)
		}
		if err != nil && !isSentinel(err) {
			t.Fatalf("error without a sentinel: %v", err)
		}

		// data as a payload.
		size := int(chunk%4096) + 1
		var trailers [][2]string
		if mode != awschunked.Signed {
			trailers = [][2]string{{"x-amz-checksum-crc32", "DUoRhQ=="}}
		}
		body := encode(mode, seed, data, size, trailers)
		o = awschunked.Options{Mode: mode, Seed: o.Seed, DecodedLength: int64(len(data)), MinChunkSize: -1}
		for _, wrap := range []func(io.Reader) io.Reader{func(r io.Reader) io.Reader { return r }, iotest.OneByteReader} {
			got, tr, err := decode(wrap(bytes.NewReader(body)), o)
			if err != nil || !bytes.Equal(got, data) {
				t.Fatalf("round trip in %v, chunks of %d: %d of %d bytes, %v", mode, size, len(got), len(data), err)
			}
			if len(tr) != len(trailers) {
				t.Fatalf("trailers %v, want %v", tr, trailers)
			}
		}

		// The encoding with one byte changed.
		i := int(flip % uint32(len(body)))
		bad := bytes.Clone(body)
		bad[i] ^= byte(flip>>24) | 1
		got, tr, err := decode(bytes.NewReader(bad), o)
		if err != nil && !isSentinel(err) {
			t.Fatalf("error without a sentinel: %v", err)
		}
		if err == nil && mode != awschunked.Unsigned && (!bytes.Equal(got, data) || len(trailers) > 0 && tr[trailers[0][0]] != trailers[0][1]) {
			t.Fatalf("byte %d changed: decoded %q and %v, want %q", i, got, tr, data)
		}
	})
}

// isSentinel reports whether err wraps one of the package's errors.
func isSentinel(err error) bool {
	for _, s := range []error{awschunked.ErrMalformed, awschunked.ErrTruncated, awschunked.ErrLength, awschunked.ErrSignature, awschunked.ErrChunkTooSmall} {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}
