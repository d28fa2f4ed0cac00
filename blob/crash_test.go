package blob_test

import (
	"bufio"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse/blob"
)

// The crash test's child process is this test binary, run again with
// these variables set: the store's directory and the first seed.
const (
	crashDirEnv  = "BLOB_CRASH_DIR"
	crashSeedEnv = "BLOB_CRASH_SEED"
)

// crashWriters is how many goroutines of the child write blobs.
const crashWriters = 4

// crashSize returns the size of the blob of seed: 0, or between 8 bytes
// and 3 MiB.
func crashSize(seed uint64) int64 {
	if seed%7 == 0 {
		return 0
	}
	return 8 + int64(rand.New(rand.NewPCG(seed, 1)).IntN(3<<20))
}

// crashContent returns the contents of the blob of seed, generated as
// read: the seed itself (8 bytes, little-endian), then a ChaCha8 stream
// keyed by it. A blob found in the store thus says what it must be.
func crashContent(seed uint64) io.Reader {
	size := crashSize(seed)
	if size == 0 {
		return strings.NewReader("")
	}
	var key [32]byte
	binary.LittleEndian.PutUint64(key[:], seed)
	return io.MultiReader(
		strings.NewReader(string(key[:8])),
		io.LimitReader(rand.NewChaCha8(key), size-8))
}

// crashHash returns the hex SHA-256 of r.
func crashHash(r io.Reader) (string, error) {
	h := sha256.New()
	_, err := io.Copy(h, r)
	return hex.EncodeToString(h.Sum(nil)), err
}

// TestCrash SIGKILLs a process writing blobs from several goroutines at
// a random moment, then opens its store: every blob the process had
// acknowledged (printed after Commit returned) reads back byte-identical,
// every blob in the store is whole, and no temporary file survives.
//
// SIGKILL loses no page cache, so this checks atomicity and recovery,
// not the fsyncs, which only a power cut would.
func TestCrash(t *testing.T) {
	if dir := os.Getenv(crashDirEnv); dir != "" {
		seed, _ := strconv.ParseUint(os.Getenv(crashSeedEnv), 10, 64)
		crashChild(dir, seed)
		return
	}
	t.Parallel()
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 0))
	acked := map[string]string{} // id → hash, over every run
	for run := range 4 {
		first := uint64(run) << 32
		kill := 1 + rng.IntN(12)
		delay := time.Duration(rng.IntN(30)) * time.Millisecond
		got := crashRun(t, dir, first, kill, delay)
		for id, h := range got {
			acked[id] = h
		}
		left, _ := os.ReadDir(filepath.Join(dir, "tmp"))
		t.Logf("run %d: killed %v after %d acknowledgements; %d acknowledged, %d temporary files left", run, delay, kill, len(got), len(left))
		s, err := blob.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		if left, err := os.ReadDir(filepath.Join(dir, "tmp")); err != nil || len(left) != 0 {
			t.Errorf("run %d: tmp after Open: %v, %v", run, left, err)
		}
		for id, want := range acked {
			f, err := s.Open(id)
			if err != nil {
				t.Errorf("run %d: acknowledged blob %s: %v", run, id, err)
				continue
			}
			h, err := crashHash(f)
			f.Close()
			if err != nil || h != want {
				t.Errorf("run %d: blob %s has SHA-256 %s (%v), want %s", run, id, h, err, want)
			}
		}
		crashCheckWhole(t, s)
	}
}

// crashRun runs the child writing in dir from seed first on, kills it
// delay after it has acknowledged kill blobs, and returns the blobs it
// acknowledged.
func crashRun(t *testing.T, dir string, first uint64, kill int, delay time.Duration) map[string]string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrash$")
	cmd.Env = append(os.Environ(), crashDirEnv+"="+dir, crashSeedEnv+"="+strconv.FormatUint(first, 10))
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	acked := map[string]string{}
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != 3 || f[0] != "ack" {
			continue
		}
		acked[f[1]] = f[2]
		if len(acked) == kill {
			time.AfterFunc(delay, func() { cmd.Process.Signal(syscall.SIGKILL) })
		}
	}
	err = cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("child: %v, want killed by SIGKILL", err)
	}
	return acked
}

// crashChild writes blobs in dir from several goroutines, printing each
// one's ID and SHA-256 once Commit has returned, until it is killed.
func crashChild(dir string, first uint64) {
	s, err := blob.Open(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	time.AfterFunc(30*time.Second, func() { os.Exit(3) }) // the parent is gone
	var mu sync.Mutex
	for g := range crashWriters {
		go func() {
			for seed := first + uint64(g); ; seed += crashWriters {
				h := sha256.New()
				p, err := s.Create(io.TeeReader(crashContent(seed), h))
				if err == nil {
					err = p.Commit()
				}
				if err != nil {
					fmt.Fprintln(os.Stderr, err)
					os.Exit(2)
				}
				mu.Lock()
				fmt.Printf("ack %s %x\n", p.ID(), h.Sum(nil))
				mu.Unlock()
			}
		}()
	}
	select {}
}

// crashCheckWhole checks that every blob in s is whole: the one its
// first 8 bytes name.
func crashCheckWhole(t *testing.T, s *blob.Store) {
	t.Helper()
	n := 0
	_, err := s.Sweep(func(id string) (bool, error) {
		n++
		f, err := s.Open(id)
		if err != nil {
			return true, err
		}
		defer f.Close()
		fi, err := f.Stat()
		if err != nil || fi.Size() == 0 {
			return true, err
		}
		var head [8]byte
		if _, err := io.ReadFull(f, head[:]); err != nil {
			t.Errorf("blob %s: %v", id, err)
			return true, nil
		}
		seed := binary.LittleEndian.Uint64(head[:])
		want, _ := crashHash(crashContent(seed))
		f.Seek(0, io.SeekStart)
		got, err := crashHash(f)
		if err != nil || fi.Size() != crashSize(seed) || got != want {
			t.Errorf("blob %s: %d bytes, SHA-256 %s (%v); want the %d bytes of seed %d, %s", id, fi.Size(), got, err, crashSize(seed), seed, want)
		}
		return true, nil
	}, -time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d blobs in the store, all whole", n)
}
