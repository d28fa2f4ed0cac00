package awschunked

import (
	"bufio"
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"strings"
)

const (
	// maxChunkLine bounds a chunk line without its CRLF: 16 hex digits,
	// ";chunk-signature=" and 64 hex digits are 97 bytes.
	maxChunkLine = 256
	// bufferSize is the read buffer's size.
	bufferSize = 32 << 10
	// emptySHA256 is the hex SHA-256 of the empty string, the fifth line
	// of a chunk's string to sign.
	emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	// The first lines of the strings to sign of a chunk and of a trailer.
	chunkAlgorithm   = "AWS4-HMAC-SHA256-PAYLOAD\n"
	trailerAlgorithm = "AWS4-HMAC-SHA256-TRAILER\n"
	// The prefix of a signed chunk's extension, and the trailer signature.
	chunkSignature   = "chunk-signature="
	trailerSignature = "x-amz-trailer-signature"
)

// Reader decodes an aws-chunked body, yielding the payload. It is not
// safe for concurrent use. See the package documentation for when its
// data may be trusted.
type Reader struct {
	br         *bufio.Reader
	mode       Mode
	remaining  int64 // payload bytes not yet announced by a chunk line
	chunkLeft  int64 // data bytes of the current chunk still to read; 0 at a chunk line
	minChunk   int64
	maxTrailer int
	err        error // sticky: io.EOF once the body ended well, or the fault
	trailers   map[string]string
	line       []byte // the current line, reused
	chunks     int    // data chunks seen

	// Signed modes only. The key lives inside mac alone, behind a
	// pointer, so that printing a Reader cannot show it.
	mac         hash.Hash // HMAC-SHA256 keyed with the signing key
	sha         hash.Hash // SHA-256 of the current chunk's data, or of the canonical trailer
	chunkHead   []byte    // the string to sign of a chunk up to the previous signature
	trailerHead []byte    // the same for the trailer
	scratch     []byte    // a canonical trailer line
	prev        [64]byte  // the previous signature (hex)
	claimed     [64]byte  // the signature the current chunk (or the trailer) carries
	sum         [32]byte
	hexSum      [64]byte
	computed    [32]byte
	hexComp     [64]byte
}

// NewReader returns a Reader that decodes body as o describes. It returns
// ErrMissingLength when o.DecodedLength is negative, and another error
// for an unknown mode, or a signed mode without a well-formed Seed (a
// mistake of the caller, not of the client).
func NewReader(body io.Reader, o Options) (*Reader, error) {
	if o.DecodedLength < 0 {
		return nil, ErrMissingLength
	}
	if o.Mode != Unsigned && o.Mode != Signed && o.Mode != SignedTrailer {
		return nil, fmt.Errorf("awschunked: unknown mode %d", int(o.Mode))
	}
	r := &Reader{
		br:         bufio.NewReaderSize(body, bufferSize),
		mode:       o.Mode,
		remaining:  o.DecodedLength,
		minChunk:   int64(o.MinChunkSize),
		maxTrailer: o.MaxTrailerBytes,
		line:       make([]byte, 0, maxChunkLine),
	}
	if o.MinChunkSize == 0 {
		r.minChunk = DefaultMinChunkSize
	}
	if r.maxTrailer <= 0 {
		r.maxTrailer = DefaultMaxTrailerBytes
	}
	if o.Mode.signed() {
		s := o.Seed
		if s == nil {
			return nil, fmt.Errorf("awschunked: mode %v needs a Seed", o.Mode)
		}
		if len(s.Signature) != len(r.prev) {
			return nil, fmt.Errorf("awschunked: seed signature has %d characters, want %d", len(s.Signature), len(r.prev))
		}
		r.mac = hmac.New(sha256.New, s.Key[:])
		r.sha = sha256.New()
		dateScope := s.Date + "\n" + s.Scope + "\n"
		r.chunkHead = []byte(chunkAlgorithm + dateScope)
		r.trailerHead = []byte(trailerAlgorithm + dateScope)
		copy(r.prev[:], s.Signature)
	}
	return r, nil
}

// Read reads decoded payload into p. It returns io.EOF only once the
// zero-size chunk, the trailer (if any) and the closing empty line have
// been read and verified, nothing follows them, and the payload's size
// equals DecodedLength. Any fault is returned by this and every later
// Read. Read never returns the last bytes of a chunk before that chunk's
// signature has been verified; the caller must still not commit any
// data before io.EOF (see the package documentation).
func (r *Reader) Read(p []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	if len(p) == 0 {
		return 0, nil
	}
	for r.chunkLeft == 0 {
		if err := r.nextChunk(); err != nil {
			return 0, r.fail(err)
		}
		if r.err != nil {
			return 0, r.err
		}
	}
	if int64(len(p)) > r.chunkLeft {
		p = p[:r.chunkLeft]
	}
	n, err := r.br.Read(p)
	if err != nil {
		return 0, r.fail(readError(err))
	}
	r.chunkLeft -= int64(n)
	if r.mac != nil {
		r.sha.Write(p[:n])
	}
	if r.chunkLeft == 0 {
		if err := r.endChunk(); err != nil {
			return 0, r.fail(err)
		}
	}
	return n, nil
}

