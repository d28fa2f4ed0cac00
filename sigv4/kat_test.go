package sigv4_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse/sigv4"
)

// TestAWSDocumentationExample reproduces the worked example of the AWS
// documentation ("Create a signed AWS API request", IAM ListUsers), both
// by signing and by verifying.
func TestAWSDocumentationExample(t *testing.T) {
	t.Parallel()
	const (
		wantCRHash = "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59"
		wantSTS    = "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/iam/aws4_request\n" + wantCRHash
		wantAuthz  = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"
		wantCR     = "GET\n/\nAction=ListUsers&Version=2010-05-08\n" +
			"content-type:application/x-www-form-urlencoded; charset=utf-8\nhost:iam.amazonaws.com\nx-amz-date:20150830T123600Z\n\n" +
			"content-type;host;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	)
	signer := sigv4.Signer{AccessKeyID: exampleKeyID, SecretAccessKey: exampleSecret, Region: "us-east-1", Service: "iam", Now: MustClock(t, "20150830T123600Z")}
	r := MustNewRequest(t, "GET", "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08", nil,
		"Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	if err := signer.Sign(r, nil); err != nil {
		t.Fatal(err)
	}
	if got := r.Header.Get("Authorization"); got != wantAuthz {
		t.Errorf("Authorization =\n%s\nwant\n%s", got, wantAuthz)
	}

	_, server, body := MustWire(t, r, nil)
	cr, sts, err := sigv4.Canonicalize(server, body)
	if err != nil {
		t.Fatal(err)
	}
	if sum := sha256.Sum256([]byte(cr)); cr != wantCR || hex.EncodeToString(sum[:]) != wantCRHash {
		t.Errorf("canonical request =\n%s\nwant\n%s", cr, wantCR)
	}
	if sts != wantSTS {
		t.Errorf("string to sign =\n%s\nwant\n%s", sts, wantSTS)
	}
	v := &sigv4.Verifier{Secrets: secretMap{exampleKeyID: exampleSecret}, Now: MustClock(t, "20150830T123600Z")}
	res, err := v.Verify(context.Background(), server, body)
	if err != nil {
		t.Fatal(err)
	}
	if res.AccessKeyID != exampleKeyID || res.Region != "us-east-1" || res.Service != "iam" || res.Presigned {
		t.Errorf("result = %v", res)
	}
}

// TestAWSTestSuite verifies requests of the AWS SigV4 test suite against
// their published signatures, and checks that a changed signature fails.
func TestAWSTestSuite(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("testdata/aws-sig-v4-test-suite/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test vectors: %v", err)
	}
	v := &sigv4.Verifier{Secrets: secretMap{exampleKeyID: exampleSecret}, Now: MustClock(t, "20150830T123600Z")}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txt"), func(t *testing.T) {
			t.Parallel()
			raw, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			r, body := MustReadRequest(t, string(raw))
			res, err := v.Verify(context.Background(), r, body)
			if err != nil {
				cr, sts, _ := sigv4.Canonicalize(r, body)
				t.Fatalf("Verify: %v\ncanonical request:\n%s\nstring to sign:\n%s", err, cr, sts)
			}
			if res.Service != "service" || res.Region != "us-east-1" {
				t.Errorf("result = %v", res)
			}

			// The last hex digit of the signature, changed, must fail.
			bad := []byte(string(raw))
			i := strings.Index(string(raw), "Signature=") + len("Signature=") + 63
			bad[i] ^= 1
			r, body = MustReadRequest(t, string(bad))
			_, err = v.Verify(context.Background(), r, body)
			wantError(t, err, sigv4.CodeSignatureDoesNotMatch, 403, "")
		})
	}
}
