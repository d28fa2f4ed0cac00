package s3_test

import (
	"testing"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/s3"
)

// TestBucketReadsFollowChanges: Bucket serves what is stored after
// every kind of bucket change, and a caller changing the bucket it got
// changes nothing for the next.
func TestBucketReadsFollowChanges(t *testing.T) {
	s := newService(t)
	ctx := t.Context()
	createBucket(t, s, "cached")
	get := func() *gatehouse.Bucket {
		t.Helper()
		b, err := s.Bucket(ctx, "", "cached")
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	b := get()
	b.Tags = append(b.Tags, gatehouse.Tag{Key: "local", Value: "change"})
	b.PublicAccessBlock.BlockPublicPolicy = false
	if again := get(); len(again.Tags) != 0 || !again.PublicAccessBlock.BlockPublicPolicy {
		t.Fatalf("a caller's change to its copy leaked: %+v", again)
	}

	if err := s.PutBucketTagging(ctx, get(), []gatehouse.Tag{{Key: "team", Value: "a"}}); err != nil {
		t.Fatal(err)
	}
	if got := get().Tags; len(got) != 1 || got[0].Value != "a" {
		t.Errorf("tags after PutBucketTagging: %v", got)
	}
	if err := s.PutBucketVersioning(ctx, get(), s3.VersioningEnabled, "", false); err != nil {
		t.Fatal(err)
	}
	if got := get().Versioning; got != s3.VersioningEnabled {
		t.Errorf("versioning after PutBucketVersioning: %q", got)
	}
	if err := s.PutPublicAccessBlock(ctx, get(), gatehouse.PublicAccessBlock{}); err != nil {
		t.Fatal(err)
	}
	if got := get().PublicAccessBlock; got == nil || got.BlockPublicPolicy {
		t.Errorf("public access block after PutPublicAccessBlock: %+v", got)
	}
	if err := s.DeleteBucket(ctx, get()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Bucket(ctx, "", "cached"); gatehouse.ErrorCode(err) != s3.CodeNoSuchBucket {
		t.Errorf("Bucket after DeleteBucket: %v, want NoSuchBucket", err)
	}
	// A new bucket of the same name is a new bucket.
	again := createBucket(t, s, "cached")
	if got := get(); got.ID != again.ID || got.Versioning != "" {
		t.Errorf("recreated bucket read as %+v, want %+v", got, again)
	}
}
