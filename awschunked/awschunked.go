// Package awschunked decodes the aws-chunked request bodies S3 clients
// send with Content-Encoding: aws-chunked, in the three streaming formats
// that x-amz-content-sha256 announces:
//
//   - STREAMING-UNSIGNED-PAYLOAD-TRAILER ([Unsigned]): chunks without
//     signatures, then trailer headers (the checksum botocore and
//     aws-sdk-go-v2 send by default over HTTPS);
//   - STREAMING-AWS4-HMAC-SHA256-PAYLOAD ([Signed]): every chunk signed,
//     each signature chained to the previous one, starting from the
//     request's own SigV4 signature (the seed);
//   - STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER ([SignedTrailer]): signed
//     chunks, then trailer headers covered by x-amz-trailer-signature.
//
// It uses only the standard library. The caller (the S3 layer) has
// verified the request's signature first (sigv4.Verifier.VerifyStream,
// which gives the [Seed] of a signed body), then wraps the body:
//
//	r, err := awschunked.NewReader(req.Body, awschunked.Options{
//		Mode:          mode,          // from awschunked.ParseMode
//		Seed:          seed,          // nil for Unsigned
//		DecodedLength: decodedLength, // x-amz-decoded-content-length
//	})
//	// copy r to a temporary file; commit only once Read returned io.EOF,
//	// then check the checksum in r.Trailers() against what was written.
//
// # Framing
//
// A body is a sequence of chunks
//
//	hex-size [";chunk-signature=" 64-hex] CRLF data CRLF
//
// ending with a zero-size chunk. After the zero-size chunk's line come
// trailer lines "name:value" CRLF (trailer formats only; in
// SignedTrailer the last one is x-amz-trailer-signature) and an empty
// line. Signed bodies carry a signature on every chunk, the zero-size one
// included; unsigned bodies carry none. Sizes are hexadecimal in either
// case, at most 16 digits, and must not go beyond the declared decoded
// length. In the signed formats every data chunk but the last must hold
// at least [Options.MinChunkSize] bytes (8 KiB by default). Nothing may
// follow the final empty line.
//
// The decoder is strict where the format leaves room: an unsigned body's
// chunk lines carry no extension at all, a signed body's exactly one
// chunk-signature; trailer names are HTTP tokens, matched without regard
// to case and reported in lower case, each at most once, with values
// trimmed of spaces and tabs; x-amz-trailer-signature appears in
// SignedTrailer bodies only, as the last trailer line. The trailer
// signature covers the other trailer lines, in the order sent, each as
// "name:value\n" (lower-case name, trimmed value).
//
// # Memory
//
// The decoder streams: it holds one bounded line (chunk lines are at most
// 256 bytes), the trailer section (at most [Options.MaxTrailerBytes]) and
// a 32 KiB read buffer, never a whole chunk, so a body of any size
// decodes in bounded memory.
//
// # When data is trustworthy
//
// Read hands out a chunk's data as it arrives, before the chunk's
// signature (which follows the data) can be checked; it checks each
// signature as soon as the chunk's data ends, and never returns the last
// bytes of a chunk whose signature does not match: that Read returns 0
// and [ErrSignature] instead. Earlier bytes of the same chunk may already
// have been returned. Hence the contract: the caller must not commit,
// publish or act on any of the data until Read has returned io.EOF. Any
// fault is returned by Read and by every later Read, and means the whole
// body must be discarded.
//
// # Errors
//
// Errors wrap one of the sentinel errors below (test with errors.Is) and
// add detail; they never contain the signing key or a signature the
// decoder computed. A failure of the underlying reader is returned
// wrapped, without a sentinel, so that the caller can tell a dropped
// connection (or an http.MaxBytesError) from a bad body.
package awschunked

import (
	"errors"
	"fmt"
	"log/slog"
)

// Mode says which streaming payload format a body uses: the value of the
// request's x-amz-content-sha256 header.
type Mode int

// The streaming formats.
const (
	// Unsigned is STREAMING-UNSIGNED-PAYLOAD-TRAILER: unsigned chunks,
	// then optional trailer headers that are not signed.
	Unsigned Mode = iota
	// Signed is STREAMING-AWS4-HMAC-SHA256-PAYLOAD: signed chunks and no
	// trailer.
	Signed
	// SignedTrailer is STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER: signed
	// chunks, then trailer headers signed by x-amz-trailer-signature.
	SignedTrailer
)

// The x-amz-content-sha256 values of the modes.
const (
	unsignedValue      = "STREAMING-UNSIGNED-PAYLOAD-TRAILER"
	signedValue        = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
	signedTrailerValue = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"
)

