package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// objectVersions is list-object-versions' JSON output.
type objectVersions struct {
	Versions []struct {
		Key, VersionId string
		IsLatest       bool
		Size           int
	}
	DeleteMarkers []struct {
		Key, VersionId string
		IsLatest       bool
	}
}

// versionIDs returns "id:latest" for each version, in the listed order.
func (v objectVersions) versionIDs() []string {
	var out []string
	for _, x := range v.Versions {
		s := x.VersionId
		if x.IsLatest {
			s += " (latest)"
		}
		out = append(out, s)
	}
	return out
}

// TestS3API drives the bucket configuration and object version
// operations with `aws s3api` (CLI v2): versioning, bucket policy, bucket
// tagging and DeleteObjects.
func TestS3API(t *testing.T) {
	t.Parallel()
	clis := findS3CLIs(t)
	srv := startServer(t, serverOptions{Ephemeral: true})
	ctx := context.Background()
	cli := newAWSCLI(t, "v2", clis.v2, srv)
	rootS3 := srv.s3(t, rootCreds)
	const key = "doc.txt"

	// The CLI's commands are checked through its output; the SDK checks
	// what they did where the CLI would only repeat itself.
	t.Run("Versioning", func(t *testing.T) {
		t.Parallel()
		const bucket = "s3api-versions"
		files := map[string]string{"one": "first version\n", "two": "second version\n", "three": "third, while suspended\n"}
		for name, content := range files {
			writeFile(t, filepath.Join(cli.dir, name), []byte(content))
		}
		cli.ok(t, "s3api", "create-bucket", "--bucket", bucket)
		cli.ok(t, "s3api", "put-bucket-versioning", "--bucket", bucket, "--versioning-configuration", "Status=Enabled")
		var status struct{ Status string }
		if cli.json(t, &status, "s3api", "get-bucket-versioning", "--bucket", bucket); status.Status != "Enabled" {
			t.Fatalf("get-bucket-versioning: Status %q, want Enabled", status.Status)
		}
		var put1, put2 struct{ VersionId, ETag string }
		cli.json(t, &put1, "s3api", "put-object", "--bucket", bucket, "--key", key, "--body", "one")
		cli.json(t, &put2, "s3api", "put-object", "--bucket", bucket, "--key", key, "--body", "two")
		if put1.VersionId == "" || put1.VersionId == "null" || put2.VersionId == "" || put2.VersionId == put1.VersionId {
			t.Fatalf("put-object version IDs %q then %q; want two different real IDs", put1.VersionId, put2.VersionId)
		}
		var vs objectVersions
		cli.json(t, &vs, "s3api", "list-object-versions", "--bucket", bucket)
		if got, want := vs.versionIDs(), []string{put2.VersionId + " (latest)", put1.VersionId}; !slices.Equal(got, want) || len(vs.DeleteMarkers) != 0 {
			t.Errorf("list-object-versions: versions %q, %d delete markers; want %q and none", got, len(vs.DeleteMarkers), want)
		}

		var got struct{ VersionId string }
		cli.json(t, &got, "s3api", "get-object", "--bucket", bucket, "--key", key, "--version-id", put1.VersionId, "old.txt")
		sameBytes(t, filepath.Join(cli.dir, "old.txt"), []byte(files["one"]))
		if got.VersionId != put1.VersionId {
			t.Errorf("get-object --version-id %s answered version %q", put1.VersionId, got.VersionId)
		}

		var del struct {
			DeleteMarker bool
			VersionId    string
		}
		cli.json(t, &del, "s3api", "delete-object", "--bucket", bucket, "--key", key)
		if !del.DeleteMarker || del.VersionId == "" || del.VersionId == put2.VersionId {
			t.Fatalf("delete-object: DeleteMarker %t, VersionId %q; want a new delete marker", del.DeleteMarker, del.VersionId)
		}
		cli.fails(t, []string{"NoSuchKey"}, "s3api", "get-object", "--bucket", bucket, "--key", key, "gone.txt")
		cli.fails(t, []string{"(404)"}, "s3api", "head-object", "--bucket", bucket, "--key", key)

		// Deleting the marker by its ID brings the object back.
		var undel struct {
			DeleteMarker bool
			VersionId    string
		}
		cli.json(t, &undel, "s3api", "delete-object", "--bucket", bucket, "--key", key, "--version-id", del.VersionId)
		if !undel.DeleteMarker || undel.VersionId != del.VersionId {
			t.Errorf("delete-object --version-id <marker>: DeleteMarker %t, VersionId %q; want true, %s", undel.DeleteMarker, undel.VersionId, del.VersionId)
		}
		back := must(rootS3.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)}))(t)
		b := must(io.ReadAll(back.Body))(t)
		back.Body.Close()
		if string(b) != files["two"] || aws.ToString(back.VersionId) != put2.VersionId {
			t.Errorf("GetObject after removing the marker: %q version %q; want %q version %s", b, aws.ToString(back.VersionId), files["two"], put2.VersionId)
		}

		// Suspended: a put writes the null version; the others stay.
		cli.ok(t, "s3api", "put-bucket-versioning", "--bucket", bucket, "--versioning-configuration", "Status=Suspended")
		if v := must(rootS3.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: aws.String(bucket)}))(t); v.Status != types.BucketVersioningStatusSuspended {
			t.Fatalf("GetBucketVersioning: Status %q, want Suspended", v.Status)
		}
		cli.ok(t, "s3api", "put-object", "--bucket", bucket, "--key", key, "--body", "three")
		lv := must(rootS3.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: aws.String(bucket)}))(t)
		var ids []string
		for _, v := range lv.Versions {
			id := aws.ToString(v.VersionId)
			if aws.ToBool(v.IsLatest) {
				id += " (latest)"
			}
			ids = append(ids, id)
		}
		if want := []string{"null (latest)", put2.VersionId, put1.VersionId}; !slices.Equal(ids, want) || len(lv.DeleteMarkers) != 0 {
			t.Errorf("ListObjectVersions when suspended: versions %q, %d delete markers; want %q and none", ids, len(lv.DeleteMarkers), want)
		} else if n := aws.ToInt64(lv.Versions[0].Size); n != int64(len(files["three"])) {
			t.Errorf("null version: %d bytes, want %d", n, len(files["three"]))
		}
	})

	t.Run("BucketPolicy", func(t *testing.T) {
		t.Parallel()
		const bucket = "s3api-policy"
		must(rootS3.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)}))(t)
		must(rootS3.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), Body: strings.NewReader("policy-protected\n")}))(t)
		readerKey := newUserWithKey(t, srv.iam(t, rootCreds), "policy-reader")
		reader := srv.s3(t, readerKey)
		readObject := func() error {
			_, err := reader.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
			return err
		}
		policy := `{"Version":"2012-10-17","Statement":[{"Sid":"ReadObjects","Effect":"Allow",` +
			`"Principal":{"AWS":"` + userARN("policy-reader") + `"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::` + bucket + `/*"}]}`
		wantErr(t, readObject(), "AccessDenied", http.StatusForbidden)

		cli.ok(t, "s3api", "put-bucket-policy", "--bucket", bucket, "--policy", policy)
		var got struct{ Policy string }
		cli.json(t, &got, "s3api", "get-bucket-policy", "--bucket", bucket)
		if !sameJSON(t, got.Policy, policy) {
			t.Errorf("get-bucket-policy:\n got %s\nwant %s", got.Policy, policy)
		}
		if err := readObject(); err != nil {
			t.Errorf("GetObject by the user the bucket policy names: %v", err)
		}
		_, err := reader.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String("x"), Body: strings.NewReader("x")})
		wantErr(t, err, "AccessDenied", http.StatusForbidden)

		other := strings.Replace(policy, "arn:aws:s3:::"+bucket+"/*", "arn:aws:s3:::another-bucket/*", 1)
		cli.fails(t, []string{"MalformedPolicy", "Policy has invalid resource"}, "s3api", "put-bucket-policy", "--bucket", bucket, "--policy", other)
		if err := readObject(); err != nil {
			t.Errorf("after a refused put-bucket-policy the old policy should stand: %v", err)
		}

		cli.ok(t, "s3api", "delete-bucket-policy", "--bucket", bucket)
		_, err = rootS3.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String(bucket)})
		wantErr(t, err, "NoSuchBucketPolicy", http.StatusNotFound)
		wantErr(t, readObject(), "AccessDenied", http.StatusForbidden)
	})

	t.Run("BucketTagging", func(t *testing.T) {
		t.Parallel()
		const bucket = "s3api-tagging"
		must(rootS3.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)}))(t)
		cli.fails(t, []string{"NoSuchTagSet"}, "s3api", "get-bucket-tagging", "--bucket", bucket)
		cli.ok(t, "s3api", "put-bucket-tagging", "--bucket", bucket, "--tagging",
			`{"TagSet":[{"Key":"team","Value":"storage"},{"Key":"cost center","Value":"4 2+ é"}]}`)
		var got struct{ TagSet []struct{ Key, Value string } }
		cli.json(t, &got, "s3api", "get-bucket-tagging", "--bucket", bucket)
		tags := map[string]string{}
		for _, tag := range got.TagSet {
			tags[tag.Key] = tag.Value
		}
		if want := map[string]string{"team": "storage", "cost center": "4 2+ é"}; !reflect.DeepEqual(tags, want) {
			t.Errorf("get-bucket-tagging: %v, want %v", tags, want)
		}
		cli.ok(t, "s3api", "delete-bucket-tagging", "--bucket", bucket)
		_, err := rootS3.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: aws.String(bucket)})
		wantErr(t, err, "NoSuchTagSet", http.StatusNotFound)
	})

	t.Run("DeleteObjects", func(t *testing.T) {
		t.Parallel()
		const plain = "s3api-plain-bucket"
		must(rootS3.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(plain)}))(t)
		for _, k := range []string{"batch/a", "batch/b c", "batch/ü+1", "batch/keep"} {
			must(rootS3.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(plain), Key: aws.String(k), Body: bytes.NewReader([]byte(k))}))(t)
		}
		del := `{"Objects":[{"Key":"batch/a"},{"Key":"batch/b c"},{"Key":"batch/ü+1"},{"Key":"batch/never-was"}]}`
		var out struct {
			Deleted []struct{ Key string }
			Errors  []struct{ Key, Code string }
		}
		cli.json(t, &out, "s3api", "delete-objects", "--bucket", plain, "--delete", del)
		var deleted []string
		for _, d := range out.Deleted {
			deleted = append(deleted, d.Key)
		}
		slices.Sort(deleted)
		// S3 reports a key that did not exist as deleted too.
		if want := []string{"batch/a", "batch/b c", "batch/never-was", "batch/ü+1"}; !slices.Equal(deleted, want) || len(out.Errors) != 0 {
			t.Errorf("delete-objects: deleted %q, errors %v; want %q and none", deleted, out.Errors, want)
		}
		if got := s3Keys(t, rootS3, plain, ""); !slices.Equal(got, []string{"batch/keep"}) {
			t.Errorf("keys after delete-objects: %q, want [batch/keep]", got)
		}
	})
}

// sameJSON reports whether two JSON documents are equal as values.
func sameJSON(t testing.TB, a, b string) bool {
	t.Helper()
	var va, vb any
	if err := json.Unmarshal([]byte(a), &va); err != nil {
		t.Errorf("not JSON (%v): %s", err, a)
		return false
	}
	if err := json.Unmarshal([]byte(b), &vb); err != nil {
		t.Errorf("not JSON (%v): %s", err, b)
		return false
	}
	return reflect.DeepEqual(va, vb)
}