// Trailers returns the trailer headers, by lower-case name (for instance
// "x-amz-checksum-crc32"), once Read has returned io.EOF, and nil before
// or after a failure. x-amz-trailer-signature is not included. The map is
// empty, not nil, for a body without trailers. The checksum values are
// not verified here: that is the caller's job.
func (r *Reader) Trailers() map[string]string {
	if r.err != io.EOF {
		return nil
	}
	return r.trailers
}

// fail records err as the Reader's sticky error and returns it.
func (r *Reader) fail(err error) error {
	r.err = err
	return err
}

// nextChunk reads a chunk line. For a data chunk it sets chunkLeft; for
// the zero-size chunk it verifies its signature, reads the trailer and
// checks the end of the body, then sets r.err to io.EOF.
func (r *Reader) nextChunk() error {
	line, err := r.readLine(maxChunkLine)
	if err != nil {
		return err
	}
	size, err := r.parseChunkLine(line)
	if err != nil {
		return err
	}
	switch {
	case size > uint64(r.remaining):
		return fmt.Errorf("%w: a chunk of %d bytes when %d remain", ErrLength, size, r.remaining)
	case size == 0 && r.remaining > 0:
		return fmt.Errorf("%w: the final chunk comes %d bytes short", ErrLength, r.remaining)
	case r.mode.signed() && r.minChunk > 0 && size > 0 && int64(size) < r.minChunk && int64(size) != r.remaining:
		return fmt.Errorf("%w: a chunk of %d bytes, not the last one, is below %d", ErrChunkTooSmall, size, r.minChunk)
	}
	if size > 0 {
		r.chunks++
		r.chunkLeft = int64(size)
		r.remaining -= int64(size)
		if r.mac != nil {
			r.sha.Reset()
		}
		return nil
	}
	if r.mac != nil {
		if err := r.verify(r.chunkHead, chunkMid, chunkMid[:len(emptySHA256)]); err != nil {
			return fmt.Errorf("%w: chunk %d (the final one)", err, r.chunks+1)
		}
	}
	if err := r.readTrailer(); err != nil {
		return err
	}
	switch _, err := r.br.Peek(1); err {
	case nil:
		return fmt.Errorf("%w: data after the end of the body", ErrMalformed)
	case io.EOF:
	default:
		return readError(err)
	}
	if r.trailers == nil {
		r.trailers = map[string]string{}
	}
	r.err = io.EOF
	return nil
}

// parseChunkLine parses "hex-size" or "hex-size;chunk-signature=sig"; it
// copies a signature to r.claimed.
func (r *Reader) parseChunkLine(line []byte) (uint64, error) {
	sizePart, ext, hasExt := bytes.Cut(line, []byte(";"))
	if len(sizePart) == 0 || len(sizePart) > 16 {
		return 0, fmt.Errorf("%w: chunk size of %d hex digits", ErrMalformed, len(sizePart))
	}
	var size uint64
	for i := 0; i < len(sizePart); i++ {
		d := unhex(sizePart[i])
		if d > 15 {
			return 0, fmt.Errorf("%w: chunk size %q is not hexadecimal", ErrMalformed, sizePart)
		}
		size = size<<4 | uint64(d)
	}
	if !r.mode.signed() {
		if hasExt {
			return 0, fmt.Errorf("%w: chunk extension in an unsigned body", ErrMalformed)
		}
		return size, nil
	}
	sig, ok := bytes.CutPrefix(ext, []byte(chunkSignature))
	if !hasExt || !ok {
		return 0, fmt.Errorf("%w: chunk without %s", ErrMalformed, chunkSignature)
	}
	if len(sig) != len(r.claimed) {
		return 0, fmt.Errorf("%w: chunk signature of %d characters", ErrMalformed, len(sig))
	}
	copy(r.claimed[:], sig)
	return size, nil
}

// unhex returns the value of a hex digit (either case), or 255.
func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10
	}
	return 255
}

// endChunk reads the CRLF after a chunk's data and verifies its
// signature.
func (r *Reader) endChunk() error {
	if err := r.readCRLF(); err != nil {
		return err
	}
	if r.mac == nil {
		return nil
	}
	hex.Encode(r.hexSum[:], r.sha.Sum(r.sum[:0]))
	if err := r.verify(r.chunkHead, chunkMid, r.hexSum[:]); err != nil {
		return fmt.Errorf("%w: chunk %d", err, r.chunks)
	}
	return nil
}

// chunkMid is the line between the previous signature and the data's
// hash in a chunk's string to sign.
var chunkMid = []byte(emptySHA256 + "\n")

// newline is "\n", as a slice that need not be allocated at each use.
var newline = []byte("\n")

