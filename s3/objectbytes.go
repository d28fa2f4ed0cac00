package s3

import (
	"bytes"
	"io"
	"sync"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/blob"
)

// InlineMax is the size up to which an object's bytes are kept in its
// record (gatehouse.Object.Data) rather than in a blob. Such a write is
// one durable commit of the store; a blob costs a file of its own, two
// fsyncs and a rename before it, several times the CPU and latency of
// a small PutObject.
const InlineMax = 64 << 10

// inlineBufs holds the buffers receive reads a body's first bytes into.
var inlineBufs = sync.Pool{New: func() any { b := make([]byte, InlineMax+1); return &b }}

// received is a request body taken in: up to InlineMax bytes in data,
// a larger body in a pending blob.
type received struct {
	data    []byte
	pending *blob.Pending
	size    int64
}

// receive reads r to its end, keeping it in memory if it is at most
// InlineMax bytes long and streaming it into a pending blob otherwise.
// The caller must discard the result.
func (s *Service) receive(r io.Reader) (*received, error) {
	buf := inlineBufs.Get().(*[]byte)
	defer inlineBufs.Put(buf)
	n, err := readUpTo(r, *buf)
	if err != nil {
		return nil, err
	}
	if n <= InlineMax {
		return &received{data: bytes.Clone((*buf)[:n]), size: int64(n)}, nil
	}
	p, err := s.Blobs.Create(io.MultiReader(bytes.NewReader((*buf)[:n]), r))
	if err != nil {
		return nil, err
	}
	return &received{pending: p, size: p.Size()}, nil
}

// readUpTo reads from r until buf is full or r ends, and returns how
// many bytes it read; r's end is not an error, any other is.
func readUpTo(r io.Reader, buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		m, err := r.Read(buf[n:])
		n += m
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// commit makes the bytes durable: a pending blob is committed; bytes in
// memory become durable with the record that holds them.
func (r *received) commit() error {
	if r.pending == nil {
		return nil
	}
	return r.pending.Commit()
}

// discard drops a pending blob not committed.
func (r *received) discard() {
	if r.pending != nil {
		r.pending.Discard()
	}
}

// store puts the received bytes in o: its blob's ID, or its data.
func (r *received) store(o *gatehouse.Object) {
	if r.pending != nil {
		o.BlobID, o.Data = r.pending.ID(), nil
		return
	}
	o.BlobID, o.Data = "", r.data
}

// objectBytes is an open object's bytes, a blob's or its record's.
type objectBytes interface {
	io.Reader
	io.ReaderAt
	io.Closer
}

// inlineBytes reads the bytes of an object's record.
type inlineBytes struct{ *bytes.Reader }

func (inlineBytes) Close() error { return nil }

// openBytes opens the bytes of o, which is not a delete marker.
func (s *Service) openBytes(o *gatehouse.Object) (objectBytes, error) {
	if o.BlobID == "" {
		return inlineBytes{bytes.NewReader(o.Data)}, nil
	}
	return s.Blobs.Open(o.BlobID)
}
