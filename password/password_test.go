package password_test

import (
	"crypto/rand"
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse/password"
)

var fast = password.Params{Memory: 64, Time: 1, Threads: 1}

func TestHashAndCheck(t *testing.T) {
	t.Parallel()
	h, err := password.Hash("correct horse", fast, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$") || strings.Contains(h, "correct horse") {
		t.Fatalf("unexpected hash %q", h)
	}
	for _, tc := range []struct {
		pw   string
		want bool
	}{{"correct horse", true}, {"correct horsE", false}, {"", false}} {
		ok, err := password.Check(h, tc.pw)
		if err != nil || ok != tc.want {
			t.Errorf("Check(%q) = %v, %v; want %v", tc.pw, ok, err, tc.want)
		}
	}
	h2, _ := password.Hash("correct horse", fast, rand.Reader)
	if h2 == h {
		t.Error("two hashes of the same password share a salt")
	}
}

func TestCheckMalformed(t *testing.T) {
	t.Parallel()
	for _, h := range []string{"", "plain", "$argon2i$v=19$m=64,t=1,p=1$c2FsdA$aGFzaA", "$argon2id$v=19$m=99999999,t=1,p=1$c2FsdA$aGFzaA", "$argon2id$v=19$m=64,t=1,p=1$!!$aGFzaA"} {
		if _, err := password.Check(h, "x"); err == nil {
			t.Errorf("Check(%q) accepted a malformed hash", h)
		}
	}
}
