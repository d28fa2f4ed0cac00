package awschunked_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse/awschunked"
)

// replace replaces the first old in b (which must be there) by new.
func replace(t *testing.T, b []byte, old, new string) []byte {
	t.Helper()
	if !bytes.Contains(b, []byte(old)) {
		t.Fatalf("%q not in the body", old)
	}
	return bytes.Replace(b, []byte(old), []byte(new), 1)
}

// TestTampering: every fault of a body is an error of the right kind,
// sticky, without the key in its message, and without trailers.
func TestTampering(t *testing.T) {
	payload := bytes.Repeat([]byte("abcdefgh"), 2500) // 20000 bytes: chunks of 8192, 8192, 3616
	tr := [][2]string{{"x-amz-checksum-crc32", "DUoRhQ=="}}
	seed := testSeed()
	unsigned := encode(awschunked.Unsigned, nil, payload, 8192, tr)
	signed := encode(awschunked.Signed, seed, payload, 8192, nil)
	signedTr := encode(awschunked.SignedTrailer, seed, payload, 8192, tr)
	firstSig := string(signed[len("2000;chunk-signature=") : len("2000;chunk-signature=")+64])
	finalSig := func(b []byte) string {
		i := bytes.Index(b, []byte("\r\n0;chunk-signature=")) + len("\r\n0;chunk-signature=")
		return string(b[i : i+64])
	}
	trailerSigOf := func(b []byte) string {
		i := bytes.Index(b, []byte("x-amz-trailer-signature:")) + len("x-amz-trailer-signature:")
		return string(b[i : i+64])
	}
	flip := func(s string) string { // change the first character of s
		c := byte('0')
		if s[0] == '0' {
			c = '1'
		}
		return string(c) + s[1:]
	}
	tests := []struct {
		name   string
		mode   awschunked.Mode
		body   []byte
		length int   // DecodedLength; 0 means len(payload), -1 means 0
		min    int   // MinChunkSize; 0 means -1 (no minimum)
		want   error // the sentinel
	}{
		{"flipped data byte", awschunked.Signed, replace(t, signed, "abcdefgh", "abcdefgH"), 0, 0, awschunked.ErrSignature},
		{"flipped data byte, last chunk", awschunked.SignedTrailer, replace(t, signedTr, "abcdefgh\r\n0;", "abcdefgX\r\n0;"), 0, 0, awschunked.ErrSignature},
		{"flipped chunk signature", awschunked.Signed, replace(t, signed, firstSig, flip(firstSig)), 0, 0, awschunked.ErrSignature},
		{"uppercase chunk signature", awschunked.Signed, replace(t, signed, firstSig, strings.ToUpper(firstSig)), 0, 0, awschunked.ErrSignature},
		{"flipped final signature", awschunked.Signed, replace(t, signed, finalSig(signed), flip(finalSig(signed))), 0, 0, awschunked.ErrSignature},
		{"signature of another chunk", awschunked.Signed, replace(t, signed, firstSig, finalSig(signed)), 0, 0, awschunked.ErrSignature},
		{"dropped final chunk", awschunked.Signed, signed[:bytes.Index(signed, []byte("0;chunk-signature"))], 0, 0, awschunked.ErrTruncated},
		{"dropped final chunk, unsigned", awschunked.Unsigned, unsigned[:bytes.Index(unsigned, []byte("\r\n0\r\n"))+2], 0, 0, awschunked.ErrTruncated},
		{"decoded length too large", awschunked.Unsigned, unsigned, len(payload) + 1, 0, awschunked.ErrLength},
		{"decoded length too small", awschunked.Unsigned, unsigned, len(payload) - 1, 0, awschunked.ErrLength},
		{"decoded length too small, signed", awschunked.Signed, signed, len(payload) - 1, 0, awschunked.ErrLength},
		{"oversize chunk line", awschunked.Unsigned, []byte(strings.Repeat("0", 300) + "b\r\nhello world\r\n0\r\n\r\n"), 11, 0, awschunked.ErrMalformed},
		{"endless chunk line", awschunked.Unsigned, bytes.Repeat([]byte("0"), 1<<20), 11, 0, awschunked.ErrMalformed},
		{"17 hex digits", awschunked.Unsigned, []byte("0000000000000000b\r\nhello world\r\n0\r\n\r\n"), 11, 0, awschunked.ErrMalformed},
		{"huge hex size", awschunked.Unsigned, []byte("ffffffffffffffffff\r\nhello\r\n0\r\n\r\n"), 5, 0, awschunked.ErrMalformed},
		{"size over the remaining length", awschunked.Unsigned, []byte("ffffffffffffffff\r\nhello\r\n0\r\n\r\n"), 5, 0, awschunked.ErrLength},
		{"size over int64", awschunked.Unsigned, []byte("8000000000000000\r\nhello\r\n0\r\n\r\n"), 1 << 62, 0, awschunked.ErrLength},
		{"empty size", awschunked.Unsigned, []byte("\r\n"), 0, 0, awschunked.ErrMalformed},
		{"non-hex size", awschunked.Unsigned, []byte("0x5\r\nhello\r\n0\r\n\r\n"), 5, 0, awschunked.ErrMalformed},
		{"space after size", awschunked.Unsigned, []byte("5 \r\nhello\r\n0\r\n\r\n"), 5, 0, awschunked.ErrMalformed},
		{"negative size", awschunked.Unsigned, []byte("-5\r\nhello\r\n0\r\n\r\n"), 5, 0, awschunked.ErrMalformed},
		{"missing CRLF after data", awschunked.Unsigned, []byte("5\r\nhello0\r\n\r\n"), 5, 0, awschunked.ErrMalformed},
		{"LF alone after data", awschunked.Unsigned, []byte("5\r\nhello\n0\r\n\r\n"), 5, 0, awschunked.ErrMalformed},
		{"LF alone after size", awschunked.Unsigned, []byte("5\nhello\r\n0\r\n\r\n"), 5, 0, awschunked.ErrMalformed},
		{"CR alone after size", awschunked.Unsigned, []byte("5\rhello\r\n0\r\n\r\n"), 5, 0, awschunked.ErrMalformed},
		{"chunk longer than its size", awschunked.Unsigned, []byte("4\r\nhello\r\n0\r\n\r\n"), 4, 0, awschunked.ErrMalformed},
		{"trailer without final blank line", awschunked.Unsigned, []byte("5\r\nhello\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n"), 5, 0, awschunked.ErrTruncated},
		{"trailer without CRLF", awschunked.Unsigned, []byte("5\r\nhello\r\n0\r\nx-amz-checksum-crc32:AAAAAA=="), 5, 0, awschunked.ErrTruncated},
		{"no blank line", awschunked.Unsigned, []byte("5\r\nhello\r\n0\r\n"), 5, 0, awschunked.ErrTruncated},
		{"data after the end", awschunked.Unsigned, append(bytes.Clone(unsigned), '\r', '\n'), 0, 0, awschunked.ErrMalformed},
		{"data after the end, signed", awschunked.Signed, append(bytes.Clone(signed), 'x'), 0, 0, awschunked.ErrMalformed},
		{"trailer without colon", awschunked.Unsigned, []byte("0\r\nx-amz-checksum-crc32 AAAAAA==\r\n\r\n"), -1, 0, awschunked.ErrMalformed},
		{"trailer with empty name", awschunked.Unsigned, []byte("0\r\n:AAAAAA==\r\n\r\n"), -1, 0, awschunked.ErrMalformed},
		{"trailer name with space", awschunked.Unsigned, []byte("0\r\nx-amz checksum:AAAAAA==\r\n\r\n"), -1, 0, awschunked.ErrMalformed},
		{"repeated trailer", awschunked.Unsigned, []byte("0\r\na:1\r\nA:2\r\n\r\n"), -1, 0, awschunked.ErrMalformed},
		{"trailer too large", awschunked.Unsigned, []byte("0\r\na:" + strings.Repeat("x", 20000) + "\r\n\r\n"), -1, 0, awschunked.ErrMalformed},
		{"many trailers", awschunked.Unsigned, []byte("0\r\n" + strings.Repeat("a:b\r\n", 4000) + "\r\n"), -1, 0, awschunked.ErrMalformed},
		{"endless trailer", awschunked.Unsigned, append([]byte("0\r\na:"), bytes.Repeat([]byte("x"), 1<<20)...), -1, 0, awschunked.ErrMalformed},
		{"trailer signature in an unsigned body", awschunked.Unsigned, []byte("0\r\nx-amz-trailer-signature:" + strings.Repeat("0", 64) + "\r\n\r\n"), -1, 0, awschunked.ErrMalformed},
		{"chunk signature in an unsigned body", awschunked.Unsigned, []byte("0;chunk-signature=" + strings.Repeat("0", 64) + "\r\n\r\n"), -1, 0, awschunked.ErrMalformed},
		{"chunk without signature", awschunked.Signed, replace(t, signed, "2000;chunk-signature="+firstSig, "2000"), 0, 0, awschunked.ErrMalformed},
		{"final chunk without signature", awschunked.Signed, replace(t, signed, "0;chunk-signature="+finalSig(signed), "0"), 0, 0, awschunked.ErrMalformed},
		{"short chunk signature", awschunked.Signed, replace(t, signed, firstSig, firstSig[:63]), 0, 0, awschunked.ErrMalformed},
		{"other chunk extension", awschunked.Signed, replace(t, signed, "2000;chunk-signature=", "2000;chunk-signatur="), 0, 0, awschunked.ErrMalformed},
		{"trailer in a signed body", awschunked.Signed, replace(t, signed, "\r\n\r\n", "\r\na:b\r\n\r\n"), 0, 0, awschunked.ErrMalformed},
		{"signed trailer mismatch", awschunked.SignedTrailer, replace(t, signedTr, "DUoRhQ==", "DUoRhQ=A"), 0, 0, awschunked.ErrSignature},
		{"trailer signature flipped", awschunked.SignedTrailer, replace(t, signedTr, trailerSigOf(signedTr), flip(trailerSigOf(signedTr))), 0, 0, awschunked.ErrSignature},
		{"trailer signature too long", awschunked.SignedTrailer, replace(t, signedTr, "x-amz-trailer-signature:", "x-amz-trailer-signature:f"), 0, 0, awschunked.ErrMalformed},
		{"trailer signature repeated", awschunked.SignedTrailer, replace(t, signedTr, "x-amz-checksum-crc32:DUoRhQ==\r\n", "x-amz-checksum-crc32:DUoRhQ==\r\nx-amz-trailer-signature:"+trailerSigOf(signedTr)+"\r\n"), 0, 0, awschunked.ErrMalformed},
		{"trailer added", awschunked.SignedTrailer, replace(t, signedTr, "x-amz-checksum-crc32", "x-amz-meta-a:b\r\nx-amz-checksum-crc32"), 0, 0, awschunked.ErrSignature},
		{"trailer dropped", awschunked.SignedTrailer, replace(t, signedTr, "x-amz-checksum-crc32:DUoRhQ==\r\n", ""), 0, 0, awschunked.ErrSignature},
		{"trailer signature missing", awschunked.SignedTrailer, signedTr[:bytes.Index(signedTr, []byte("x-amz-trailer-signature"))], 0, 0, awschunked.ErrTruncated},
		{"trailer signature line dropped", awschunked.SignedTrailer, append(signedTr[:bytes.Index(signedTr, []byte("x-amz-trailer-signature"))], "\r\n"...), 0, 0, awschunked.ErrMalformed},
		{"trailer after the signature", awschunked.SignedTrailer, replace(t, signedTr, "\r\n\r\n", "\r\na:b\r\n\r\n"), 0, 0, awschunked.ErrMalformed},
		{"chunk too small", awschunked.Signed, encode(awschunked.Signed, seed, payload, 4096, nil), 0, 8192, awschunked.ErrChunkTooSmall},
		{"chunk too small, default minimum", awschunked.SignedTrailer, encode(awschunked.SignedTrailer, seed, payload, 8191, tr), 0, -2, awschunked.ErrChunkTooSmall},
		{"early final chunk", awschunked.Unsigned, []byte("5\r\nhello\r\n0\r\n\r\n"), 6, 0, awschunked.ErrLength},
		{"empty body", awschunked.Unsigned, nil, -1, 0, awschunked.ErrTruncated},
	}
	keyHex := fmt.Sprintf("%x", seed.Key)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := options(tc.mode, len(payload))
			if tc.length != 0 {
				o.DecodedLength = max(int64(tc.length), 0)
			}
			switch tc.min {
			case 0:
			case -2:
				o.MinChunkSize = 0
			default:
				o.MinChunkSize = tc.min
			}
			r, err := awschunked.NewReader(bytes.NewReader(tc.body), o)
			if err != nil {
				t.Fatal(err)
			}
			n, err := io.Copy(io.Discard, r)
			if !errors.Is(err, tc.want) {
				t.Fatalf("after %d bytes: %v, want %v", n, err, tc.want)
			}
			if n > o.DecodedLength {
				t.Errorf("%d bytes returned, more than the %d declared", n, o.DecodedLength)
			}
			if errors.Is(tc.want, awschunked.ErrTruncated) && !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Errorf("%v does not wrap io.ErrUnexpectedEOF", err)
			}
			if strings.Contains(err.Error(), keyHex) {
				t.Errorf("error shows the key: %v", err)
			}
			if m, err2 := r.Read(make([]byte, 10)); m != 0 || err2 != err {
				t.Errorf("next Read = %d, %v; want 0, %v", m, err2, err)
			}
			if tr := r.Trailers(); tr != nil {
				t.Errorf("Trailers() = %v after a failure", tr)
			}
		})
	}
}

