package awschunked_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/gatehouse-dev/gatehouse/awschunked"
)

func TestParseMode(t *testing.T) {
	tests := []struct {
		in   string
		want awschunked.Mode
		ok   bool
	}{
		{"STREAMING-UNSIGNED-PAYLOAD-TRAILER", awschunked.Unsigned, true},
		{"STREAMING-AWS4-HMAC-SHA256-PAYLOAD", awschunked.Signed, true},
		{"STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", awschunked.SignedTrailer, true},
		{"STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD", 0, false},
		{"STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER", 0, false},
		{"UNSIGNED-PAYLOAD", 0, false},
		{"streaming-unsigned-payload-trailer", 0, false},
		{sha256Hex(nil), 0, false},
		{"", 0, false},
	}
	for _, tc := range tests {
		got, ok := awschunked.ParseMode(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ParseMode(%q) = %v, %t; want %v, %t", tc.in, got, ok, tc.want, tc.ok)
		}
		if ok && got.String() != tc.in {
			t.Errorf("%v.String() = %q, want %q", got, got.String(), tc.in)
		}
	}
}

// TestBotocoreExamples decodes the bodies botocore sent over HTTPS (the
// reference's §2.2 captures).
func TestBotocoreExamples(t *testing.T) {
	tests := []struct {
		body, want, crc string
	}{
		{"b\r\nhello world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n", "hello world", "DUoRhQ=="},
		{"0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n", "", "AAAAAA=="},
	}
	for _, tc := range tests {
		o := awschunked.Options{Mode: awschunked.Unsigned, DecodedLength: int64(len(tc.want))}
		got, tr, err := decode(strings.NewReader(tc.body), o)
		if err != nil || string(got) != tc.want {
			t.Fatalf("decode(%q) = %q, %v; want %q", tc.body, got, err, tc.want)
		}
		if want := map[string]string{"x-amz-checksum-crc32": tc.crc}; !maps.Equal(tr, want) {
			t.Errorf("Trailers() = %v, want %v", tr, want)
		}
	}
}

// TestAWSChunkedUploadExample is the known-answer test of the AWS
// documentation: 66560 bytes of 'a' in a 64 KiB chunk, a 1 KiB chunk and
// the final chunk, each with its published signature.
func TestAWSChunkedUploadExample(t *testing.T) {
	sigs := []string{
		"ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648",
		"0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497",
		"b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9",
	}
	payload := bytes.Repeat([]byte("a"), 66560)
	body := "10000;chunk-signature=" + sigs[0] + "\r\n" + string(payload[:65536]) + "\r\n" +
		"400;chunk-signature=" + sigs[1] + "\r\n" + string(payload[65536:]) + "\r\n" +
		"0;chunk-signature=" + sigs[2] + "\r\n\r\n"
	seed := exampleSeedValue()
	if enc := encode(awschunked.Signed, seed, payload, 65536, nil); string(enc) != body {
		t.Fatalf("the test encoder does not reproduce the AWS example")
	}
	o := awschunked.Options{Mode: awschunked.Signed, Seed: seed, DecodedLength: int64(len(payload))}
	got, tr, err := decode(strings.NewReader(body), o)
	if err != nil || !bytes.Equal(got, payload) {
		t.Fatalf("decode: %d bytes, %v", len(got), err)
	}
	if tr == nil || len(tr) != 0 {
		t.Errorf("Trailers() = %#v, want an empty map", tr)
	}
	// Each signature chains to the previous one: a wrong seed fails.
	bad := *seed
	bad.Signature = strings.Replace(exampleSeed, "4f", "4e", 1)
	o.Seed = &bad
	if _, _, err := decode(strings.NewReader(body), o); !errors.Is(err, awschunked.ErrSignature) {
		t.Errorf("wrong seed signature: %v, want ErrSignature", err)
	}
}