// verify checks r.claimed against the signature of the string to sign
// head (algorithm, date and scope lines), previous signature, mid and
// payloadHash (hex), and makes it the previous signature.
func (r *Reader) verify(head, mid, payloadHash []byte) error {
	r.mac.Reset()
	r.mac.Write(head)
	r.mac.Write(r.prev[:])
	r.mac.Write(newline)
	r.mac.Write(mid)
	r.mac.Write(payloadHash)
	hex.Encode(r.hexComp[:], r.mac.Sum(r.computed[:0]))
	ok := hmac.Equal(r.hexComp[:], r.claimed[:])
	clear(r.hexComp[:]) // the expected signature is not left behind
	clear(r.computed[:])
	if !ok {
		return ErrSignature
	}
	r.prev = r.claimed
	return nil
}

// readTrailer reads the trailer lines and the final empty line, and, for
// SignedTrailer, verifies x-amz-trailer-signature.
func (r *Reader) readTrailer() error {
	budget := r.maxTrailer
	signed := false
	if r.mac != nil {
		r.sha.Reset()
	}
	for {
		if budget < 2 {
			return fmt.Errorf("%w: trailer longer than %d bytes", ErrMalformed, r.maxTrailer)
		}
		line, err := r.readLine(budget - 2)
		if err != nil {
			if errors.Is(err, errLineTooLong) {
				return fmt.Errorf("%w: trailer longer than %d bytes", ErrMalformed, r.maxTrailer)
			}
			return err
		}
		budget -= len(line) + 2
		if len(line) == 0 {
			break
		}
		if r.mode == Signed {
			return fmt.Errorf("%w: trailer in a %s body", ErrMalformed, signedValue)
		}
		if signed {
			return fmt.Errorf("%w: trailer line after %s", ErrMalformed, trailerSignature)
		}
		name, value, ok := strings.Cut(string(line), ":")
		if !ok || !isToken(name) {
			return fmt.Errorf("%w: trailer line is not name:value", ErrMalformed)
		}
		name = strings.ToLower(name)
		value = strings.Trim(value, " \t")
		if name == trailerSignature {
			if r.mode != SignedTrailer {
				return fmt.Errorf("%w: %s in an unsigned body", ErrMalformed, trailerSignature)
			}
			if len(value) != len(r.claimed) {
				return fmt.Errorf("%w: %s of %d characters", ErrMalformed, trailerSignature, len(value))
			}
			copy(r.claimed[:], value)
			signed = true
			continue
		}
		if r.trailers == nil {
			r.trailers = map[string]string{}
		}
		if _, dup := r.trailers[name]; dup {
			return fmt.Errorf("%w: trailer %s repeated", ErrMalformed, name)
		}
		r.trailers[name] = value
		if r.mac != nil {
			r.scratch = append(append(append(append(r.scratch[:0], name...), ':'), value...), '\n')
			r.sha.Write(r.scratch)
		}
	}
	if r.mode != SignedTrailer {
		return nil
	}
	if !signed {
		return fmt.Errorf("%w: no %s", ErrMalformed, trailerSignature)
	}
	hex.Encode(r.hexSum[:], r.sha.Sum(r.sum[:0]))
	if err := r.verify(r.trailerHead, nil, r.hexSum[:]); err != nil {
		return fmt.Errorf("%w: trailer", err)
	}
	return nil
}

// isToken reports whether s is a non-empty HTTP token (RFC 9110).
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}

// errLineTooLong is what readLine returns for a line over its bound; it
// wraps ErrMalformed.
var errLineTooLong = fmt.Errorf("%w: line too long", ErrMalformed)

// readLine reads a line ended by CRLF, of at most max bytes before the
// CRLF, and returns it without the CRLF. The slice is valid until the next
// readLine. A lone CR or LF is malformed.
func (r *Reader) readLine(max int) ([]byte, error) {
	line := r.line[:0]
	for {
		c, err := r.br.ReadByte()
		if err != nil {
			return nil, readError(err)
		}
		switch c {
		case '\r':
			c, err = r.br.ReadByte()
			if err != nil {
				return nil, readError(err)
			}
			if c != '\n' {
				return nil, fmt.Errorf("%w: CR without LF", ErrMalformed)
			}
			r.line = line
			return line, nil
		case '\n':
			return nil, fmt.Errorf("%w: LF without CR", ErrMalformed)
		}
		if len(line) >= max {
			return nil, errLineTooLong
		}
		line = append(line, c)
	}
}

// readCRLF reads the CRLF that ends a chunk's data.
func (r *Reader) readCRLF() error {
	for _, want := range []byte("\r\n") {
		c, err := r.br.ReadByte()
		if err != nil {
			return readError(err)
		}
		if c != want {
			return fmt.Errorf("%w: chunk data not followed by CRLF", ErrMalformed)
		}
	}
	return nil
}

// readError describes a failure of the underlying reader: io.EOF is a
// truncated body, anything else is passed on, wrapped.
func readError(err error) error {
	if err == io.EOF {
		return fmt.Errorf("%w: %w", ErrTruncated, io.ErrUnexpectedEOF)
	}
	return fmt.Errorf("awschunked: reading the body: %w", err)
}
