package awschunked_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strings"

	"github.com/gatehouse-dev/gatehouse/awschunked"
)

// The AWS documentation's example credentials and request
// ("Signature Calculations for the Authorization Header: Transferring
// Payload in Multiple Chunks").
const (
	exampleSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	exampleDate   = "20130524T000000Z"
	exampleScope  = "20130524/us-east-1/s3/aws4_request"
	exampleSeed   = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9"
)

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

// deriveKey is SigV4's signing key: HMAC chain over date, region,
// service and "aws4_request", keyed first with "AWS4"+secret.
func deriveKey(secret, date, region, service string) [32]byte {
	k := hmacSHA256([]byte("AWS4"+secret), date)
	k = hmacSHA256(k, region)
	k = hmacSHA256(k, service)
	return [32]byte(hmacSHA256(k, "aws4_request"))
}

// exampleSeedValue is the seed of the AWS example request.
func exampleSeedValue() *awschunked.Seed {
	return &awschunked.Seed{Key: deriveKey(exampleSecret, "20130524", "us-east-1", "s3"), Date: exampleDate, Scope: exampleScope, Signature: exampleSeed}
}

// testSeed is a seed for bodies this test encodes itself.
func testSeed() *awschunked.Seed {
	return &awschunked.Seed{Key: deriveKey("test-secret", "20260101", "us-east-1", "s3"), Date: "20260101T000000Z",
		Scope: "20260101/us-east-1/s3/aws4_request", Signature: strings.Repeat("0123456789abcdef", 4)}
}

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// chunkSig signs one chunk the way a client does.
func chunkSig(s *awschunked.Seed, prev string, data []byte) string {
	sts := "AWS4-HMAC-SHA256-PAYLOAD\n" + s.Date + "\n" + s.Scope + "\n" + prev + "\n" + sha256Hex(nil) + "\n" + sha256Hex(data)
	return hex.EncodeToString(hmacSHA256(s.Key[:], sts))
}

// trailerSig signs a trailer the way a client does.
func trailerSig(s *awschunked.Seed, prev string, trailers [][2]string) string {
	var canon strings.Builder
	for _, t := range trailers {
		canon.WriteString(t[0] + ":" + t[1] + "\n")
	}
	sts := "AWS4-HMAC-SHA256-TRAILER\n" + s.Date + "\n" + s.Scope + "\n" + prev + "\n" + sha256Hex([]byte(canon.String()))
	return hex.EncodeToString(hmacSHA256(s.Key[:], sts))
}

// encode frames payload in chunks of chunk bytes (the last one shorter),
// signing them for the signed modes with seed, then appends trailers
// (for the trailer modes).
func encode(mode awschunked.Mode, seed *awschunked.Seed, payload []byte, chunk int, trailers [][2]string) []byte {
	var b bytes.Buffer
	signed := mode != awschunked.Unsigned
	prev := ""
	if signed {
		prev = seed.Signature
	}
	writeChunk := func(data []byte) {
		fmt.Fprintf(&b, "%x", len(data))
		if signed {
			prev = chunkSig(seed, prev, data)
			b.WriteString(";chunk-signature=" + prev)
		}
		b.WriteString("\r\n")
		if len(data) > 0 || mode == awschunked.Signed {
			b.Write(data)
			b.WriteString("\r\n")
		}
	}
	for rest := payload; len(rest) > 0; {
		n := min(chunk, len(rest))
		writeChunk(rest[:n])
		rest = rest[n:]
	}
	writeChunk(nil)
	if mode == awschunked.Signed {
		return b.Bytes()
	}
	for _, t := range trailers {
		b.WriteString(t[0] + ":" + t[1] + "\r\n")
	}
	if mode == awschunked.SignedTrailer {
		b.WriteString("x-amz-trailer-signature:" + trailerSig(seed, prev, trailers) + "\r\n")
	}
	b.WriteString("\r\n")
	return b.Bytes()
}

// options are the Options for a body encoded by encode.
func options(mode awschunked.Mode, n int) awschunked.Options {
	o := awschunked.Options{Mode: mode, DecodedLength: int64(n), MinChunkSize: -1}
	if mode != awschunked.Unsigned {
		o.Seed = testSeed()
	}
	return o
}

// decode reads the whole of body.
func decode(body io.Reader, o awschunked.Options) ([]byte, map[string]string, error) {
	r, err := awschunked.NewReader(body, o)
	if err != nil {
		return nil, nil, err
	}
	got, err := io.ReadAll(r)
	if err != nil {
		if r.Trailers() != nil {
			return got, nil, fmt.Errorf("Trailers() = %v after error %w", r.Trailers(), err)
		}
		return got, nil, err
	}
	return got, r.Trailers(), nil
}

// framedBody streams an unsigned body of n bytes in chunks of chunk bytes
// without holding it: one data chunk frame is built and repeated.
type framedBody struct {
	frame, tail []byte
	frames      int // full frames still to send
	cur         []byte
}

func newFramedBody(n int64, chunk int) *framedBody {
	data := bytes.Repeat([]byte("0123456789abcdef"), chunk/16+1)[:chunk]
	frame := fmt.Appendf(nil, "%x\r\n%s\r\n", chunk, data)
	var tail []byte
	if last := int(n % int64(chunk)); last > 0 {
		tail = fmt.Appendf(tail, "%x\r\n%s\r\n", last, data[:last])
	}
	tail = append(tail, "0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n"...)
	return &framedBody{frame: frame, tail: tail, frames: int(n / int64(chunk))}
}

func (f *framedBody) Read(p []byte) (int, error) {
	if len(f.cur) == 0 {
		switch {
		case f.frames > 0:
			f.frames--
			f.cur = f.frame
		case f.tail != nil:
			f.cur, f.tail = f.tail, nil
		default:
			return 0, io.EOF
		}
	}
	n := copy(p, f.cur)
	f.cur = f.cur[n:]
	return n, nil
}
