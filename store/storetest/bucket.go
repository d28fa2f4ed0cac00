package storetest

import (
	"fmt"
	"testing"

	"github.com/gatehouse-dev/gatehouse"
)

// bucketTests cover S3 buckets and the versions of their objects.
func bucketTests() []test {
	return []test{
		{"BucketRoundTrip", func(t *testing.T, s gatehouse.Store) {
			seedAccounts(t, s)
			b := gatehouse.Bucket{ID: "b-1", Name: "photos", AccountID: acct1, Region: "eu-west-1", Created: at(1),
				Versioning: "Enabled", MFADelete: true, MFADeleteConfigured: true, Policy: `{"Version":"2012-10-17"}`, Tags: []gatehouse.Tag{{Key: "k", Value: "v"}},
				PublicAccessBlock: &gatehouse.PublicAccessBlock{BlockPublicPolicy: true, RestrictPublicBuckets: true}}
			mustUpdate(t, s, func(tx gatehouse.Tx) error { c := b; return tx.CreateBucket(&c) })
			mustView(t, s, func(tx gatehouse.Tx) error {
				got, err := tx.Bucket("", "photos")
				if err != nil {
					return err
				}
				wantEqual(t, "bucket", *got, b)
				got, err = tx.Bucket(gatehouse.Partition, "photos")
				if err != nil {
					return err
				}
				wantEqual(t, "bucket by partition name", got.ID, b.ID)
				_, err = tx.Bucket(gatehouse.PartitionGovCloud, "photos")
				wantCode(t, err, gatehouse.CodeNotFound)
				_, err = tx.Bucket("", "Photos") // names are exact
				wantCode(t, err, gatehouse.CodeNotFound)
				return nil
			})
			// The name is taken in the partition, by any account.
			err := s.Update(t.Context(), func(tx gatehouse.Tx) error {
				return tx.CreateBucket(&gatehouse.Bucket{ID: "b-2", Name: "photos", AccountID: acct2, Region: "us-east-1"})
			})
			wantCode(t, err, gatehouse.CodeAlreadyExists)
			b.Versioning, b.MFADelete, b.MFADeleteConfigured, b.Policy, b.Tags, b.PublicAccessBlock = "Suspended", false, false, "", nil, nil
			mustUpdate(t, s, func(tx gatehouse.Tx) error { c := b; return tx.UpdateBucket(&c) })
			mustView(t, s, func(tx gatehouse.Tx) error {
				got, err := tx.Bucket("", "photos")
				if err != nil {
					return err
				}
				wantEqual(t, "updated bucket", *got, b)
				list, err := tx.Buckets(acct1)
				wantEqual(t, "buckets of account", len(list), 1)
				list2, _ := tx.Buckets(acct2)
				wantEqual(t, "buckets of other account", len(list2), 0)
				return err
			})
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.DeleteBucket("b-1") })
			err = s.Update(t.Context(), func(tx gatehouse.Tx) error { return tx.DeleteBucket("b-1") })
			wantCode(t, err, gatehouse.CodeNotFound)
			// A deleted name may be taken by another account.
			mustUpdate(t, s, func(tx gatehouse.Tx) error {
				return tx.CreateBucket(&gatehouse.Bucket{ID: "b-3", Name: "photos", AccountID: acct2, Region: "us-east-1"})
			})
		}},
		{"ObjectVersions", func(t *testing.T, s gatehouse.Store) {
			seedAccounts(t, s)
			mustUpdate(t, s, func(tx gatehouse.Tx) error {
				return tx.CreateBucket(&gatehouse.Bucket{ID: "b-1", Name: "data", AccountID: acct1, Region: "us-east-1"})
			})
			put := func(key, version, blob string, marker bool) *gatehouse.Object {
				o := &gatehouse.Object{BucketID: "b-1", Key: key, VersionID: version, BlobID: blob, DeleteMarker: marker, Size: int64(len(blob)),
					ETag: "e-" + blob, Modified: at(2), Headers: map[string]string{"Content-Type": "text/plain"},
					Metadata: map[string]string{"a": "1"}, Checksums: map[string]string{"CRC32": "AAAAAA=="},
					Tags: []gatehouse.Tag{{Key: "t", Value: "v"}}, Owner: acct1}
				var replaced *gatehouse.Object
				mustUpdate(t, s, func(tx gatehouse.Tx) error {
					var err error
					replaced, err = tx.PutObject(o)
					return err
				})
				if o.Seq == 0 {
					t.Fatalf("PutObject(%s %s) set no Seq", key, version)
				}
				return replaced
			}
			if r := put("a", "null", "blob1", false); r != nil {
				t.Errorf("first null version replaced %+v", r)
			}
			r := put("a", "null", "blob2", false)
			if r == nil || r.BlobID != "blob1" {
				t.Errorf("second null version replaced %+v, want the blob1 version", r)
			}
			put("a", "v1", "blob3", false)
			put("a", "v2", "", true)
			put("b/1", "null", "blob4", false)
			put("b/2", "null", "blob5", false)
			put("c", "null", "blob6", false)
			mustView(t, s, func(tx gatehouse.Tx) error {
				latest, err := tx.Object("b-1", "a", "")
				if err != nil {
					return err
				}
				wantEqual(t, "latest of a", [2]any{latest.VersionID, latest.DeleteMarker}, [2]any{"v2", true})
				v1, err := tx.Object("b-1", "a", "v1")
				if err != nil {
					return err
				}
				wantEqual(t, "v1", [4]any{v1.BlobID, v1.Headers["Content-Type"], v1.Metadata["a"], v1.Tags}, [4]any{"blob3", "text/plain", "1", []gatehouse.Tag{{Key: "t", Value: "v"}}})
				wantEqual(t, "v1 modified", v1.Modified, at(2))
				_, err = tx.Object("b-1", "a", "v9")
				wantCode(t, err, gatehouse.CodeNotFound)
				_, err = tx.Object("b-1", "zz", "")
				wantCode(t, err, gatehouse.CodeNotFound)

				keys := func(list []*gatehouse.Object) string {
					out := ""
					for _, o := range list {
						out += o.Key + ":" + o.VersionID + " "
					}
					return out
				}
				list, err := tx.ListObjects("b-1", "", "", 10)
				if err != nil {
					return err
				}
				wantEqual(t, "list (a is deleted)", keys(list), "b/1:null b/2:null c:null ")
				list, _ = tx.ListObjects("b-1", "b/", "", 10)
				wantEqual(t, "list prefix b/", keys(list), "b/1:null b/2:null ")
				list, _ = tx.ListObjects("b-1", "", "b/1", 1)
				wantEqual(t, "list after b/1, 1", keys(list), "b/2:null ")
				list, _ = tx.ListObjects("b-1", "b/", "b/2", 10)
				wantEqual(t, "list prefix b/ after b/2", keys(list), "")
				vs, err := tx.ListObjectVersions("b-1", "", "", 0, 10)
				wantEqual(t, "versions", keys(vs), "a:v2 a:v1 a:null b/1:null b/2:null c:null ")
				if err == nil && len(vs) > 1 {
					vs2, _ := tx.ListObjectVersions("b-1", "", "a", vs[0].Seq, 2)
					wantEqual(t, "versions after a:v2", keys(vs2), "a:v1 a:null ")
					vs3, _ := tx.ListObjectVersions("b-1", "", "a", vs[2].Seq, 2)
					wantEqual(t, "versions after a:null", keys(vs3), "b/1:null b/2:null ")
				}
				has, _ := tx.BucketHasObjects("b-1")
				wantEqual(t, "bucket has objects", has, true)
				return err
			})
			mustUpdate(t, s, func(tx gatehouse.Tx) error {
				return tx.SetObjectTags("b-1", "a", "v1", []gatehouse.Tag{{Key: "x", Value: "1"}, {Key: "y", Value: ""}})
			})
			err := s.Update(t.Context(), func(tx gatehouse.Tx) error { return tx.SetObjectTags("b-1", "a", "v9", nil) })
			wantCode(t, err, gatehouse.CodeNotFound)
			mustView(t, s, func(tx gatehouse.Tx) error {
				v1, err := tx.Object("b-1", "a", "v1")
				if err != nil {
					return err
				}
				wantEqual(t, "tags after SetObjectTags", v1.Tags, []gatehouse.Tag{{Key: "x", Value: "1"}, {Key: "y", Value: ""}})
				wantEqual(t, "metadata kept by SetObjectTags", v1.Metadata["a"], "1")
				ref, _ := tx.BlobReferenced("blob1")
				wantEqual(t, "blob1 referenced", ref, false)
				ref, _ = tx.BlobReferenced("blob3")
				wantEqual(t, "blob3 referenced", ref, true)
				return err
			})
			for _, k := range [][2]string{{"a", "v2"}, {"a", "v1"}, {"a", "null"}, {"b/1", "null"}, {"b/2", "null"}, {"c", "null"}} {
				mustUpdate(t, s, func(tx gatehouse.Tx) error {
					o, err := tx.DeleteObjectVersion("b-1", k[0], k[1])
					if err == nil && (o.Key != k[0] || o.VersionID != k[1]) {
						return fmt.Errorf("deleted %s %s, want %v", o.Key, o.VersionID, k)
					}
					return err
				})
			}
			mustView(t, s, func(tx gatehouse.Tx) error {
				has, err := tx.BucketHasObjects("b-1")
				wantEqual(t, "bucket has objects after deletes", has, false)
				return err
			})
			err = s.Update(t.Context(), func(tx gatehouse.Tx) error {
				_, err := tx.DeleteObjectVersion("b-1", "a", "v1")
				return err
			})
			wantCode(t, err, gatehouse.CodeNotFound)
		}},
		{"ObjectDataInRecord", func(t *testing.T, s gatehouse.Store) {
			seedAccounts(t, s)
			objects := []*gatehouse.Object{
				{Key: "small", Size: 5, Data: []byte("hello")},
				{Key: "empty"},
				{Key: "large", Size: 1 << 20, BlobID: "blob-1"},
			}
			mustUpdate(t, s, func(tx gatehouse.Tx) error {
				if err := tx.CreateBucket(&gatehouse.Bucket{ID: "b-1", Name: "data", AccountID: acct1, Region: "us-east-1"}); err != nil {
					return err
				}
				for _, o := range objects {
					o.BucketID, o.VersionID = "b-1", "null"
					if _, err := tx.PutObject(o); err != nil {
						return err
					}
				}
				return nil
			})
			mustView(t, s, func(tx gatehouse.Tx) error {
				for _, want := range objects {
					got, err := tx.Object("b-1", want.Key, "")
					if err != nil {
						return err
					}
					wantEqual(t, want.Key+" data", string(got.Data), string(want.Data))
					wantEqual(t, want.Key+" blob", got.BlobID, want.BlobID)
					wantEqual(t, want.Key+" data in record", got.Data != nil, want.BlobID == "")
				}
				list, err := tx.ListObjects("b-1", "", "", 100)
				for _, o := range list {
					if o.Data != nil {
						t.Errorf("ListObjects read the bytes of %q", o.Key)
					}
				}
				return err
			})
			// A replaced version's record goes with its bytes.
			mustUpdate(t, s, func(tx gatehouse.Tx) error {
				replaced, err := tx.PutObject(&gatehouse.Object{BucketID: "b-1", Key: "small", VersionID: "null", Size: 2, Data: []byte("hi")})
				if err == nil {
					wantEqual(t, "replaced", replaced.Key, "small")
				}
				return err
			})
			mustView(t, s, func(tx gatehouse.Tx) error {
				got, err := tx.Object("b-1", "small", "null")
				if err == nil {
					wantEqual(t, "new data", string(got.Data), "hi")
				}
				return err
			})
		}},
		{"ObjectKeysBytewise", func(t *testing.T, s gatehouse.Store) {
			seedAccounts(t, s)
			keys := []string{"é", "Z", "a", "\x7f", "a/b", "a\xff"}
			mustUpdate(t, s, func(tx gatehouse.Tx) error {
				if err := tx.CreateBucket(&gatehouse.Bucket{ID: "b-1", Name: "data", AccountID: acct1, Region: "us-east-1"}); err != nil {
					return err
				}
				for _, k := range keys {
					if _, err := tx.PutObject(&gatehouse.Object{BucketID: "b-1", Key: k, VersionID: "null", BlobID: "x" + k}); err != nil {
						return err
					}
				}
				return nil
			})
			mustView(t, s, func(tx gatehouse.Tx) error {
				list, err := tx.ListObjects("b-1", "", "", 100)
				var got []string
				for _, o := range list {
					got = append(got, o.Key)
				}
				wantEqual(t, "bytewise key order", got, []string{"Z", "a", "a/b", "a\xff", "\x7f", "é"})
				list, _ = tx.ListObjects("b-1", "a", "", 100)
				wantEqual(t, "prefix a", len(list), 3)
				return err
			})
		}},
		{"Uploads", func(t *testing.T, s gatehouse.Store) {
			seedAccounts(t, s)
			mustUpdate(t, s, func(tx gatehouse.Tx) error {
				if err := tx.CreateBucket(&gatehouse.Bucket{ID: "b-1", Name: "data", AccountID: acct1, Region: "us-east-1"}); err != nil {
					return err
				}
				for i, u := range []struct{ id, key string }{{"u1", "b"}, {"u2", "a"}, {"u3", "b"}, {"u4", "c/d"}} {
					if err := tx.CreateUpload(&gatehouse.Upload{ID: u.id, BucketID: "b-1", Key: u.key, Initiated: at(i),
						Headers: map[string]string{"Content-Type": "x/y"}, Metadata: map[string]string{"m": "1"},
						Tags: []gatehouse.Tag{{Key: "k", Value: "v"}}, Owner: acct1, ChecksumAlgorithm: "CRC32"}); err != nil {
						return err
					}
				}
				return nil
			})
			ids := func(list []*gatehouse.Upload) string {
				out := ""
				for _, u := range list {
					out += u.Key + ":" + u.ID + " "
				}
				return out
			}
			mustView(t, s, func(tx gatehouse.Tx) error {
				u, err := tx.Upload("b-1", "b", "u3")
				if err != nil {
					return err
				}
				wantEqual(t, "upload", [5]any{u.Headers["Content-Type"], u.Metadata["m"], len(u.Tags), u.ChecksumAlgorithm, u.Initiated}, [5]any{"x/y", "1", 1, "CRC32", at(2)})
				_, err = tx.Upload("b-1", "a", "u3") // another key
				wantCode(t, err, gatehouse.CodeNotFound)
				all, err := tx.Uploads("b-1", "", "", "", 10)
				wantEqual(t, "uploads", ids(all), "a:u2 b:u1 b:u3 c/d:u4 ")
				page, _ := tx.Uploads("b-1", "", "b", "u1", 2)
				wantEqual(t, "uploads after b:u1", ids(page), "b:u3 c/d:u4 ")
				page, _ = tx.Uploads("b-1", "c/", "", "", 10)
				wantEqual(t, "uploads prefix c/", ids(page), "c/d:u4 ")
				has, _ := tx.BucketHasUploads("b-1")
				wantEqual(t, "bucket has uploads", has, true)
				return err
			})
			for i, n := range []int{2, 1, 2} {
				mustUpdate(t, s, func(tx gatehouse.Tx) error {
					old, err := tx.PutPart(&gatehouse.Part{UploadID: "u1", Number: n, Size: int64(n), ETag: "e", BlobID: fmt.Sprintf("p%d-%d", n, i)})
					if n == 2 && old != nil {
						wantEqual(t, "replaced part", old.Number, 2)
					}
					return err
				})
			}
			err := s.Update(t.Context(), func(tx gatehouse.Tx) error {
				_, err := tx.PutPart(&gatehouse.Part{UploadID: "nope", Number: 1, BlobID: "x"})
				return err
			})
			wantCode(t, err, gatehouse.CodeNotFound)
			mustView(t, s, func(tx gatehouse.Tx) error {
				parts, err := tx.Parts("u1", 0, 10)
				wantEqual(t, "parts", len(parts), 2)
				if len(parts) == 2 {
					wantEqual(t, "part order", [2]int{parts[0].Number, parts[1].Number}, [2]int{1, 2})
					ref, _ := tx.BlobReferenced(parts[0].BlobID)
					wantEqual(t, "part blob referenced", ref, true)
				}
				after, _ := tx.Parts("u1", 1, 10)
				wantEqual(t, "parts after 1", len(after), 1)
				return err
			})
			mustUpdate(t, s, func(tx gatehouse.Tx) error {
				parts, err := tx.DeleteUpload("u1")
				wantEqual(t, "deleted parts", len(parts), 2)
				return err
			})
			err = s.Update(t.Context(), func(tx gatehouse.Tx) error {
				_, err := tx.DeleteUpload("u1")
				return err
			})
			wantCode(t, err, gatehouse.CodeNotFound)
			mustView(t, s, func(tx gatehouse.Tx) error {
				parts, err := tx.Parts("u1", 0, 10)
				wantEqual(t, "parts of a deleted upload", len(parts), 0)
				return err
			})
		}},
	}
}
