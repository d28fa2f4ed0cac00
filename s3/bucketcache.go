package s3

import (
	"context"
	"slices"
	"sync"

	"github.com/gatehouse-dev/gatehouse"
)

// bucketCache holds the buckets read at one store revision. Every
// change to a bucket moves the revision (object and upload writes do
// not), so a bucket cached at the current revision is the bucket as
// stored, and an S3 request reads its bucket without a transaction.
type bucketCache struct {
	mu     sync.Mutex
	rev    int64
	byName map[bucketKey]*gatehouse.Bucket
}

type bucketKey struct{ partition, name string }

// maxCachedBuckets bounds the cache; past it, it starts over.
const maxCachedBuckets = 4096

// get returns a copy of the bucket cached at rev.
func (c *bucketCache) get(rev int64, partition, name string) (*gatehouse.Bucket, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.rev != rev {
		return nil, false
	}
	b, ok := c.byName[bucketKey{partition, name}]
	if !ok {
		return nil, false
	}
	return cloneBucket(b), true
}

// put caches a copy of b, read at rev or later.
func (c *bucketCache) put(rev int64, partition, name string, b *gatehouse.Bucket) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if rev < c.rev {
		return // read before the cache's revision: maybe stale
	}
	if rev > c.rev || len(c.byName) >= maxCachedBuckets {
		c.rev, c.byName = rev, make(map[bucketKey]*gatehouse.Bucket)
	}
	c.byName[bucketKey{partition, name}] = cloneBucket(b)
}

// cloneBucket copies b so that callers may change what they get.
func cloneBucket(b *gatehouse.Bucket) *gatehouse.Bucket {
	c := *b
	c.Tags = slices.Clone(b.Tags)
	if b.PublicAccessBlock != nil {
		p := *b.PublicAccessBlock
		c.PublicAccessBlock = &p
	}
	return &c
}

// Bucket returns a bucket by name in a partition (NoSuchBucket).
func (s *Service) Bucket(ctx context.Context, partition, name string) (*gatehouse.Bucket, error) {
	rev, err := s.Store.Revision(ctx)
	if err != nil {
		return nil, err
	}
	if b, ok := s.buckets.get(rev, partition, name); ok {
		return b, nil
	}
	var b *gatehouse.Bucket
	err = s.Store.View(ctx, func(tx Tx) error {
		var err error
		b, err = tx.Bucket(partition, name)
		return err
	})
	if gatehouse.ErrorCode(err) == gatehouse.CodeNotFound {
		return nil, noSuchBucket(name)
	}
	if err != nil {
		return nil, err
	}
	s.buckets.put(rev, partition, name, b)
	return b, nil
}
