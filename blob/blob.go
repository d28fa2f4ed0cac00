// Package blob keeps S3 object bytes as files in one directory: each
// blob is written to a temporary file, fsync'd, and renamed into place,
// so a blob either exists whole or not at all, and once committed it
// survives a crash.
//
// A blob is named by a random ID the store picks. The metadata store
// records the ID in its own transaction, and commits that record only
// after [Pending.Commit] has returned: a crash in between leaves an
// unreferenced blob (an orphan), never a record of missing bytes.
// [Store.Sweep] removes orphans, and [Open] removes the temporary files
// of writes a crash interrupted.
//
// Bodies are streamed through a fixed buffer and never held in memory.
// The filesystem does the synchronisation: a Store has no lock, and its
// methods may be called from many goroutines at once.
//
// The layout of the directory is
//
//	tmp/<id>   writes in progress (Create and Concat), never committed
//	xx/<id>    committed blobs, xx being the ID's first two characters
//
// with directories made 0700 and files 0600. A directory is meant for
// one Store at a time: Open removes every temporary file it finds.
package blob

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// ErrNotFound is the error (wrapped; test it with [errors.Is]) of an ID
// that names no committed blob, including a string that is not an ID
// of the store's format at all.
var ErrNotFound = errors.New("blob: not found")

// errDiscarded is the error of committing a discarded pending blob.
var errDiscarded = errors.New("blob: pending blob discarded")

// IDLen is the length of an ID: 32 lowercase hexadecimal characters (128
// random bits), safe as a file name and in a URL.
const IDLen = 32

// bufSize is the size of the buffer bodies stream through.
const bufSize = 256 << 10

// bufs holds the copy buffers, so that small blobs do not each allocate
// one.
var bufs = sync.Pool{New: func() any { b := make([]byte, bufSize); return &b }}

// Store is a directory of blobs. Its methods are safe for concurrent use.
type Store struct {
	dir  string
	tmp  string
	temp bool // made by OpenTemp: Close removes dir
}

// File is an open blob, read-only. An [*os.File] implements it; ranges
// are read through [io.NewSectionReader]. A blob removed while open stays
// readable through the File until it is closed.
type File interface {
	io.ReadSeekCloser
	io.ReaderAt
	Stat() (fs.FileInfo, error)
}

// Open opens the store in the directory dir, creating it (and its
// parents) if need be. It removes the temporary files left by a crash:
// they were never committed, so nothing refers to them. The layout is
// dir/tmp/ for writes in progress and dir/xx/<id> for blobs (xx being
// the first two characters of the ID), so no directory grows huge; Open
// makes the 256 xx directories up front, so that committing never has to.
func Open(dir string) (*Store, error) {
	s := &Store{dir: dir, tmp: filepath.Join(dir, "tmp")}
	if err := os.MkdirAll(s.tmp, 0o700); err != nil {
		return nil, err
	}
	left, err := os.ReadDir(s.tmp)
	if err != nil {
		return nil, err
	}
	for _, e := range left {
		if err := os.RemoveAll(filepath.Join(s.tmp, e.Name())); err != nil {
			return nil, err
		}
	}
	for i := range 256 {
		err := os.Mkdir(filepath.Join(dir, hex.EncodeToString([]byte{byte(i)})), 0o700)
		if err != nil && !errors.Is(err, fs.ErrExist) {
			return nil, err
		}
	}
	// Make the new directories durable: their entries in dir, and dir's
	// own entry in its parent in case MkdirAll just made it.
	if err := syncDir(dir); err != nil {
		return nil, err
	}
	if err := syncDir(filepath.Dir(dir)); err != nil {
		return nil, err
	}
	return s, nil
}

// OpenTemp opens a store in a new temporary directory, which Close
// removes with every blob in it (for `gatehouse serve --ephemeral`).
func OpenTemp() (*Store, error) {
	dir, err := os.MkdirTemp("", "gatehouse-blob-")
	if err != nil {
		return nil, err
	}
	s, err := Open(dir)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	s.temp = true
	return s, nil
}

// Dir returns the store's directory.
func (s *Store) Dir() string { return s.dir }

// Close closes the store. For a store made by [OpenTemp] it removes the
// directory and every blob in it; otherwise it does nothing, and
// committed blobs stay. The store must not be used after Close.
func (s *Store) Close() error {
	if s.temp {
		return os.RemoveAll(s.dir)
	}
	return nil
}

