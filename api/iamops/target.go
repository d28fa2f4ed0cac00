package iamops

import (
	"strings"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/op"
	"github.com/gatehouse-dev/gatehouse/arn"
)

// errNonUserCaller is AWS's answer to an operation that defaults to the
// calling user when the caller is not a user (a role session).
var errNonUserCaller = gatehouse.Errorf(gatehouse.EValidation, "Must specify userName when calling with non-User credentials")

// targetUser returns the user an operation with an optional UserName
// acts on: the named user; else the calling IAM user (also in its
// GetSessionToken sessions); else "" for the account's root user, when
// the caller is root. Any other caller (a role session, from this or
// another account) must name the user: "no user name" never means root
// for anyone but root itself.
func targetUser(c *op.Call, userName string) (string, error) {
	switch {
	case userName != "":
		return userName, nil
	case c.Caller.User != nil:
		return c.Caller.User.Name, nil
	case c.Caller.IsRoot():
		return "", nil
	}
	return "", errNonUserCaller
}

// needTargetUser is the precheck of every operation with an optional
// UserName: it refuses callers that are neither root nor an IAM user
// before anything is authorized.
func needTargetUser(c *op.Call, userName string) error {
	_, err := targetUser(c, userName)
	return err
}

// userARN returns the ARN an operation on userName is authorized
// against (the caller's own ARN when no name is given). Operations call
// needTargetUser first; for a caller it refuses, userARN names no user
// at all (an ARN no policy's user pattern can match).
func (d *Deps) userARN(c *op.Call, userName string) string {
	name, err := targetUser(c, userName)
	if err != nil {
		return "arn:" + c.Caller.Account.ARNPartition() + ":iam::" + c.Account() + ":invalid-principal"
	}
	if name == "" {
		return c.Caller.Account.RootARN()
	}
	if c.Caller.User != nil && strings.EqualFold(name, c.Caller.User.Name) {
		return c.Caller.User.ARN()
	}
	// The path is not known before the user is read; AWS authorizes
	// against the user's real ARN, so look it up when it exists.
	if u, err := d.cachedUser(c, name); err == nil {
		return u.ARN()
	}
	return gatehouse.EntityARN(c.Account(), "user", "/", name)
}

// groupARN returns the ARN an operation on a group is authorized against.
func (d *Deps) groupARN(c *op.Call, name string) string {
	if g, _, err := d.IAM.Group(c.Ctx, c.Account(), name); err == nil {
		return g.ARN()
	}
	return gatehouse.EntityARN(c.Account(), "group", "/", name)
}

// roleARN returns the ARN an operation on a role is authorized against.
func (d *Deps) roleARN(c *op.Call, name string) string {
	if r, err := d.IAM.Role(c.Ctx, c.Account(), name); err == nil {
		return r.ARN()
	}
	return gatehouse.EntityARN(c.Account(), "role", "/", name)
}

// movedARN returns the ARN an entity whose ARN is now current has after
// a rename to newName and a move to newPath (nil: unchanged).
func movedARN(current string, newPath, newName *string) string {
	a, err := arn.Parse(current)
	if err != nil {
		return current
	}
	kind, rest, _ := strings.Cut(a.Resource, "/")
	path, name := "/", rest
	if i := strings.LastIndexByte(rest, '/'); i >= 0 {
		path, name = "/"+rest[:i+1], rest[i+1:]
	}
	if newPath != nil {
		path = orSlash(*newPath)
	}
	if newName != nil {
		name = *newName
	}
	return gatehouse.EntityARN(a.Account, kind, path, name)
}

// entityARN returns the ARN of a user, group, role or policy that is
// about to be created.
func entityARN(c *op.Call, kind, path, name string) string {
	return gatehouse.EntityARN(c.Account(), kind, orSlash(path), name)
}

func orSlash(p string) string {
	if p == "" {
		return "/"
	}
	return p
}
