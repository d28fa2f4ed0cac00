package s3

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"hash"
	"hash/crc32"
	"hash/crc64"
	"io"
	"strings"
	"sync"

	"github.com/gatehouse-dev/gatehouse"
)

// The flexible checksum algorithms S3 verifies (aws-s3.md §2.3), by the
// name in x-amz-checksum-<name> and x-amz-sdk-checksum-algorithm.
var checksumAlgorithms = map[string]func() hash.Hash{
	"CRC32":     func() hash.Hash { return crc32.NewIEEE() },
	"CRC32C":    func() hash.Hash { return crc32.New(crc32.MakeTable(crc32.Castagnoli)) },
	"CRC64NVME": func() hash.Hash { return crc64.New(crc64NVME) },
	"SHA1":      sha1.New,
	"SHA256":    sha256.New,
}

// crc64NVME is the CRC-64/NVME polynomial (reversed form), S3's
// CRC64NVME.
var crc64NVME = crc64.MakeTable(0x9a6c9329ac4bc9b5)

// ChecksumHeader returns the header that carries an algorithm's
// checksum: x-amz-checksum-crc32 for CRC32.
func ChecksumHeader(algorithm string) string {
	return "x-amz-checksum-" + strings.ToLower(algorithm)
}

// ChecksumAlgorithm returns the algorithm a checksum header names, "" for
// a header that names none.
func ChecksumAlgorithm(header string) string {
	name, ok := strings.CutPrefix(strings.ToLower(header), "x-amz-checksum-")
	if !ok {
		return ""
	}
	if alg := strings.ToUpper(name); checksumAlgorithms[alg] != nil {
		return alg
	}
	return ""
}

// digester hashes a body as it streams: MD5 for the ETag and the
// checksums the client declared.
type digester struct {
	md5       hash.Hash
	checksums map[string]hash.Hash
}

func newDigester(algorithms []string) *digester {
	d := &digester{md5: md5.New(), checksums: map[string]hash.Hash{}}
	for _, a := range algorithms {
		if f := checksumAlgorithms[a]; f != nil {
			d.checksums[a] = f()
		}
	}
	return d
}

func (d *digester) Write(p []byte) (int, error) {
	d.md5.Write(p)
	for _, h := range d.checksums {
		h.Write(p)
	}
	return len(p), nil
}

// verify compares the digests with what the client declared: its
// Content-MD5 (base64) and checksums (algorithm → base64). It returns
// the checksums to store.
func (d *digester) verify(contentMD5 string, declared map[string]string) (map[string]string, error) {
	if contentMD5 != "" {
		want, err := base64.StdEncoding.DecodeString(contentMD5)
		if err != nil || len(want) != md5.Size {
			return nil, gatehouse.Errorf(CodeInvalidDigest, "The Content-MD5 you specified was invalid.").With("Content-MD5", contentMD5)
		}
		if got := d.md5.Sum(nil); string(got) != string(want) {
			return nil, gatehouse.Errorf(CodeBadDigest, "The Content-MD5 you specified did not match what we received.").
				With("ExpectedDigest", contentMD5).With("CalculatedDigest", base64.StdEncoding.EncodeToString(got))
		}
	}
	out := map[string]string{}
	for alg, h := range d.checksums {
		got := base64.StdEncoding.EncodeToString(h.Sum(nil))
		if want, ok := declared[alg]; ok && want != got {
			return nil, gatehouse.Errorf(CodeBadDigest, "The %s you specified did not match the calculated checksum.", alg)
		}
		out[alg] = got
	}
	return out, nil
}

// etag returns the hex MD5 of what was written.
func (d *digester) etag() string {
	const digits = "0123456789abcdef"
	sum := d.md5.Sum(nil)
	out := make([]byte, 0, 2*len(sum))
	for _, c := range sum {
		out = append(out, digits[c>>4], digits[c&15])
	}
	return string(out)
}

// CheckDigests reads r and compares it with a Content-MD5 and declared
// checksums (algorithm → base64), for the small XML bodies S3 requires
// them on (DeleteObjects).
func CheckDigests(r io.Reader, contentMD5 string, declared map[string]string) error {
	var algs []string
	for a := range declared {
		algs = append(algs, a)
	}
	d := newDigester(algs)
	if _, err := io.Copy(d, r); err != nil {
		return err
	}
	_, err := d.verify(contentMD5, declared)
	return err
}

// copyBufs holds copyAll's buffers: allocating one per request was a
// tenth of a small GetObject's CPU, most of it in the garbage collector.
var copyBufs = sync.Pool{New: func() any { b := make([]byte, 256<<10); return &b }}

// copyAll copies r into w with a buffer of S3's transfer size.
func copyAll(w io.Writer, r io.Reader) (int64, error) {
	buf := copyBufs.Get().(*[]byte)
	defer copyBufs.Put(buf)
	return io.CopyBuffer(w, r, *buf)
}
