package e2e

import (
	"context"
	"encoding/xml"
	"io"
	"maps"
	"net/http"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// syncTree is the directory the CLI tests sync both ways: nested
// directories, an empty file, and names with spaces, '+', '%', '&', '?',
// '=' and non-ASCII characters. (The empty file among others is what
// shows whether an empty PutObject leaves botocore's connection usable.)
var syncTree = map[string]string{
	"top.txt":                    "top\n",
	"empty.txt":                  "",
	"a/b/deep file+plus.txt":     "deep\n",
	"a/x%y&z=1?.txt":             "query-looking\n",
	"sp ace/héllo wörld ✓.txt":   "unicode\n",
	"日本語/ファイル 1+1.txt":           "cjk\n",
	"a/b/c/d/e/nested-deeply.md": "# deep\n",
}

// lsObject matches an object line of `aws s3 ls`: date, time, size, key.
var lsObject = regexp.MustCompile(`^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d +(\d+) (.+)$`)

// lsListing parses `aws s3 ls` output of a bucket: key to size, and the
// PRE lines' prefixes.
func lsListing(out string) (objects map[string]int, prefixes []string) {
	objects = map[string]int{}
	for _, line := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		if p, ok := strings.CutPrefix(strings.TrimSpace(line), "PRE "); ok {
			prefixes = append(prefixes, p)
		} else if m := lsObject.FindStringSubmatch(line); m != nil {
			n, _ := strconv.Atoi(m[1])
			objects[m[2]] = n
		}
	}
	return objects, prefixes
}