// Pending is a blob written but not yet committed: nothing but the
// Pending itself can see it. Every Pending must end in [Pending.Commit]
// or [Pending.Discard]; deferring Discard right after Create is the usual
// pattern, as Discard does nothing once Commit has succeeded. A Pending
// is for one goroutine at a time.
type Pending struct {
	s       *Store
	id      string
	f       *os.File // the temporary file, until Commit or Discard closes it
	size    int64
	renamed bool  // the file is at its final path
	done    bool  // committed or discarded
	err     error // why a Commit failed, or errDiscarded
}

// Create streams r into a new blob's temporary file and returns it
// pending: nothing is visible until [Pending.Commit]. [Pending.Size] is
// the number of bytes written. The caller wraps r to hash the body (MD5,
// checksums) as it streams; Create reads r to EOF through a fixed
// buffer and never holds the body in memory. If r fails, Create removes
// the temporary file and returns r's error.
func (s *Store) Create(r io.Reader) (*Pending, error) {
	p, err := s.pending()
	if err != nil {
		return nil, err
	}
	bp := bufs.Get().(*[]byte)
	// writerOnly hides the file's ReadFrom, which would copy through a
	// buffer of its own, allocated anew each time.
	n, err := io.CopyBuffer(writerOnly{p.f}, r, *bp)
	bufs.Put(bp)
	p.size = n
	if err != nil {
		p.Discard()
		return nil, err
	}
	return p, nil
}

// Concat makes a new pending blob of the blobs ids, in order (completing
// a multipart upload). It streams, letting the kernel copy between files
// where it can. A missing or malformed ID is [ErrNotFound]; the blobs ids
// are left as they are.
func (s *Store) Concat(ids []string) (*Pending, error) {
	p, err := s.pending()
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		n, err := p.append(id)
		p.size += n
		if err != nil {
			p.Discard()
			return nil, err
		}
	}
	return p, nil
}

// append copies the blob id to the end of p's file.
func (p *Pending) append(id string) (int64, error) {
	src, err := p.s.Open(id)
	if err != nil {
		return 0, err
	}
	defer src.Close()
	return p.f.ReadFrom(src)
}

// pending makes a new pending blob with an empty temporary file.
func (s *Store) pending() (*Pending, error) {
	var b [IDLen / 2]byte
	rand.Read(b[:])
	id := hex.EncodeToString(b[:])
	f, err := os.OpenFile(filepath.Join(s.tmp, id), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, err
	}
	return &Pending{s: s, id: id, f: f}, nil
}

// ID returns the blob's ID: random, 32 lowercase hexadecimal characters.
func (p *Pending) ID() string { return p.id }

// Size returns the blob's length in bytes.
func (p *Pending) Size() int64 { return p.size }

// Commit makes the blob durable and visible: it sets the file's
// modification time to now (the age [Store.Sweep] measures), fsyncs the
// file, renames it to its final path and fsyncs that directory. After
// Commit returns nil the blob survives a crash, and the metadata store
// may commit its record of the ID; before, it must not.
//
// Commit after a successful Commit returns nil. After a failed Commit
// the blob is not committed (it may or may not survive a crash, as an
// orphan): Commit returns the same error again, and Discard removes it.
// Commit after Discard returns an error.
func (p *Pending) Commit() error {
	if p.done {
		return p.err
	}
	if p.err != nil {
		return p.err
	}
	tmp := filepath.Join(p.s.tmp, p.id)
	final := p.s.path(p.id)
	err := os.Chtimes(tmp, time.Time{}, time.Now())
	if err == nil {
		err = p.f.Sync()
	}
	if cerr := p.f.Close(); err == nil {
		err = cerr
	}
	p.f = nil
	if err == nil {
		err = os.Rename(tmp, final)
		p.renamed = err == nil
	}
	if err == nil {
		err = syncDir(filepath.Dir(final))
	}
	if err != nil {
		p.err = fmt.Errorf("blob: commit %s: %w", p.id, err)
		return p.err
	}
	p.done = true
	return nil
}

