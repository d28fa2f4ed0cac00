package api

import (
	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/query"
	"github.com/gatehouse-dev/gatehouse/iam"
	"github.com/gatehouse-dev/gatehouse/policy"
)

// Result shapes shared by several operations.
type (
	userResult struct {
		User userXML `xml:"User"`
	}
	groupResult struct {
		Group groupXML `xml:"Group"`
	}
	policyResult struct {
		Policy policyXML `xml:"Policy"`
	}
	versionResult struct {
		PolicyVersion policyVersionXML `xml:"PolicyVersion"`
	}
)

// groupARN returns the ARN an operation on a group is authorized against.
func (c *call) groupARN(name string) string {
	if g, _, err := c.srv.IAM.Group(c.ctx, c.account(), name); err == nil {
		return g.ARN()
	}
	return gatehouse.EntityARN(c.account(), "group", "/", name)
}

func userRef(name string) gatehouse.EntityRef {
	return gatehouse.EntityRef{Kind: gatehouse.KindUser, Name: name}
}

func groupRef(name string) gatehouse.EntityRef {
	return gatehouse.EntityRef{Kind: gatehouse.KindGroup, Name: name}
}

func orSlash(p string) string {
	if p == "" {
		return "/"
	}
	return p
}

// iamOperations is the IAM operation table.
func iamOperations() []operation {
	var ops []operation
	ops = append(ops, userOperations()...)
	ops = append(ops, groupOperations()...)
	ops = append(ops, policyOperations()...)
	ops = append(ops, policyTagOperations()...)
	ops = append(ops, roleOperations()...)
	ops = append(ops, keyOperations()...)
	ops = append(ops, passwordOperations()...)
	ops = append(ops, authDetailsOperations()...)
	ops = append(ops, mfaOperations()...)
	ops = append(ops, accountOperations()...)
	ops = append(ops, simulationOperations()...)
	return ops
}

// Inputs of the user operations.
type (
	userNameIn struct {
		UserName string `query:",required"`
	}
	optionalUserIn struct {
		UserName string
	}
	createUserIn struct {
		UserName            string `query:",required"`
		Path                string
		PermissionsBoundary string
		Tags                []tagIn
	}
	listUsersIn struct {
		PathPrefix string
		pageIn
	}
	updateUserIn struct {
		UserName    string `query:",required"`
		NewUserName *string
		NewPath     *string
	}
	tagUserIn struct {
		UserName string  `query:",required"`
		Tags     []tagIn `query:",required"`
	}
	untagUserIn struct {
		UserName string   `query:",required"`
		TagKeys  []string `query:",required"`
	}
	listUserTagsIn struct {
		UserName string `query:",required"`
		pageIn
	}
	userBoundaryIn struct {
		UserName            string `query:",required"`
		PermissionsBoundary string `query:",required"`
	}
)