// TestEveryPrefixFails: no proper prefix of a valid body decodes; every
// one is reported as truncated, never as io.EOF.
func TestEveryPrefixFails(t *testing.T) {
	payload := []byte("The quick brown fox jumps over the lazy dog")
	tr := [][2]string{{"x-amz-checksum-crc32", "DUoRhQ=="}, {"x-amz-meta-a", "b"}}
	for _, mode := range []awschunked.Mode{awschunked.Unsigned, awschunked.Signed, awschunked.SignedTrailer} {
		body := encode(mode, testSeed(), payload, 10, tr)
		if mode == awschunked.Signed {
			body = encode(mode, testSeed(), payload, 10, nil)
		}
		for i := 0; i < len(body); i++ {
			got, _, err := decode(bytes.NewReader(body[:i]), options(mode, len(payload)))
			if err == nil {
				t.Fatalf("%v: prefix of %d of %d bytes decoded to %q", mode, i, len(body), got)
			}
			if !errors.Is(err, awschunked.ErrTruncated) {
				t.Errorf("%v: prefix of %d bytes: %v", mode, i, err)
			}
			if !bytes.HasPrefix(payload, got) {
				t.Errorf("%v: prefix of %d bytes gave %q, not a prefix of the payload", mode, i, got)
			}
		}
		if _, _, err := decode(bytes.NewReader(body), options(mode, len(payload))); err != nil {
			t.Errorf("%v: the whole body: %v", mode, err)
		}
	}
}
