package api

import (
	"context"
	"strings"
	"sync"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/authz"
)

// identityCache keeps what authentication reads on every request (access
// keys with their callers, users by name) for as long as the store's
// revision does not move: any committed change empties it, so a change is
// visible to the very next request. Only keys found are kept, so a session
// issued since (which does not move the revision) is read on its first
// use.
type identityCache struct {
	mu    sync.Mutex
	rev   int64
	keys  map[string]*cachedKey
	users map[string]*gatehouse.User
}

type cachedKey struct {
	secret string
	active bool
	caller *authz.Caller
}

const maxCacheEntries = 10000

// at returns the revision-checked cache state, clearing it when rev moved.
func (c *identityCache) at(rev int64) {
	if c.keys == nil || c.rev != rev || len(c.keys)+len(c.users) > maxCacheEntries {
		c.rev, c.keys, c.users = rev, map[string]*cachedKey{}, map[string]*gatehouse.User{}
	}
}

// key returns an access key's secret and caller, reading the store on a
// miss.
func (s *Server) key(ctx context.Context, rev int64, id string) (*cachedKey, error) {
	s.cache.mu.Lock()
	s.cache.at(rev)
	k, ok := s.cache.keys[id]
	s.cache.mu.Unlock()
	s.observeCache("access_keys", ok)
	if ok {
		return k, nil
	}
	k = &cachedKey{caller: &authz.Caller{AccessKeyID: id}}
	err := s.Store.View(ctx, func(tx gatehouse.Tx) error {
		if strings.HasPrefix(id, "ASIA") {
			return s.sessionKey(tx, id, k)
		}
		key, err := tx.AccessKey(id)
		if err != nil {
			return err
		}
		k.secret, k.active = key.Secret.Reveal(), key.Status == gatehouse.KeyActive
		if k.caller.Account, err = tx.Account(key.AccountID); err != nil {
			return err
		}
		if key.UserName != "" {
			k.caller.User, err = tx.User(key.AccountID, key.UserName)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	s.cache.mu.Lock()
	if s.cache.rev == rev {
		s.cache.keys[id] = k
	}
	s.cache.mu.Unlock()
	return k, nil
}

// cachedUser returns a user by name, reading the store on a miss. The
// user is shared: callers must not modify it.
func (s *Server) cachedUser(ctx context.Context, rev int64, account, name string) (*gatehouse.User, error) {
	id := account + "/" + name
	s.cache.mu.Lock()
	s.cache.at(rev)
	u, ok := s.cache.users[id]
	s.cache.mu.Unlock()
	s.observeCache("users", ok)
	if ok {
		return u, nil
	}
	u, err := s.IAM.User(ctx, account, name)
	if err != nil {
		return nil, err
	}
	s.cache.mu.Lock()
	if s.cache.rev == rev {
		s.cache.users[id] = u
	}
	s.cache.mu.Unlock()
	return u, nil
}

func (s *Server) observeCache(cache string, hit bool) {
	if s.Observer != nil {
		s.Observer.ObserveCache(cache, hit)
	}
}