// TestRoundTrip decodes what the test encoder builds, in every mode and
// through readers that return little at a time.
func TestRoundTrip(t *testing.T) {
	trailers := [][2]string{{"x-amz-checksum-crc32", "DUoRhQ=="}}
	readers := map[string]func(io.Reader) io.Reader{
		"whole":    func(r io.Reader) io.Reader { return r },
		"one byte": iotest.OneByteReader,
		"half":     iotest.HalfReader,
		"data+EOF": iotest.DataErrReader,
	}
	for _, mode := range []awschunked.Mode{awschunked.Unsigned, awschunked.Signed, awschunked.SignedTrailer} {
		for _, size := range []int{0, 1, 100, 8191, 8192, 8193, 70000} {
			for _, chunk := range []int{1, 7, 8192, 65536, 1 << 20} {
				if size/chunk > 2000 {
					continue // enough small chunks already
				}
				payload := make([]byte, size)
				for i := range payload {
					payload[i] = byte(i * 7)
				}
				tr := trailers
				if mode == awschunked.Signed {
					tr = nil
				}
				body := encode(mode, testSeed(), payload, chunk, tr)
				for name, wrap := range readers {
					got, gotTr, err := decode(wrap(bytes.NewReader(body)), options(mode, size))
					if err != nil || !bytes.Equal(got, payload) {
						t.Fatalf("%v, %d bytes in chunks of %d, %s reader: %d bytes, %v", mode, size, chunk, name, len(got), err)
					}
					if want := map[string]string{}; mode != awschunked.Signed {
						want["x-amz-checksum-crc32"] = "DUoRhQ=="
						if !maps.Equal(gotTr, want) {
							t.Errorf("%v: Trailers() = %v, want %v", mode, gotTr, want)
						}
					}
				}
				if size == 8193 && chunk == 8192 {
					r, _ := awschunked.NewReader(bytes.NewReader(body), options(mode, size))
					if err := iotest.TestReader(r, payload); err != nil {
						t.Errorf("%v: iotest.TestReader: %v", mode, err)
					}
				}
			}
		}
	}
}

// TestUppercaseAndPaddedSizes: hex sizes in either case, with leading
// zeros, several trailers, and trailer values with spaces to trim.
func TestUppercaseAndPaddedSizes(t *testing.T) {
	body := "000B\r\nhello world\r\n0a\r\n0123456789\r\n00\r\nX-Amz-Checksum-CRC32C: abc= \r\nx-amz-meta-x:\r\n\r\n"
	got, tr, err := decode(strings.NewReader(body), awschunked.Options{Mode: awschunked.Unsigned, DecodedLength: 21})
	if err != nil || string(got) != "hello world0123456789" {
		t.Fatalf("decode = %q, %v", got, err)
	}
	if want := map[string]string{"x-amz-checksum-crc32c": "abc=", "x-amz-meta-x": ""}; !maps.Equal(tr, want) {
		t.Errorf("Trailers() = %v, want %v", tr, want)
	}
}

// TestSignedTrailer checks the trailer signature over several trailers,
// canonicalized with lower-case names and trimmed values.
func TestSignedTrailer(t *testing.T) {
	s := testSeed()
	payload := bytes.Repeat([]byte("z"), 10000)
	body := encode(awschunked.SignedTrailer, s, payload, 8192, [][2]string{{"x-amz-checksum-sha256", "abc"}, {"x-amz-checksum-crc32", "def"}})
	// The client may send names in any case and pad values.
	body = bytes.Replace(body, []byte("x-amz-checksum-sha256:abc"), []byte("X-Amz-Checksum-SHA256:  abc\t"), 1)
	got, tr, err := decode(bytes.NewReader(body), options(awschunked.SignedTrailer, len(payload)))
	if err != nil || !bytes.Equal(got, payload) {
		t.Fatalf("decode: %d bytes, %v", len(got), err)
	}
	if want := map[string]string{"x-amz-checksum-sha256": "abc", "x-amz-checksum-crc32": "def"}; !maps.Equal(tr, want) {
		t.Errorf("Trailers() = %v, want %v", tr, want)
	}
}