// TestS3CLI drives S3 with the high-level `aws s3` commands of both aws
// CLIs: buckets, small and multipart copies both ways, listings, sync of a
// tree with awkward names, presigned URLs, recursive removal, bucket
// removal, and a bucket in another region reached through botocore's
// region redirect.
func TestS3CLI(t *testing.T) {
	t.Parallel()
	clis := findS3CLIs(t)
	srv := startServer(t, serverOptions{Ephemeral: true})
	sdk := srv.s3(t, rootCreds)
	iamRoot := srv.iam(t, rootCreds)
	ctx := context.Background()

	data := t.TempDir()
	small := []byte("a small object, written by the aws CLI\n")
	big := randomBytes(1, bigSize)
	writeFile(t, filepath.Join(data, "small.txt"), small)
	writeFile(t, filepath.Join(data, "big.bin"), big)
	tree := filepath.Join(data, "tree")
	for name, content := range syncTree {
		writeFile(t, filepath.Join(tree, filepath.FromSlash(name)), []byte(content))
	}

	t.Run("Clients", func(t *testing.T) {
		for _, tc := range []struct{ name, path string }{{"v1", clis.v1}, {"v2", clis.v2}} {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				start := time.Now()
				// Each CLI has an administrator key of its own, so that the
				// server's log tells its requests apart.
				key := newUserWithKey(t, iamRoot, "cli-"+tc.name, adminAccess)
				cli := newAWSCLI(t, tc.name, tc.path, srv).as(key)
				bucket := "cli-" + tc.name + "-bucket"
				uri := "s3://" + bucket
				down := t.TempDir()

				t.Run("MakeAndCopyUp", func(t *testing.T) {
					if out := cli.ok(t, "s3", "mb", uri); !strings.Contains(out, "make_bucket: "+bucket) {
						t.Errorf("s3 mb printed %q", out)
					}
					cli.ok(t, "s3", "cp", "--no-progress", filepath.Join(data, "small.txt"), uri+"/dir/small.txt")
					cli.ok(t, "s3", "cp", "--no-progress", filepath.Join(data, "big.bin"), uri+"/big.bin")
					// The big file went up in three 8 MiB parts: S3's
					// multipart ETag ends in -3.
					h := must(sdk.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String("big.bin")}))(t)
					if etag := aws.ToString(h.ETag); !strings.HasSuffix(etag, `-3"`) || aws.ToInt64(h.ContentLength) != bigSize {
						t.Errorf("big.bin: ETag %s, %d bytes; want a 3-part multipart ETag and %d bytes", etag, aws.ToInt64(h.ContentLength), bigSize)
					}
				})
				if t.Failed() {
					t.FailNow()
				}

				t.Run("List", func(t *testing.T) {
					if out := cli.ok(t, "s3", "ls"); !regexp.MustCompile(`(?m)^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d ` + bucket + `$`).MatchString(out) {
						t.Errorf("s3 ls does not list %s:\n%s", bucket, out)
					}
					objects, prefixes := lsListing(cli.ok(t, "s3", "ls", uri))
					if want := map[string]int{"big.bin": bigSize}; !maps.Equal(objects, want) || !slices.Equal(prefixes, []string{"dir/"}) {
						t.Errorf("s3 ls %s: objects %v, prefixes %v; want %v and [dir/]", uri, objects, prefixes, want)
					}
					objects, prefixes = lsListing(cli.ok(t, "s3", "ls", "--recursive", uri))
					if want := map[string]int{"big.bin": bigSize, "dir/small.txt": len(small)}; !maps.Equal(objects, want) || len(prefixes) != 0 {
						t.Errorf("s3 ls --recursive %s: objects %v, prefixes %v; want %v and none", uri, objects, prefixes, want)
					}
				})

				t.Run("CopyDown", func(t *testing.T) {
					cli.ok(t, "s3", "cp", "--no-progress", uri+"/big.bin", filepath.Join(down, "big.bin"))
					sameBytes(t, filepath.Join(down, "big.bin"), big)
					cli.ok(t, "s3", "cp", "--no-progress", uri+"/dir/small.txt", filepath.Join(down, "small.txt"))
					sameBytes(t, filepath.Join(down, "small.txt"), small)
				})

				t.Run("SyncBothWays", func(t *testing.T) {
					// Every file goes up in one PutObject, none retried. (A
					// PutObject that botocore had to retry after its read
					// timeout shows as an extra one; the read timeout is
					// lowered from 60 s to 10 s to keep such a failure short.)
					before := srv.waitCount(t, key.ID, "PutObject", http.StatusOK, 1)
					cli.ok(t, "s3", "sync", "--no-progress", "--cli-read-timeout", "10", tree, uri+"/tree/")
					if n := srv.waitCount(t, key.ID, "PutObject", http.StatusOK, before+len(syncTree)) - before; n != len(syncTree) {
						t.Errorf("s3 sync of %d files sent %d successful PutObject requests; want one per file (a request was retried)", len(syncTree), n)
					}
					var want []string
					for name := range syncTree {
						want = append(want, "tree/"+name)
					}
					slices.Sort(want)
					if got := s3Keys(t, sdk, bucket, "tree/"); !slices.Equal(got, want) {
						t.Errorf("keys after sync up:\n got %q\nwant %q", got, want)
					}
					back := filepath.Join(down, "tree")
					cli.ok(t, "s3", "sync", "--no-progress", uri+"/tree/", back)
					diffTrees(t, readTree(t, back), readTree(t, tree))
				})

				t.Run("Presign", func(t *testing.T) {
					signer := cli
					if tc.name == "v1" {
						// aws CLI v1 presigns with SigV2 unless told otherwise.
						signer = cli.withConfig(t, "[default]\ns3 =\n    signature_version = s3v4\n")
					}
					u := strings.TrimSpace(signer.ok(t, "s3", "presign", uri+"/dir/small.txt", "--expires-in", "600"))
					if !strings.Contains(u, "X-Amz-Algorithm=AWS4-HMAC-SHA256") || !strings.Contains(u, "X-Amz-Expires=600") {
						t.Fatalf("presigned URL is not SigV4 with X-Amz-Expires=600: %s", u)
					}
					status, body := httpGet(t, u)
					if status != http.StatusOK || body != string(small) {
						t.Errorf("GET presigned URL: HTTP %d %q; want 200 with the object", status, body)
					}
					i := strings.LastIndex(u, "X-Amz-Signature=") + len("X-Amz-Signature=")
					flipped := "0"
					if u[i] == '0' {
						flipped = "1"
					}
					for what, bad := range map[string]string{
						"signature": u[:i] + flipped + u[i+1:],
						"key":       strings.Replace(u, "/dir/small.txt?", "/big.bin?", 1),
						"expiry":    strings.Replace(u, "X-Amz-Expires=600", "X-Amz-Expires=6000", 1),
					} {
						status, body := httpGet(t, bad)
						if code := s3ErrorCode(body); status != http.StatusForbidden || code != "SignatureDoesNotMatch" {
							t.Errorf("GET presigned URL with a changed %s: HTTP %d %s; want 403 SignatureDoesNotMatch\n%s", what, status, code, body)
						}
					}
				})

				t.Run("RemoveRecursiveAndBucket", func(t *testing.T) {
					cli.fails(t, []string{"BucketNotEmpty"}, "s3", "rb", uri)
					if n := len(s3Keys(t, sdk, bucket, "")); n != 2+len(syncTree) {
						t.Fatalf("after a refused rb the bucket holds %d objects, want %d", n, 2+len(syncTree))
					}
					out := cli.ok(t, "s3", "rm", "--recursive", uri)
					for _, key := range []string{"big.bin", "dir/small.txt", "tree/sp ace/héllo wörld ✓.txt"} {
						if !strings.Contains(out, "delete: "+uri+"/"+key+"\n") {
							t.Errorf("s3 rm --recursive output lacks the deletion of %q:\n%s", key, out)
						}
					}
					if keys := s3Keys(t, sdk, bucket, ""); len(keys) != 0 {
						t.Errorf("after s3 rm --recursive: %q left", keys)
					}
					if out := cli.ok(t, "s3", "rb", uri); !strings.Contains(out, "remove_bucket: "+bucket) {
						t.Errorf("s3 rb printed %q", out)
					}
					_, err := sdk.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(bucket)})
					wantErr(t, err, "NotFound", http.StatusNotFound)
				})

				// aws s3 mb --region eu-west-1 sends a LocationConstraint;
				// later commands sign for us-east-1, get
				// AuthorizationHeaderMalformed with <Region> and retry. (With
				// v1 only, to keep the test short: v2 2.9 passed it too.)
				t.Run("OtherRegion", func(t *testing.T) {
					if tc.name != "v1" {
						t.Skip("run with aws CLI v1 only")
					}
					eu := "cli-" + tc.name + "-eu-bucket"
					cli.ok(t, "s3", "mb", "s3://"+eu, "--region", "eu-west-1")
					loc := must(sdk.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String(eu)}))(t)
					if got := string(loc.LocationConstraint); got != "eu-west-1" {
						t.Fatalf("GetBucketLocation(%s) = %q, want eu-west-1", eu, got)
					}
					cli.ok(t, "s3", "cp", "--no-progress", filepath.Join(data, "small.txt"), "s3://"+eu+"/small.txt")
					if objects, _ := lsListing(cli.ok(t, "s3", "ls", "s3://"+eu)); !maps.Equal(objects, map[string]int{"small.txt": len(small)}) {
						t.Errorf("s3 ls s3://%s: %v, want small.txt", eu, objects)
					}
					if got := cli.ok(t, "s3", "cp", "s3://"+eu+"/small.txt", "-"); got != string(small) {
						t.Errorf("s3 cp s3://%s/small.txt -: %q, want %q", eu, got, small)
					}
					// Each of the three commands after mb first signed for
					// us-east-1 and was sent to eu-west-1 by the error.
					if n := srv.waitCount(t, key.ID, "", http.StatusBadRequest, 3); n < 3 {
						t.Errorf("the server answered %d requests of %s with 400; want at least 3 (one AuthorizationHeaderMalformed per command)", n, tc.name)
					}
					for _, r := range srv.requests(t) {
						if r.AccessKey == key.ID && r.Status == http.StatusBadRequest && r.ErrorCode != "AuthorizationHeaderMalformed" {
							t.Errorf("%s %s: 400 %s; want only AuthorizationHeaderMalformed", r.Method, r.Action, r.ErrorCode)
						}
					}
				})
				t.Logf("aws CLI %s: %s", tc.name, time.Since(start).Round(time.Millisecond))
			})
		}
	})
}

// httpGet fetches u with net/http and returns the status and body.
func httpGet(t testing.TB, u string) (int, string) {
	t.Helper()
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Get(u)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	return resp.StatusCode, string(b)
}

// s3ErrorCode returns the Code of an S3 <Error> document, or "".
func s3ErrorCode(body string) string {
	var e struct {
		XMLName xml.Name `xml:"Error"`
		Code    string   `xml:"Code"`
	}
	if xml.Unmarshal([]byte(body), &e) != nil {
		return ""
	}
	return e.Code
}
