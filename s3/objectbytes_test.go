package s3_test

import (
	"bytes"
	"crypto/rand"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/s3"
)

// readObject reads a version's bytes through GetObject.
func readObject(t *testing.T, s *s3.Service, b *gatehouse.Bucket, in s3.GetObjectInput) []byte {
	t.Helper()
	r, err := s.GetObject(t.Context(), b, in)
	if err != nil {
		t.Fatalf("GetObject %s: %v", in.Key, err)
	}
	defer r.Body.Close()
	data, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestSmallObjectsInRecord: objects up to InlineMax bytes keep their
// bytes in their record, larger ones in a blob; either reads back whole
// and in ranges, copies, and serves UploadPartCopy, and deleting a blob
// object removes its blob.
func TestSmallObjectsInRecord(t *testing.T) {
	for _, tc := range []struct {
		name string
		size int
		blob bool
	}{
		{"empty", 0, false},
		{"one byte", 1, false},
		{"4 KiB", 4 << 10, false},
		{"InlineMax", s3.InlineMax, false},
		{"InlineMax+1", s3.InlineMax + 1, true},
		{"1 MiB", 1 << 20, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newService(t)
			ctx := t.Context()
			b := createBucket(t, s, "bytes")
			body := make([]byte, tc.size)
			rand.Read(body)
			// A reader that hands out a few bytes at a time, as a network does.
			o, err := s.PutObject(ctx, b, s3.PutObjectInput{Key: "k", Owner: accountID}, iotest.HalfReader(bytes.NewReader(body)))
			if err != nil {
				t.Fatal(err)
			}
			if got := o.Size; got != int64(tc.size) {
				t.Errorf("size %d, want %d", got, tc.size)
			}
			wantBlobs := 0
			if tc.blob {
				wantBlobs = 1
			}
			if got := blobFiles(t, s.Blobs); len(got) != wantBlobs {
				t.Fatalf("%d blob files, want %d", len(got), wantBlobs)
			}
			if got := readObject(t, s, b, s3.GetObjectInput{Key: "k"}); !bytes.Equal(got, body) {
				t.Fatalf("read back %d bytes, not the %d put", len(got), len(body))
			}
			if tc.size > 2 {
				got := readObject(t, s, b, s3.GetObjectInput{Key: "k", Range: "bytes=1-2"})
				if !bytes.Equal(got, body[1:3]) {
					t.Errorf("range 1-2: %x, want %x", got, body[1:3])
				}
			}

			// A copy is stored as its source is, and reads the same.
			if _, _, err := s.CopyObject(ctx, b, s3.CopySource{Bucket: b.Name, Key: "k"}, b, s3.CopyObjectInput{Key: "copy", Owner: accountID}); err != nil {
				t.Fatal(err)
			}
			if got := blobFiles(t, s.Blobs); len(got) != 2*wantBlobs {
				t.Errorf("%d blob files after the copy, want %d", len(got), 2*wantBlobs)
			}
			if got := readObject(t, s, b, s3.GetObjectInput{Key: "copy"}); !bytes.Equal(got, body) {
				t.Errorf("copy read back %d bytes, not the %d put", len(got), len(body))
			}

			// UploadPartCopy from the object (a part is always a blob).
			u, err := s.CreateMultipartUpload(ctx, b, s3.CreateUploadInput{Key: "assembled", Owner: accountID})
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := s.UploadPartCopy(ctx, b, s3.CopySource{Bucket: b.Name, Key: "k"}, b, "assembled", u.ID, 1, "", s3.GetObjectInput{}); err != nil {
				t.Fatal(err)
			}
			if err := s.AbortMultipartUpload(ctx, b, "assembled", u.ID); err != nil {
				t.Fatal(err)
			}

			// Deleting the versions leaves no blob behind.
			for _, key := range []string{"k", "copy"} {
				if _, err := s.DeleteObject(ctx, b, key, "", false, accountID); err != nil {
					t.Fatal(err)
				}
			}
			if got := blobFiles(t, s.Blobs); len(got) != 0 {
				t.Errorf("%d blob files after the deletes, want none", len(got))
			}
		})
	}
}

// TestIncompleteSmallBody: a body that breaks off stores nothing.
func TestIncompleteSmallBody(t *testing.T) {
	s := newService(t)
	b := createBucket(t, s, "bytes")
	_, err := s.PutObject(t.Context(), b, s3.PutObjectInput{Key: "k", Owner: accountID},
		io.MultiReader(strings.NewReader("part of it"), iotest.ErrReader(io.ErrUnexpectedEOF)))
	if gatehouse.ErrorCode(err) != s3.CodeIncompleteBody {
		t.Fatalf("PutObject of a broken body: %v, want IncompleteBody", err)
	}
	if _, err := s.HeadObject(t.Context(), b, s3.GetObjectInput{Key: "k"}); gatehouse.ErrorCode(err) != s3.CodeNoSuchKey {
		t.Fatalf("HeadObject after the broken PutObject: %v, want NoSuchKey", err)
	}
}
