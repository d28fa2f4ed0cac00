package e2e

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// crc32Base64 is an x-amz-checksum-crc32 value: the big-endian IEEE CRC32,
// base64.
func crc32Base64(b []byte) string {
	return base64.StdEncoding.EncodeToString(binary.BigEndian.AppendUint32(nil, crc32.ChecksumIEEE(b)))
}

// TestS3SDK drives S3 with aws-sdk-go-v2's S3 client, path style and
// virtual-hosted style.
func TestS3SDK(t *testing.T) {
	t.Parallel()
	srv := startServer(t, serverOptions{Ephemeral: true})
	ctx := context.Background()
	c := srv.s3(t, rootCreds)

	t.Run("PathStyle", func(t *testing.T) {
		t.Parallel()
		const bucket = "sdk-path-bucket"
		must(c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)}))(t)

		// The SDK adds a CRC32 checksum to PutObject by default; S3
		// verifies it and answers it back.
		body := []byte("hello from aws-sdk-go-v2\n")
		sum := md5.Sum(body)
		put := must(c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String("greeting.txt"), Body: bytes.NewReader(body)}))(t)
		if got, want := aws.ToString(put.ChecksumCRC32), crc32Base64(body); got != want {
			t.Errorf("PutObject ChecksumCRC32 = %q, want %q (the SDK's default checksum)", got, want)
		}
		if got, want := aws.ToString(put.ETag), `"`+hex.EncodeToString(sum[:])+`"`; got != want {
			t.Errorf("PutObject ETag = %s, want %s", got, want)
		}
		get := must(c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("greeting.txt"), ChecksumMode: types.ChecksumModeEnabled}))(t)
		got := must(io.ReadAll(get.Body))(t)
		get.Body.Close()
		if !bytes.Equal(got, body) || aws.ToString(get.ChecksumCRC32) != crc32Base64(body) {
			t.Errorf("GetObject = %q with ChecksumCRC32 %q; want %q with %q", got, aws.ToString(get.ChecksumCRC32), body, crc32Base64(body))
		}
		// A part of the object carries no checksum of the whole; the SDK
		// would say so on stderr unless told to validate only on request.
		part := must(c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("greeting.txt"), Range: aws.String("bytes=6-9")},
			func(o *s3.Options) { o.ResponseChecksumValidation = aws.ResponseChecksumValidationWhenRequired }))(t)
		got = must(io.ReadAll(part.Body))(t)
		part.Body.Close()
		if want := fmt.Sprintf("bytes 6-9/%d", len(body)); string(got) != "from" || aws.ToString(part.ContentRange) != want {
			t.Errorf("GetObject bytes=6-9 = %q, Content-Range %q; want \"from\", %q", got, aws.ToString(part.ContentRange), want)
		}

		_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String("bad.txt"), Body: bytes.NewReader(body),
			ChecksumCRC32: aws.String(crc32Base64([]byte("other bytes")))})
		wantErr(t, err, "BadDigest", http.StatusBadRequest)

		// ListObjectsV2 pages of 7 over 30 keys.
		var want []string
		for i := range 30 {
			k := fmt.Sprintf("page/key-%02d", i)
			want = append(want, k)
			must(c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(k), Body: strings.NewReader(k)}))(t)
		}
		p := s3.NewListObjectsV2Paginator(c, &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String("page/"), MaxKeys: aws.Int32(7)})
		var keys []string
		var sizes []int
		for p.HasMorePages() {
			page := must(p.NextPage(ctx))(t)
			sizes = append(sizes, len(page.Contents))
			for _, o := range page.Contents {
				keys = append(keys, aws.ToString(o.Key))
				if aws.ToInt64(o.Size) != int64(len(aws.ToString(o.Key))) {
					t.Errorf("%s: Size %d, want %d", aws.ToString(o.Key), aws.ToInt64(o.Size), len(aws.ToString(o.Key)))
				}
			}
			if len(sizes) > 10 {
				t.Fatalf("more than 10 pages: the paginator does not end")
			}
		}
		if !slices.Equal(keys, want) || !slices.Equal(sizes, []int{7, 7, 7, 7, 2}) {
			t.Errorf("paginated keys %q in pages %v; want %q in [7 7 7 7 2]", keys, sizes, want)
		}

		must(c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: aws.String("greeting.txt")}))(t)
		_, err = c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String("greeting.txt")})
		wantErr(t, err, "NotFound", http.StatusNotFound)
		_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("greeting.txt")})
		var nsk *types.NoSuchKey
		if !errors.As(err, &nsk) {
			t.Errorf("GetObject of a deleted key: %v, want *types.NoSuchKey", err)
		}
	})

	// BaseEndpoint http://localhost:PORT without UsePathStyle: the SDK
	// puts the bucket in the host name (bucket.localhost:PORT). Names
	// under localhost need not resolve (they do not on every machine), so
	// the client dials the server whatever the address.
	t.Run("VirtualHosted", func(t *testing.T) {
		t.Parallel()
		const bucket = "sdk-vhost-bucket"
		_, port, err := net.SplitHostPort(srv.Addr)
		if err != nil {
			t.Fatal(err)
		}
		rec := &requestRecorder{next: awshttp.NewBuildableClient().WithTimeout(60 * time.Second).WithTransportOptions(func(tr *http.Transport) {
			tr.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
				return (&net.Dialer{}).DialContext(ctx, network, srv.Addr)
			}
		})}
		v := srv.s3(t, rootCreds, func(o *s3.Options) {
			o.HTTPClient = rec
			o.BaseEndpoint = aws.String("http://localhost:" + port)
			o.UsePathStyle = false
		})
		body := []byte("virtual hosted\n")
		must(v.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)}))(t)
		must(v.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String("dir/v h.txt"), Body: bytes.NewReader(body)}))(t)
		get := must(v.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("dir/v h.txt")}))(t)
		got := must(io.ReadAll(get.Body))(t)
		get.Body.Close()
		if !bytes.Equal(got, body) {
			t.Errorf("GetObject = %q, want %q", got, body)
		}
		list := must(v.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(bucket)}))(t)
		if len(list.Contents) != 1 || aws.ToString(list.Contents[0].Key) != "dir/v h.txt" {
			t.Errorf("ListObjectsV2: %d objects, want dir/v h.txt", len(list.Contents))
		}
		// The path-style client sees the same bucket and object.
		if keys := s3Keys(t, c, bucket, ""); !slices.Equal(keys, []string{"dir/v h.txt"}) {
			t.Errorf("path style lists %q", keys)
		}
		must(v.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: aws.String("dir/v h.txt")}))(t)
		must(v.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String(bucket)}))(t)
		_, err = c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(bucket)})
		wantErr(t, err, "NotFound", http.StatusNotFound)

		wantHost := bucket + ".localhost:" + port
		for _, r := range rec.seen() {
			if r.host != wantHost || strings.HasPrefix(r.path, "/"+bucket) {
				t.Errorf("request %s %s%s; want host %s and a path without the bucket", r.method, r.host, r.path, wantHost)
			}
		}
		if n := len(rec.seen()); n != 6 {
			t.Errorf("the virtual-hosted client sent %d requests, want 6", n)
		}
	})
}

// requestRecorder is an SDK HTTP client that notes each request's host and
// path.
type requestRecorder struct {
	next interface {
		Do(*http.Request) (*http.Response, error)
	}
	mu   sync.Mutex
	reqs []recordedRequest
}

type recordedRequest struct{ method, host, path string }

func (r *requestRecorder) Do(req *http.Request) (*http.Response, error) {
	host := req.Host
	if host == "" {
		host = req.URL.Host
	}
	r.mu.Lock()
	r.reqs = append(r.reqs, recordedRequest{req.Method, host, req.URL.EscapedPath()})
	r.mu.Unlock()
	return r.next.Do(req)
}

func (r *requestRecorder) seen() []recordedRequest {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.reqs)
}
