package iamops

import (
	"strings"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/op"
	"github.com/gatehouse-dev/gatehouse/arn"
)

// errNonUserCaller is AWS's answer to an operation that defaults to the
// calling user when the caller is not a user (a role session).
var errNonUserCaller = gatehouse.Errorf(gatehouse.CodeInvalid, "Must specify userName when calling with non-User credentials")

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

// userNamer is the input of an operation on the user its optional
// UserName names (by embedding optionalUserIn first).
type userNamer interface{ userName() string }

func (in optionalUserIn) userName() string { return in.UserName }

// onUser is the spec of an operation on the user its input's optional
// UserName names, else on the caller. who (targetUser, loginProfileUser,
// mfaUser) resolves the user, and is the precheck: it refuses a caller
// it cannot act for (neither root nor an IAM user, for targetUser)
// before anything is authorized. The operation is authorized against
// the user's ARN (userARN), and handle runs with the user's name.
func onUser[In userNamer](d *Deps, action string, who func(c *op.Call, userName string) (string, error),
	handle func(c *op.Call, in *In, user string) (any, error)) op.Spec[In] {
	return op.Spec[In]{
		Action:   action,
		Precheck: func(c *op.Call, in *In) error { _, err := who(c, (*in).userName()); return err },
		Resource: func(c *op.Call, in *In) string { return d.userARN(c, (*in).userName()) },
		Handle: func(c *op.Call, in *In) (any, error) {
			user, err := who(c, (*in).userName())
			if err != nil {
				return nil, err
			}
			return handle(c, in, user)
		},
	}
}

// userARN returns the ARN an operation on userName is authorized
// against (the caller's own ARN when no name is given). Operations with
// an optional UserName refuse first the callers targetUser refuses
// (onUser); for those, userARN names no user at all (an ARN no policy's
// user pattern can match).
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
	return gatehouse.EntityARN(c.Caller.Account.Partition, c.Account(), "user", "/", name)
}

// groupARN returns the ARN an operation on a group is authorized against.
func (d *Deps) groupARN(c *op.Call, name string) string {
	if g, _, err := d.IAM.Group(c.Ctx, c.Account(), name); err == nil {
		return g.ARN()
	}
	return gatehouse.EntityARN(c.Caller.Account.Partition, c.Account(), "group", "/", name)
}

// roleARN returns the ARN an operation on a role is authorized against.
func (d *Deps) roleARN(c *op.Call, name string) string {
	if r, err := d.IAM.Role(c.Ctx, c.Account(), name); err == nil {
		return r.ARN()
	}
	return gatehouse.EntityARN(c.Caller.Account.Partition, c.Account(), "role", "/", name)
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
	return gatehouse.EntityARN(a.Partition, a.Account, kind, path, name)
}

// entityARN returns the ARN of a user, group or role that is about to
// be created.
func entityARN(c *op.Call, kind, path, name string) string {
	return gatehouse.EntityARN(c.Caller.Account.Partition, c.Account(), kind, orSlash(path), name)
}

func orSlash(p string) string {
	if p == "" {
		return "/"
	}
	return p
}