// ParseMode maps an x-amz-content-sha256 value to a Mode. ok is false for
// any other value: a payload hash, UNSIGNED-PAYLOAD, and the SigV4a forms
// (STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD and its -TRAILER variant),
// which Gatehouse does not serve. The match is exact (case-sensitive).
func ParseMode(contentSHA256 string) (Mode, bool) {
	switch contentSHA256 {
	case unsignedValue:
		return Unsigned, true
	case signedValue:
		return Signed, true
	case signedTrailerValue:
		return SignedTrailer, true
	}
	return 0, false
}

// String returns the x-amz-content-sha256 value of m.
func (m Mode) String() string {
	switch m {
	case Unsigned:
		return unsignedValue
	case Signed:
		return signedValue
	case SignedTrailer:
		return signedTrailerValue
	}
	return fmt.Sprintf("awschunked.Mode(%d)", int(m))
}

// signed reports whether the chunks of m carry signatures.
func (m Mode) signed() bool { return m == Signed || m == SignedTrailer }

// Seed is what verifying the chunk signatures of a signed body needs from
// the request's SigV4 signature. String, GoString and LogValue never show
// Key.
type Seed struct {
	Key       [32]byte // the derived SigV4 signing key (kDate→kRegion→kService→kSigning): secret
	Date      string   // X-Amz-Date as sent, e.g. 20260101T000000Z
	Scope     string   // the credential scope, e.g. 20260101/us-east-1/s3/aws4_request
	Signature string   // the request's signature (64 lowercase hex), the first chunk's "previous signature"
}

// String describes s without its key.
func (s Seed) String() string {
	return fmt.Sprintf("awschunked.Seed{Key:REDACTED Date:%s Scope:%s Signature:%s}", s.Date, s.Scope, s.Signature)
}

// GoString is String, so that %#v does not show the key either.
func (s Seed) GoString() string { return s.String() }

// LogValue logs s without its key.
func (s Seed) LogValue() slog.Value { return slog.StringValue(s.String()) }

// Options configure a [Reader].
type Options struct {
	// Mode is the body's streaming format.
	Mode Mode
	// Seed is required for Signed and SignedTrailer, and ignored for
	// Unsigned.
	Seed *Seed
	// DecodedLength is the x-amz-decoded-content-length header: the
	// number of payload bytes. S3 requires the header; pass -1 when it is
	// absent and NewReader returns ErrMissingLength.
	DecodedLength int64
	// MinChunkSize is the smallest size of a signed data chunk other than
	// the last one. 0 means the default, 8192 (S3's documented minimum);
	// a negative value disables the check. Unsigned bodies are not
	// checked.
	MinChunkSize int
	// MaxTrailerBytes bounds the trailer section, CRLFs included, from
	// the line after the zero-size chunk's to the final empty line. 0 (or
	// a negative value) means the default, 16 KiB.
	MaxTrailerBytes int
}

// Defaults of [Options].
const (
	DefaultMinChunkSize    = 8192
	DefaultMaxTrailerBytes = 16 << 10
)

// The errors a [Reader] reports, wrapped with detail. The comments give
// the S3 error each one most likely maps to; the S3 reference (§2.2)
// marks IncompleteBody and SignatureDoesNotMatch as unconfirmed there.
var (
	// ErrMissingLength (from NewReader): DecodedLength is negative, i.e.
	// x-amz-decoded-content-length is absent (S3: 411 MissingContentLength
	// or 400 InvalidRequest).
	ErrMissingLength = errors.New("awschunked: missing x-amz-decoded-content-length")
	// ErrMalformed: the framing is wrong: a bad chunk line, a missing
	// CRLF, an overlong line, a malformed or oversized trailer, a missing
	// chunk or trailer signature, data after the end (S3: 400
	// InvalidRequest, or MalformedTrailerError for the trailer).
	ErrMalformed = errors.New("awschunked: malformed aws-chunked body")
	// ErrTruncated: the body ended before its final empty line. Such
	// errors also wrap io.ErrUnexpectedEOF (S3: 400 IncompleteBody).
	ErrTruncated = errors.New("awschunked: aws-chunked body ends early")
	// ErrLength: the chunks add up to more or fewer bytes than
	// DecodedLength (S3: 400 IncompleteBody).
	ErrLength = errors.New("awschunked: decoded length does not match x-amz-decoded-content-length")
	// ErrSignature: a chunk signature or the trailer signature does not
	// match (S3: 403 SignatureDoesNotMatch).
	ErrSignature = errors.New("awschunked: signature does not match")
	// ErrChunkTooSmall: a signed data chunk other than the last is
	// smaller than MinChunkSize (S3: 400 InvalidRequest).
	ErrChunkTooSmall = errors.New("awschunked: chunk smaller than the minimum chunk size")
)
