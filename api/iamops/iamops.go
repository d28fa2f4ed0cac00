// Package iamops is the IAM operation table's identity part: users,
// groups, roles, their credentials and the account's IAM settings, as
// typed op.Spec rows.
package iamops

import (
	"context"
	"slices"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/op"
	"github.com/gatehouse-dev/gatehouse/iam"
)

// Deps is what the IAM operations reach: the IAM service, and the
// edge's identity cache.
type Deps struct {
	IAM *iam.Service
	// Users reads users through the edge's identity cache; nil reads
	// them from IAM.
	Users UserCache
}

// UserCache is the edge's cache of users by name, kept for as long as
// the store revision rev does not move.
type UserCache interface {
	// CachedUser returns a user by name. The user is shared: callers
	// must not modify it.
	CachedUser(ctx context.Context, rev int64, account, name string) (*gatehouse.User, error)
}

// UserCacheFunc is a UserCache made of a function.
type UserCacheFunc func(ctx context.Context, rev int64, account, name string) (*gatehouse.User, error)

// CachedUser calls f.
func (f UserCacheFunc) CachedUser(ctx context.Context, rev int64, account, name string) (*gatehouse.User, error) {
	return f(ctx, rev, account, name)
}

// Rows returns the IAM operation table but for its managed-policy part
// (package iampolicyops's rows).
func Rows(deps Deps) []op.Row {
	d := &deps
	return slices.Concat(
		d.userRows(),
		d.groupRows(),
		d.roleRows(),
		d.policyTagRows(),
		d.keyRows(),
		d.accountRows(),
		d.passwordRows(),
		d.mfaRows(),
		d.reportRows(),
	)
}

// cachedUser returns a user by name as the request's authentication
// saw it.
func (d *Deps) cachedUser(c *op.Call, name string) (*gatehouse.User, error) {
	if d.Users == nil {
		return d.IAM.User(c.Ctx, c.Account(), name)
	}
	return d.Users.CachedUser(c.Ctx, c.Rev, c.Account(), name)
}