// Discard drops the blob: it closes and removes the temporary file, or,
// after a failed Commit, whatever Commit left. It does nothing after a
// successful Commit or a previous Discard, so it is safe to defer.
func (p *Pending) Discard() error {
	if p.done {
		return nil
	}
	p.done, p.err = true, errDiscarded
	var err error
	if p.f != nil {
		err = p.f.Close()
		p.f = nil
	}
	name := filepath.Join(p.s.tmp, p.id)
	if p.renamed {
		name = p.s.path(p.id)
	}
	if rerr := os.Remove(name); rerr != nil && !errors.Is(rerr, fs.ErrNotExist) {
		err = rerr
	}
	return err
}

// Open opens the committed blob id for reading. An ID that names no
// committed blob, pending ones included, or that is not of the store's
// format (so no path can escape the directory) is [ErrNotFound].
func (s *Store) Open(id string) (File, error) {
	if !ValidID(id) {
		return nil, notFound(id)
	}
	f, err := os.Open(s.path(id))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, notFound(id)
	}
	if err != nil {
		return nil, err
	}
	return f, nil
}

// Remove removes the committed blob id; a missing blob is not an error,
// but a malformed ID, which can never name one, is [ErrNotFound]. Readers
// that have the blob open keep reading it. Remove does not fsync: a
// removal lost to a crash leaves an orphan, which [Store.Sweep] removes.
func (s *Store) Remove(id string) error {
	if !ValidID(id) {
		return notFound(id)
	}
	err := os.Remove(s.path(id))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// Sweep removes the committed blobs the metadata store does not
// reference, which a crash between Commit and the store's commit, or
// between the store's delete and Remove, leaves behind. keep reports
// whether an ID is referenced; an error from it stops the sweep.
//
// Blobs committed less than grace ago are kept without asking keep, so a
// sweep racing an upload cannot remove the blob it just committed but
// has not yet recorded: grace must exceed the longest time between a
// Commit and the store's commit (an hour is generous). Pending blobs are
// never swept. Sweep returns the number of blobs it removed.
func (s *Store) Sweep(keep func(id string) (bool, error), grace time.Duration) (int, error) {
	cutoff := time.Now().Add(-grace)
	removed := 0
	for i := range 256 {
		n, err := s.sweepDir(hex.EncodeToString([]byte{byte(i)}), keep, cutoff)
		removed += n
		if err != nil {
			return removed, err
		}
	}
	return removed, nil
}

// sweepDir sweeps the directory xx of blobs committed before cutoff.
func (s *Store) sweepDir(xx string, keep func(string) (bool, error), cutoff time.Time) (int, error) {
	d, err := os.Open(filepath.Join(s.dir, xx))
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	defer d.Close()
	removed := 0
	for {
		entries, err := d.ReadDir(512)
		for _, e := range entries {
			id := e.Name()
			if !ValidID(id) || id[:2] != xx || !e.Type().IsRegular() {
				continue
			}
			info, err := e.Info()
			if errors.Is(err, fs.ErrNotExist) {
				continue // removed meanwhile
			}
			if err != nil {
				return removed, err
			}
			if !info.ModTime().Before(cutoff) {
				continue
			}
			ok, err := keep(id)
			if err != nil {
				return removed, err
			}
			if ok {
				continue
			}
			err = os.Remove(filepath.Join(s.dir, xx, id))
			switch {
			case err == nil:
				removed++
			case !errors.Is(err, fs.ErrNotExist):
				return removed, err
			}
		}
		if err == io.EOF {
			return removed, nil
		}
		if err != nil {
			return removed, err
		}
	}
}

// ValidID reports whether id is of the store's format: [IDLen] lowercase
// hexadecimal characters.
func ValidID(id string) bool {
	if len(id) != IDLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// path returns the final path of the blob id, which must be valid.
func (s *Store) path(id string) string {
	return filepath.Join(s.dir, id[:2], id)
}

// notFound returns ErrNotFound about id, which it quotes only if valid
// (a malformed one may be anything, of any length).
func notFound(id string) error {
	if !ValidID(id) {
		return fmt.Errorf("%w: malformed ID", ErrNotFound)
	}
	return fmt.Errorf("%w: %s", ErrNotFound, id)
}

// syncDir fsyncs the directory dir, making the entries made or renamed in
// it durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// writerOnly is an io.Writer and nothing more.
type writerOnly struct{ io.Writer }