func userOperations() []operation {
	userARN := func(c *call, in *userNameIn) string { return c.userARN(in.UserName) }
	return []operation{
		legacyOp("CreateUser", opSpec[createUserIn]{
			action: "iam:CreateUser",
			resource: func(c *call, in *createUserIn) string {
				return gatehouse.EntityARN(c.account(), "user", orSlash(in.Path), in.UserName)
			},
			context: func(c *call, in *createUserIn, ctx *policy.Context) {
				tagContext(ctx, in.Tags)
				if in.PermissionsBoundary != "" {
					ctx.Set("iam:PermissionsBoundary", in.PermissionsBoundary)
				}
			},
			handle: func(c *call, in *createUserIn) (any, error) {
				u, err := c.srv.IAM.CreateUser(c.ctx, c.account(), iam.CreateUserInput{
					UserName: in.UserName, Path: in.Path, PermissionsBoundary: in.PermissionsBoundary, Tags: toTags(in.Tags)})
				if err != nil {
					return nil, err
				}
				return userResult{toUserXML(u, true)}, nil
			},
		}),
		legacyOp("GetUser", opSpec[optionalUserIn]{
			action:   "iam:GetUser",
			precheck: func(c *call, in *optionalUserIn) error { return needTargetUser(c, in.UserName) },
			resource: func(c *call, in *optionalUserIn) string { return c.userARN(in.UserName) },
			handle: func(c *call, in *optionalUserIn) (any, error) {
				name, err := c.targetUser(in.UserName)
				if err != nil {
					return nil, err
				}
				if name == "" {
					// Root's GetUser has neither Path nor UserName; its ID
					// is the account ID.
					a := c.caller.Account
					return userResult{userXML{UserID: a.ID, Arn: a.RootARN(), CreateDate: query.Time(a.CreatedAt)}}, nil
				}
				u, err := c.srv.cachedUser(c.ctx, c.rev, c.account(), name)
				if err != nil {
					return nil, err
				}
				return userResult{toUserXML(u, true)}, nil
			},
		}),
		legacyOp("ListUsers", opSpec[listUsersIn]{
			action: "iam:ListUsers",
			handle: func(c *call, in *listUsersIn) (any, error) {
				users, err := c.srv.IAM.Users(c.ctx, c.account(), in.PathPrefix)
				if err != nil {
					return nil, err
				}
				pg, trunc, next, err := page(users, in.pageIn)
				if err != nil {
					return nil, err
				}
				out := struct {
					Users       query.List[userXML] `xml:"Users"`
					IsTruncated bool                `xml:"IsTruncated"`
					Marker      string              `xml:"Marker,omitempty"`
				}{Users: query.List[userXML]{}, IsTruncated: trunc, Marker: next}
				for _, u := range pg {
					out.Users = append(out.Users, toUserXML(u, false))
				}
				return out, nil
			},
		}),
		legacyOp("UpdateUser", opSpec[updateUserIn]{
			action:   "iam:UpdateUser",
			resource: func(c *call, in *updateUserIn) string { return c.userARN(in.UserName) },
			also: func(c *call, in *updateUserIn) []string {
				return []string{movedARN(c.userARN(in.UserName), in.NewPath, in.NewUserName)}
			},
			handle: func(c *call, in *updateUserIn) (any, error) {
				return nil, c.srv.IAM.UpdateUser(c.ctx, c.account(), in.UserName, in.NewUserName, in.NewPath)
			},
		}),
		legacyOp("DeleteUser", opSpec[userNameIn]{
			action:   "iam:DeleteUser",
			resource: userARN,
			handle: func(c *call, in *userNameIn) (any, error) {
				return nil, c.srv.IAM.DeleteUser(c.ctx, c.account(), in.UserName)
			},
		}),
		legacyOp("TagUser", opSpec[tagUserIn]{
			action:   "iam:TagUser",
			resource: func(c *call, in *tagUserIn) string { return c.userARN(in.UserName) },
			context:  func(c *call, in *tagUserIn, ctx *policy.Context) { tagContext(ctx, in.Tags) },
			handle: func(c *call, in *tagUserIn) (any, error) {
				return nil, c.srv.IAM.TagUser(c.ctx, c.account(), in.UserName, toTags(in.Tags))
			},
		}),
		legacyOp("UntagUser", opSpec[untagUserIn]{
			action:   "iam:UntagUser",
			resource: func(c *call, in *untagUserIn) string { return c.userARN(in.UserName) },
			context: func(c *call, in *untagUserIn, ctx *policy.Context) {
				if len(in.TagKeys) > 0 {
					ctx.Set("aws:TagKeys", in.TagKeys...)
				}
			},
			handle: func(c *call, in *untagUserIn) (any, error) {
				return nil, c.srv.IAM.UntagUser(c.ctx, c.account(), in.UserName, in.TagKeys)
			},
		}),
		legacyOp("ListUserTags", opSpec[listUserTagsIn]{
			action:   "iam:ListUserTags",
			resource: func(c *call, in *listUserTagsIn) string { return c.userARN(in.UserName) },
			handle: func(c *call, in *listUserTagsIn) (any, error) {
				u, err := c.srv.IAM.User(c.ctx, c.account(), in.UserName)
				if err != nil {
					return nil, err
				}
				return tagListOf(u.Tags, in.pageIn)
			},
		}),
		legacyOp("PutUserPermissionsBoundary", opSpec[userBoundaryIn]{
			action:   "iam:PutUserPermissionsBoundary",
			resource: func(c *call, in *userBoundaryIn) string { return c.userARN(in.UserName) },
			context: func(c *call, in *userBoundaryIn, ctx *policy.Context) {
				ctx.Set("iam:PermissionsBoundary", in.PermissionsBoundary)
			},
			handle: func(c *call, in *userBoundaryIn) (any, error) {
				return nil, c.srv.IAM.PutUserPermissionsBoundary(c.ctx, c.account(), in.UserName, in.PermissionsBoundary)
			},
		}),
		legacyOp("DeleteUserPermissionsBoundary", opSpec[userNameIn]{
			action:   "iam:DeleteUserPermissionsBoundary",
			resource: userARN,
			handle: func(c *call, in *userNameIn) (any, error) {
				return nil, c.srv.IAM.DeleteUserPermissionsBoundary(c.ctx, c.account(), in.UserName)
			},
		}),
	}
}