// TestNoBytesOfABadChunk: the last bytes of a chunk whose signature does
// not match are never returned, whatever the buffer size.
func TestNoBytesOfABadChunk(t *testing.T) {
	payload := bytes.Repeat([]byte("q"), 20000)
	body := encode(awschunked.Signed, testSeed(), payload, 10000, nil)
	body[bytes.Index(body, []byte("q"))+9999] = 'Q' // the first chunk's last byte
	for _, bufSize := range []int{1, 100, 9999, 10000, 1 << 20} {
		r, err := awschunked.NewReader(bytes.NewReader(body), options(awschunked.Signed, len(payload)))
		if err != nil {
			t.Fatal(err)
		}
		total := 0
		buf := make([]byte, bufSize)
		for {
			n, err := r.Read(buf)
			total += n
			if err != nil {
				if !errors.Is(err, awschunked.ErrSignature) {
					t.Fatalf("buffer %d: %v, want ErrSignature", bufSize, err)
				}
				break
			}
		}
		if total >= 10000 {
			t.Errorf("buffer %d: %d bytes returned before the failure, want < 10000", bufSize, total)
		}
		if n, err2 := r.Read(buf); n != 0 || !errors.Is(err2, awschunked.ErrSignature) {
			t.Errorf("Read after the failure = %d, %v; want the same error", n, err2)
		}
	}
}

func TestNewReaderErrors(t *testing.T) {
	body := strings.NewReader("0\r\n\r\n")
	if _, err := awschunked.NewReader(body, awschunked.Options{Mode: awschunked.Unsigned, DecodedLength: -1}); !errors.Is(err, awschunked.ErrMissingLength) {
		t.Errorf("DecodedLength -1: %v, want ErrMissingLength", err)
	}
	for _, o := range []awschunked.Options{
		{Mode: awschunked.Signed},
		{Mode: awschunked.SignedTrailer},
		{Mode: awschunked.Signed, Seed: &awschunked.Seed{Signature: "abc"}},
		{Mode: awschunked.Mode(7)},
	} {
		if _, err := awschunked.NewReader(body, o); err == nil {
			t.Errorf("NewReader(%+v) succeeded", o)
		}
	}
}

// TestUnderlyingError: a failure of the body's reader is passed on, not
// reported as a bad body.
func TestUnderlyingError(t *testing.T) {
	boom := errors.New("connection reset")
	body := io.MultiReader(strings.NewReader("b\r\nhello"), iotest.ErrReader(boom))
	_, _, err := decode(body, awschunked.Options{Mode: awschunked.Unsigned, DecodedLength: 11})
	if !errors.Is(err, boom) || errors.Is(err, awschunked.ErrMalformed) || errors.Is(err, awschunked.ErrTruncated) {
		t.Errorf("err = %v, want the underlying error alone", err)
	}
}

// TestSeedRedacted: no way of printing a Seed, Options or Reader shows
// the signing key.
func TestSeedRedacted(t *testing.T) {
	s := testSeed()
	o := awschunked.Options{Mode: awschunked.Signed, Seed: s, DecodedLength: 0}
	r, err := awschunked.NewReader(strings.NewReader(""), o)
	if err != nil {
		t.Fatal(err)
	}
	secret := []string{fmt.Sprintf("%x", s.Key), fmt.Sprintf("%X", s.Key), fmt.Sprint(s.Key[:]), fmt.Sprintf("%q", s.Key[:])}
	for _, v := range []any{s, *s, o, &o, r, *r} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%x", "%q"} {
			out := fmt.Sprintf(verb, v)
			for _, k := range secret {
				if strings.Contains(out, k) {
					t.Errorf("Sprintf(%q, %T) shows the key: %s", verb, v, out)
				}
			}
		}
	}
	if lv := s.LogValue().String(); !strings.Contains(lv, "REDACTED") || strings.Contains(lv, secret[0]) {
		t.Errorf("LogValue() = %s", lv)
	}
}
