package s3_test

import (
	"bytes"
	"errors"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/blob"
	"github.com/gatehouse-dev/gatehouse/s3"
	"github.com/gatehouse-dev/gatehouse/store/sqlite"
)

const accountID = "123456789012"

// newService returns an S3 service on an in-memory store, with account
// accountID, and a temporary blob store.
func newService(t *testing.T) *s3.Service {
	t.Helper()
	st, err := sqlite.Open(t.Context(), sqlite.MemoryPath, sqlite.Options{SecretKey: make([]byte, 32)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.Update(t.Context(), func(tx gatehouse.Tx) error {
		return tx.CreateAccount(&gatehouse.Account{ID: accountID, Email: "root@example.com"})
	}); err != nil {
		t.Fatal(err)
	}
	blobs, err := blob.OpenTemp()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { blobs.Close() })
	return &s3.Service{Store: gatehouse.Narrow[s3.Tx](st), Blobs: blobs}
}

func createBucket(t *testing.T, s *s3.Service, name string) *gatehouse.Bucket {
	t.Helper()
	b, err := s.CreateBucket(t.Context(), s3.CreateBucketInput{AccountID: accountID, Name: name, Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// blobFiles lists the committed blobs' files under the blob store's
// directory (the tmp directory of writes in progress aside).
func blobFiles(t *testing.T, s *blob.Store) []string {
	t.Helper()
	var names []string
	err := filepath.WalkDir(s.Dir(), func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && blob.ValidID(d.Name()) {
			names = append(names, d.Name())
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return names
}

// TestDeleteBucketDiscardsUploads: a bucket with multipart uploads in
// progress but no object is deleted, and its uploads' part blobs are
// removed with it (not left for the next start's sweep).
func TestDeleteBucketDiscardsUploads(t *testing.T) {
	s := newService(t)
	ctx := t.Context()
	b := createBucket(t, s, "with-uploads")
	other := createBucket(t, s, "other-bucket")
	var parts []*gatehouse.Part
	for _, bucket := range []*gatehouse.Bucket{b, b, other} {
		u, err := s.CreateMultipartUpload(ctx, bucket, s3.CreateUploadInput{Key: "big.bin", Owner: accountID})
		if err != nil {
			t.Fatal(err)
		}
		for n := 1; n <= 2; n++ {
			p, err := s.UploadPart(ctx, bucket, s3.UploadPartInput{Key: "big.bin", UploadID: u.ID, Number: n},
				bytes.NewReader([]byte(strings.Repeat("x", 100*n))))
			if err != nil {
				t.Fatal(err)
			}
			parts = append(parts, p)
		}
	}
	if got := blobFiles(t, s.Blobs); len(got) != 6 {
		t.Fatalf("%d blobs before the delete, want 6: %v", len(got), got)
	}

	// An object keeps the bucket, and its uploads with it.
	if _, err := s.PutObject(ctx, b, s3.PutObjectInput{Key: "a.txt", Owner: accountID}, strings.NewReader("a")); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteBucket(ctx, b); gatehouse.ErrorCode(err) != s3.CodeBucketNotEmpty {
		t.Fatalf("DeleteBucket with an object: %v, want BucketNotEmpty", err)
	}
	if ups, _, err := s.ListUploads(ctx, b, "", "", "", 1000); err != nil || len(ups) != 2 {
		t.Fatalf("uploads after BucketNotEmpty: %d, %v; want 2", len(ups), err)
	}
	if _, err := s.DeleteObject(ctx, b, "a.txt", "", false, accountID); err != nil {
		t.Fatal(err)
	}

	if err := s.DeleteBucket(ctx, b); err != nil {
		t.Fatalf("DeleteBucket with uploads in progress: %v", err)
	}
	if _, err := s.Bucket(ctx, "", b.Name); gatehouse.ErrorCode(err) != s3.CodeNoSuchBucket {
		t.Fatalf("bucket after the delete: %v, want NoSuchBucket", err)
	}
	for i, p := range parts {
		f, err := s.Blobs.Open(p.BlobID)
		if i < 4 {
			if !errors.Is(err, blob.ErrNotFound) {
				t.Errorf("part %d of the deleted bucket: blob %s still there (%v)", i, p.BlobID, err)
			}
		} else if err != nil {
			t.Errorf("part %d of the other bucket: %v", i, err)
		}
		if err == nil {
			f.Close()
		}
	}
	if got := blobFiles(t, s.Blobs); len(got) != 2 {
		t.Errorf("%d blobs after the delete, want the other bucket's 2: %v", len(got), got)
	}
	// The other bucket's upload is untouched.
	if ups, _, err := s.ListUploads(ctx, other, "", "", "", 1000); err != nil || len(ups) != 1 {
		t.Errorf("the other bucket's uploads: %d, %v; want 1", len(ups), err)
	}
}

// TestMFADeleteConfigured: once a PutBucketVersioning has set MfaDelete,
// Enabled or Disabled, the bucket remembers it was configured; a change
// of Status alone keeps that.
func TestMFADeleteConfigured(t *testing.T) {
	s := newService(t)
	ctx := t.Context()
	b := createBucket(t, s, "mfa-bucket")
	read := func() *gatehouse.Bucket {
		t.Helper()
		got, err := s.Bucket(ctx, "", b.Name)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	steps := []struct {
		status, mfaDelete      string
		mfaChecked             bool
		wantOn, wantConfigured bool
	}{
		{"Enabled", "", false, false, false},
		{"Enabled", "Disabled", true, false, true},
		{"Suspended", "", false, false, true},
		{"Enabled", "Enabled", true, true, true},
		{"Enabled", "Disabled", true, false, true},
	}
	for i, st := range steps {
		if err := s.PutBucketVersioning(ctx, read(), st.status, st.mfaDelete, st.mfaChecked); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if got := read(); got.Versioning != st.status || got.MFADelete != st.wantOn || got.MFADeleteConfigured != st.wantConfigured {
			t.Errorf("step %d: versioning %q, MFA delete %v, configured %v; want %q, %v, %v", i,
				got.Versioning, got.MFADelete, got.MFADeleteConfigured, st.status, st.wantOn, st.wantConfigured)
		}
	}
	// Without a checked code, MfaDelete cannot be named.
	if err := s.PutBucketVersioning(ctx, read(), "Enabled", "Disabled", false); gatehouse.ErrorCode(err) != gatehouse.CodeDenied {
		t.Errorf("MfaDelete without a code: %v, want AccessDenied", err)
	}
}

// TestListBucketsPages pages through an account's buckets, by name, with
// a prefix and a region.
func TestListBucketsPages(t *testing.T) {
	s := newService(t)
	ctx := t.Context()
	for _, name := range []string{"c-bucket", "a-bucket", "b-bucket", "a-other"} {
		createBucket(t, s, name)
	}
	if _, err := s.CreateBucket(ctx, s3.CreateBucketInput{AccountID: accountID, Name: "a-eu", Region: "eu-west-1", Constraint: "eu-west-1"}); err != nil {
		t.Fatal(err)
	}
	names := func(list []*gatehouse.Bucket) string {
		var n []string
		for _, b := range list {
			n = append(n, b.Name)
		}
		return strings.Join(n, ",")
	}
	for _, tc := range []struct {
		in        s3.ListBucketsInput
		want      string
		truncated bool
	}{
		{s3.ListBucketsInput{}, "a-bucket,a-eu,a-other,b-bucket,c-bucket", false},
		{s3.ListBucketsInput{Max: 2}, "a-bucket,a-eu", true},
		{s3.ListBucketsInput{Max: 2, After: "a-eu"}, "a-other,b-bucket", true},
		{s3.ListBucketsInput{Max: 2, After: "b-bucket"}, "c-bucket", false},
		{s3.ListBucketsInput{Max: 1, After: "b-bucket"}, "c-bucket", false},
		{s3.ListBucketsInput{Max: 1, After: "c-bucket"}, "", false},
		{s3.ListBucketsInput{Prefix: "a-"}, "a-bucket,a-eu,a-other", false},
		{s3.ListBucketsInput{Prefix: "a-", Max: 2, After: "a-bucket"}, "a-eu,a-other", false},
		{s3.ListBucketsInput{Region: "eu-west-1"}, "a-eu", false},
		{s3.ListBucketsInput{Region: "us-east-1", Prefix: "a-"}, "a-bucket,a-other", false},
		{s3.ListBucketsInput{Region: "us-west-2"}, "", false},
	} {
		tc.in.AccountID = accountID
		list, truncated, err := s.ListBuckets(ctx, tc.in)
		if err != nil {
			t.Fatal(err)
		}
		if got := names(list); got != tc.want || truncated != tc.truncated {
			t.Errorf("%+v: %q, truncated %v; want %q, %v", tc.in, got, truncated, tc.want, tc.truncated)
		}
	}
	if list, _, err := s.ListBuckets(ctx, s3.ListBucketsInput{AccountID: "210987654321"}); err != nil || len(list) != 0 {
		t.Errorf("another account's buckets: %d, %v", len(list), err)
	}
}
