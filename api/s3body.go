package api

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"hash"
	"io"
	"net/http"
	"strconv"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/awschunked"
	"github.com/gatehouse-dev/gatehouse/sigv4"
)

// s3Body returns the body of an S3 request whose signature VerifyStream
// checked, as its operation reads it: an aws-chunked body decoded with
// its chunk signatures verified (aws-s3.md §2.2), a declared SHA-256
// compared with the bytes when they end. Any mismatch is an error from
// Read, so nothing is committed: the s3 service keeps an object only
// after its body reads to io.EOF.
func s3Body(r *http.Request, auth *sigv4.Result) (io.ReadCloser, error) {
	switch hashHex := auth.PayloadHash; {
	case hashHex == "" || hashHex == "UNSIGNED-PAYLOAD":
		return r.Body, nil
	case len(hashHex) == 64:
		want, err := hex.DecodeString(hashHex)
		if err != nil {
			return nil, gatehouse.Errorf("InvalidArgument", "x-amz-content-sha256 must be UNSIGNED-PAYLOAD or a valid sha256 value.")
		}
		return &hashCheckReader{r: r.Body, h: sha256.New(), want: want}, nil
	}
	mode, ok := awschunked.ParseMode(auth.PayloadHash)
	if !ok {
		return nil, gatehouse.Errorf("InvalidArgument", "x-amz-content-sha256 must be UNSIGNED-PAYLOAD or a valid sha256 value.")
	}
	length := int64(-1)
	if v := r.Header.Get("X-Amz-Decoded-Content-Length"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return nil, gatehouse.Errorf("InvalidArgument", "Invalid x-amz-decoded-content-length.")
		}
		length = n
	}
	o := awschunked.Options{Mode: mode, DecodedLength: length}
	if s := auth.Seed; s != nil {
		o.Seed = &awschunked.Seed{Key: s.Key, Date: s.Date, Scope: s.Scope, Signature: s.Signature}
	}
	cr, err := awschunked.NewReader(r.Body, o)
	if err != nil {
		if errors.Is(err, awschunked.ErrMissingLength) {
			return nil, gatehouse.Errorf("MissingContentLength", "You must provide the Content-Length HTTP header.")
		}
		return nil, gatehouse.Errorf("InvalidRequest", "The aws-chunked body cannot be decoded.")
	}
	return &chunkedReader{cr, r.Body}, nil
}

// hashCheckReader compares the SHA-256 of what it reads with the
// declared one when the body ends.
type hashCheckReader struct {
	r    io.ReadCloser
	h    hash.Hash
	want []byte
	err  error
}

func (h *hashCheckReader) Read(p []byte) (int, error) {
	if h.err != nil {
		return 0, h.err
	}
	n, err := h.r.Read(p)
	h.h.Write(p[:n])
	if err == io.EOF && !hmac.Equal(h.h.Sum(nil), h.want) {
		h.err = gatehouse.Errorf("XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.")
		return n, h.err
	}
	if err != nil {
		h.err = err
	}
	return n, err
}

// chunkedReader turns the aws-chunked decoder's errors into S3's and
// offers its trailers.
type chunkedReader struct {
	r    *awschunked.Reader
	body io.Closer
}

// Close closes the request body.
func (c *chunkedReader) Close() error { return c.body.Close() }

// Close closes the request body.
func (h *hashCheckReader) Close() error { return h.r.Close() }

func (c *chunkedReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if err == nil || err == io.EOF {
		return n, err
	}
	switch {
	case errors.Is(err, awschunked.ErrSignature):
		return n, gatehouse.Errorf("SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your key and signing method.")
	case errors.Is(err, awschunked.ErrTruncated), errors.Is(err, awschunked.ErrLength):
		return n, gatehouse.Errorf("IncompleteBody", "You did not provide the number of bytes specified by the Content-Length HTTP header")
	case errors.Is(err, awschunked.ErrMalformed), errors.Is(err, awschunked.ErrChunkTooSmall):
		return n, gatehouse.Errorf("InvalidRequest", "The aws-chunked body is malformed.")
	}
	return n, err
}

// Trailers returns the body's trailer headers once it has been read.
func (c *chunkedReader) Trailers() map[string]string { return c.r.Trailers() }
