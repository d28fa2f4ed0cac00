package sqlite_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/store/sqlite"
)

// crashEnv names the database file TestCrashChild writes to; TestCrash
// sets it when it runs the test binary as its child.
const crashEnv = "GATEHOUSE_SQLITE_CRASH_DB"

// Crash test shape: the child's concurrent writers, and how many
// acknowledged writes the parent waits for before it kills the child.
const (
	crashWriters   = 4
	crashKillAfter = 150
)

// crashUser is the user the child creates in its i-th update of writer w.
func crashUser(w, i int) *gatehouse.User {
	name := fmt.Sprintf("w%d-%05d", w, i)
	return &gatehouse.User{AccountID: acct, Name: name, ID: "AIDA" + name, Path: "/"}
}

// TestCrashChild is the child process of TestCrash: it writes to the store
// from several goroutines and prints "ack NAME" after each Update that
// returned, until it is killed (or, as a safeguard, for 30 s).
func TestCrashChild(t *testing.T) {
	path := os.Getenv(crashEnv)
	if path == "" {
		t.Skip("runs only as the child process of TestCrash")
	}
	s, err := sqlite.Open(context.Background(), path, sqlite.Options{SecretKey: testKey()})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	var mu sync.Mutex // one line per write(2)
	var wg sync.WaitGroup
	for w := range crashWriters {
		wg.Go(func() {
			for i := 0; time.Now().Before(deadline); i++ {
				u := crashUser(w, i)
				err := s.Update(context.Background(), func(tx gatehouse.Tx) error {
					// Several rows per transaction, so a torn write would show.
					if err := tx.CreateUser(u); err != nil {
						return err
					}
					return tx.CreateAccessKey(&gatehouse.AccessKey{ID: "AKIA" + u.Name, AccountID: acct, UserName: u.Name,
						Status: gatehouse.KeyActive, Secret: gatehouse.Secret("secret-" + u.Name)})
				})
				mu.Lock()
				if err != nil {
					fmt.Printf("error %s: %v\n", u.Name, err)
				} else {
					fmt.Printf("ack %s\n", u.Name)
				}
				mu.Unlock()
				if err != nil {
					return
				}
			}
		})
	}
	wg.Wait()
}

// TestCrash kills a process in the middle of a stream of writes and checks
// that every write it acknowledged survived, and that the file is sound.
func TestCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	path := filepath.Join(t.TempDir(), "crash.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashEnv+"="+path)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// The safeguard if the child stalls: kill it anyway, and fail below.
	stall := time.AfterFunc(20*time.Second, func() { _ = cmd.Process.Kill() })
	defer stall.Stop()

	var acked []string
	var other []string
	killed := false
	lines := bufio.NewScanner(stdout)
	for lines.Scan() {
		name, ok := strings.CutPrefix(lines.Text(), "ack ")
		if !ok {
			other = append(other, lines.Text())
			continue
		}
		acked = append(acked, name)
		if len(acked) == crashKillAfter && !killed {
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			killed = true
		}
	}
	// Lines already in the pipe when the child died were acknowledged too.
	waitErr := cmd.Wait()
	if !killed {
		t.Fatalf("child ended after %d acknowledged writes without being killed: %v\nstdout: %s\nstderr: %s",
			len(acked), waitErr, strings.Join(other, "\n"), stderr.String())
	}
	t.Logf("child killed after %d acknowledged writes", len(acked))
	if fi, err := os.Stat(path + "-wal"); err != nil || fi.Size() == 0 {
		t.Errorf("no write-ahead log left by the killed child (%v); the test did not crash mid-stream", err)
	}

	// The store opens cleanly, recovering the log, and holds every
	// acknowledged write, whole.
	s := MustOpen(t, path)
	mustView(t, s, func(tx gatehouse.Tx) error {
		for _, name := range acked {
			if _, err := tx.User(acct, name); err != nil {
				t.Errorf("acknowledged user %s: %v", name, err)
			}
			k, err := tx.AccessKey("AKIA" + name)
			if err != nil || k.Secret.Reveal() != "secret-"+name {
				t.Errorf("acknowledged access key of %s: %v", name, err)
			}
		}
		users, err := tx.Users(acct)
		if err != nil {
			return err
		}
		for _, u := range users {
			keys, err := tx.AccessKeys(acct, u.Name)
			if err != nil {
				return err
			}
			if len(keys) != 1 {
				t.Errorf("user %s has %d keys: a transaction was torn", u.Name, len(keys))
			}
		}
		return nil
	})
	if rev, err := s.Revision(context.Background()); err != nil || rev < int64(len(acked)) {
		t.Errorf("revision %d (%v) after %d acknowledged updates", rev, err, len(acked))
	}
	var check string
	if err := rawDB(t, path).QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Errorf("integrity_check: %q, %v", check, err)
	}
}
