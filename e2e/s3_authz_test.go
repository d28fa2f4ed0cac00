package e2e

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// TestS3Authorization follows an IAM user through S3 with aws CLI v1:
// without any policy it is denied; a bucket policy naming it lets it read
// one bucket's objects; an inline policy allowing s3:* on another bucket
// lets it work there and nowhere else.
func TestS3Authorization(t *testing.T) {
	t.Parallel()
	clis := findS3CLIs(t)
	srv := startServer(t, serverOptions{Ephemeral: true})
	ctx := context.Background()
	root := newAWSCLI(t, "v1", clis.v1, srv)
	rootS3 := srv.s3(t, rootCreds)

	const mine, shared = "authz-mine", "authz-shared"
	report := []byte("quarterly numbers\n")
	for _, b := range []string{mine, shared} {
		must(rootS3.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(b)}))(t)
	}
	must(rootS3.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(shared), Key: aws.String("reports/q3.txt"), Body: bytes.NewReader(report)}))(t)

	// Root creates the user and its key with the CLI.
	root.ok(t, "iam", "create-user", "--user-name", "s3-dev")
	var k struct {
		AccessKey struct{ AccessKeyId, SecretAccessKey string }
	}
	root.json(t, &k, "iam", "create-access-key", "--user-name", "s3-dev")
	dev := root.as(creds{ID: k.AccessKey.AccessKeyId, Secret: k.AccessKey.SecretAccessKey})
	local := filepath.Join(dev.dir, "upload.txt")
	writeFile(t, local, []byte("from s3-dev\n"))
	denied := func(action, resource string) []string {
		return []string{"AccessDenied", "User: " + userARN("s3-dev") + " is not authorized to perform: " + action, resource}
	}

	t.Run("NoPolicy", func(t *testing.T) {
		dev.fails(t, denied("s3:ListAllMyBuckets", ""), "s3", "ls")
		dev.fails(t, denied("s3:PutObject", "arn:aws:s3:::"+mine+"/upload.txt"), "s3", "cp", "--no-progress", local, "s3://"+mine+"/upload.txt")
		// cp downloads start with HeadObject, whose 403 has no body.
		dev.fails(t, []string{"(403)", "HeadObject"}, "s3", "cp", "s3://"+shared+"/reports/q3.txt", "-")
	})

	// Same account: the bucket policy alone grants the read.
	t.Run("BucketPolicyGrant", func(t *testing.T) {
		root.ok(t, "s3api", "put-bucket-policy", "--bucket", shared, "--policy",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"`+userARN("s3-dev")+`"},`+
				`"Action":"s3:GetObject","Resource":"arn:aws:s3:::`+shared+`/*"}]}`)
		if got := dev.ok(t, "s3", "cp", "s3://"+shared+"/reports/q3.txt", "-"); got != string(report) {
			t.Errorf("s3 cp through the bucket policy: %q, want %q", got, report)
		}
		dev.fails(t, denied("s3:ListBucket", "arn:aws:s3:::"+shared), "s3", "ls", "s3://"+shared)
	})

	t.Run("InlinePolicyOnOneBucket", func(t *testing.T) {
		root.ok(t, "iam", "put-user-policy", "--user-name", "s3-dev", "--policy-name", "mine", "--policy-document",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*",`+
				`"Resource":["arn:aws:s3:::`+mine+`","arn:aws:s3:::`+mine+`/*"]}]}`)
		dev.ok(t, "s3", "cp", "--no-progress", local, "s3://"+mine+"/upload.txt")
		objects, _ := lsListing(dev.ok(t, "s3", "ls", "s3://"+mine))
		if _, ok := objects["upload.txt"]; !ok || len(objects) != 1 {
			t.Errorf("s3 ls s3://%s as s3-dev: %v, want upload.txt", mine, objects)
		}
		dev.fails(t, denied("s3:PutObject", "arn:aws:s3:::"+shared+"/upload.txt"), "s3", "cp", "--no-progress", local, "s3://"+shared+"/upload.txt")
		if keys := s3Keys(t, rootS3, shared, ""); strings.Join(keys, ",") != "reports/q3.txt" {
			t.Errorf("%s holds %q after the refused copy", shared, keys)
		}
	})
}
