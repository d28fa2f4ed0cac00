package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// readArchive returns every entry of a converted archive by name.
func readArchive(t *testing.T, data []byte) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, f := range zr.File {
		if f.Method != zip.Deflate {
			t.Errorf("%s: method %d, want deflate", f.Name, f.Method)
		}
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name] = string(b)
	}
	return out
}

func TestConvert(t *testing.T) {
	o, err := Convert(os.DirFS("testdata/package"), map[string]string{"AdministratorAccess": "Provides full access."})
	if err != nil {
		t.Fatal(err)
	}
	if o.PackageVersion != "0.0.1" || o.PackageLicense != "MIT" || !strings.HasPrefix(string(o.License), "MIT License") {
		t.Errorf("package %s %s, licence %q", o.PackageVersion, o.PackageLicense, o.License)
	}
	if o.Stats != (Stats{Policies: 3, Versions: 5}) {
		t.Errorf("stats %+v", o.Stats)
	}
	if !bytes.Contains(o.Version, []byte(`const DataVersion = "0.0.1"`)) {
		t.Errorf("version.go:\n%s", o.Version)
	}
	files := readArchive(t, o.Data)
	if len(files) != 6 {
		t.Errorf("%d entries, want 5 versions and the index", len(files))
	}
	// Documents are the data's objects, indented with four spaces, keys
	// in the data's order and strings spelled as in the data.
	wantDocs := map[string]string{
		"AdministratorAccess/v1.json":   "{\n    \"Version\": \"2012-10-17\",\n    \"Statement\": [\n        {\n            \"Effect\": \"Allow\",\n            \"Action\": \"*\",\n            \"Resource\": \"*\"\n        }\n    ]\n}",
		"ZetaAccess/v9.json":            "{\n    \"Statement\": {\n        \"Effect\": \"Deny\",\n        \"NotAction\": \"a:\\u00e9<&>\",\n        \"Resource\": \"*\"\n    },\n    \"Version\": \"2012-10-17\"\n}",
		"SomeServiceRolePolicy/v1.json": "{\n    \"Version\": \"2012-10-17\",\n    \"Statement\": []\n}",
	}
	for name, want := range wantDocs {
		if files[name] != want {
			t.Errorf("%s:\n%s\nwant\n%s", name, files[name], want)
		}
	}
	var idx index
	if err := json.Unmarshal([]byte(files["index.json"]), &idx); err != nil {
		t.Fatal(err)
	}
	if len(idx.Policies) != 3 {
		t.Fatalf("index: %d policies", len(idx.Policies))
	}
	admin, svc, zeta := idx.Policies[0], idx.Policies[1], idx.Policies[2]
	if admin.Name != "AdministratorAccess" || admin.Path != "/" || admin.Description != "Provides full access." || admin.Default != "v1" {
		t.Errorf("AdministratorAccess: %+v", admin)
	}
	if svc.Path != "/aws-service-role/" || svc.Description != "" {
		t.Errorf("SomeServiceRolePolicy: %+v", svc)
	}
	var ids []string
	for _, v := range zeta.Versions {
		ids = append(ids, v.ID)
	}
	if strings.Join(ids, ",") != "v10,v9,v2" || zeta.Default != "v10" {
		t.Errorf("ZetaAccess versions %v (default %s), want newest first by number", ids, zeta.Default)
	}
	if want := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC); !zeta.Updated.Equal(want) || !zeta.Versions[0].Created.Equal(want) {
		t.Errorf("ZetaAccess dates: updated %v, v10 created %v", zeta.Updated, zeta.Versions[0].Created)
	}
	if want := time.Date(2015, 2, 6, 18, 39, 46, 0, time.UTC); !zeta.Created.Equal(want) {
		t.Errorf("ZetaAccess created %v", zeta.Created)
	}

	again, err := Convert(os.DirFS("testdata/package"), map[string]string{"AdministratorAccess": "Provides full access."})
	if err != nil || !bytes.Equal(again.Data, o.Data) {
		t.Errorf("a second conversion differs (%v)", err)
	}
}

// TestPolicyID keeps the IDs Gatehouse has always given AWS managed
// policies (the golden files show IAMReadOnlyAccess's).
func TestPolicyID(t *testing.T) {
	if got := policyID("IAMReadOnlyAccess"); got != "ANPALX6RHJC5OXFALFNF6" {
		t.Errorf("policyID(IAMReadOnlyAccess) = %s", got)
	}
}

func TestConvertErrors(t *testing.T) {
	base, err := fs.ReadFile(os.DirFS("testdata/package"), "dist/managedPolicies.json")
	if err != nil {
		t.Fatal(err)
	}
	entry := func(name, arn, latest, version, doc string) string {
		return `"` + name + `": {"arn": "` + arn + `", "latestVersionId": "` + latest + `", "versions": {"` + version +
			`": {"createdDate": "2015-02-06T18:39:46.000Z", "document": ` + doc + `}}, "createdDate": "2015-02-06T18:39:46.000Z", "lastUpdatedDate": "2015-02-06T18:39:46.000Z"}`
	}
	policy := func(arn, latest, version, doc string) string {
		return "{" + entry("X", arn, latest, version, doc) + "}"
	}
	const doc = `{"Version": "2012-10-17", "Statement": []}`
	for _, c := range []struct {
		name, license, data, want string
	}{
		{"licence", "Apache-2.0", string(base), "licence"},
		{"default missing", "MIT", policy("arn:aws:iam::aws:policy/X", "v2", "v1", doc), "default version"},
		{"ARN of another policy", "MIT", policy("arn:aws:iam::aws:policy/Y", "v1", "v1", doc), "names another policy"},
		{"not AWS managed", "MIT", policy("arn:aws:iam::123456789012:policy/X", "v1", "v1", doc), "not an AWS managed"},
		{"version ID", "MIT", policy("arn:aws:iam::aws:policy/X", "one", "one", doc), "version ID"},
		{"document not an object", "MIT", policy("arn:aws:iam::aws:policy/X", "v1", "v1", `"text"`), "not a JSON object"},
		{"names differing in case", "MIT", "{" + entry("X", "arn:aws:iam::aws:policy/X", "v1", "v1", doc) + ", " +
			entry("x", "arn:aws:iam::aws:policy/x", "v1", "v1", doc) + "}", "differ only in case"},
	} {
		t.Run(c.name, func(t *testing.T) {
			fsys := fstest.MapFS{
				"package.json":              {Data: []byte(`{"version": "0.0.1", "license": "` + c.license + `"}`)},
				"LICENSE":                   {Data: []byte("licence")},
				"dist/managedPolicies.json": {Data: []byte(c.data)},
			}
			_, err := Convert(fsys, nil)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one mentioning %q", err, c.want)
			}
		})
	}
}
