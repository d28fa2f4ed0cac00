package iamops

import (
	"github.com/gatehouse-dev/gatehouse/api/iamops/iamxml"
	"github.com/gatehouse-dev/gatehouse/api/op"
	"github.com/gatehouse-dev/gatehouse/api/query"
	"github.com/gatehouse-dev/gatehouse/iam"
	"github.com/gatehouse-dev/gatehouse/policy"
)

// Inputs of the user operations.
type (
	optionalUserIn struct {
		UserName string
	}
	createUserIn struct {
		UserName            string `query:",required"`
		Path                string
		PermissionsBoundary string
		Tags                []op.Tag
	}
	listUsersIn struct {
		PathPrefix string
		query.PageIn
	}
	updateUserIn struct {
		UserName    string `query:",required"`
		NewUserName *string
		NewPath     *string
	}
	userPageIn struct {
		userNamed
		pageIn
	}
	attachUserIn struct {
		userNamed
		attachIn
	}
	listAttachedUserIn struct {
		userNamed
		listAttachedIn
	}
	putUserPolicyIn struct {
		userNamed
		putPolicyIn
	}
	userPolicyIn struct {
		userNamed
		inlinePolicyIn
	}
	userBoundaryIn struct {
		userNamed
		boundaryIn
	}
	tagUserIn struct {
		userNamed
		tagsIn
	}
	untagUserIn struct {
		userNamed
		tagKeysIn
	}
)

type userResult struct {
	User iamxml.User `xml:"User"`
}

// userRows is the user part of the IAM table.
func (d *Deps) userRows() []op.Row {
	users := d.users()
	rows := []op.Row{
		op.New("CreateUser", op.Spec[createUserIn]{
			Action:   "iam:CreateUser",
			Resource: func(c *op.Call, in *createUserIn) string { return entityARN(c, "user", in.Path, in.UserName) },
			Context: func(c *op.Call, in *createUserIn, ctx *policy.Context) {
				op.TagContext(ctx, in.Tags)
				if in.PermissionsBoundary != "" {
					ctx.Set("iam:PermissionsBoundary", in.PermissionsBoundary)
				}
			},
			Handle: func(c *op.Call, in *createUserIn) (any, error) {
				u, err := d.IAM.CreateUser(c.Ctx, c.Account(), iam.CreateUserInput{
					UserName: in.UserName, Path: in.Path, PermissionsBoundary: in.PermissionsBoundary, Tags: op.Tags(in.Tags)})
				if err != nil {
					return nil, err
				}
				return userResult{iamxml.ToUser(u, true)}, nil
			},
		}),
		op.New("GetUser", onUser(d, "iam:GetUser", targetUser, func(c *op.Call, in *optionalUserIn, name string) (any, error) {
			if name == "" {
				// Root's GetUser has neither Path nor UserName; its ID
				// is the account ID.
				a := c.Caller.Account
				return userResult{iamxml.User{UserID: a.ID, Arn: a.RootARN(), CreateDate: query.Time(a.CreatedAt)}}, nil
			}
			u, err := d.cachedUser(c, name)
			if err != nil {
				return nil, err
			}
			return userResult{iamxml.ToUser(u, true)}, nil
		})),
		op.New("ListUsers", op.Spec[listUsersIn]{
			Action: "iam:ListUsers",
			Handle: func(c *op.Call, in *listUsersIn) (any, error) {
				return query.ListPage("Users", in.PageIn, iamxml.ListedUser)(d.IAM.Users(c.Ctx, c.Account(), in.PathPrefix))
			},
		}),
		op.New("UpdateUser", op.Spec[updateUserIn]{
			Action:   "iam:UpdateUser",
			Resource: func(c *op.Call, in *updateUserIn) string { return d.userARN(c, in.UserName) },
			Also: func(c *op.Call, in *updateUserIn) []string {
				return []string{movedARN(d.userARN(c, in.UserName), in.NewPath, in.NewUserName)}
			},
			Handle: func(c *op.Call, in *updateUserIn) (any, error) {
				return nil, d.IAM.UpdateUser(c.Ctx, c.Account(), in.UserName, in.NewUserName, in.NewPath)
			},
		}),
		op.New("DeleteUser", op.Spec[userNamed]{
			Action:   "iam:DeleteUser",
			Resource: resourceOf[userNamed](users),
			Handle: func(c *op.Call, in *userNamed) (any, error) {
				return nil, d.IAM.DeleteUser(c.Ctx, c.Account(), in.UserName)
			},
		}),
	}
	rows = append(rows, attachedRows[attachUserIn, listAttachedUserIn](users)...)
	rows = append(rows, inlineRows[putUserPolicyIn, userPolicyIn, userPageIn](users)...)
	rows = append(rows, boundaryRows[userBoundaryIn, userNamed](users)...)
	return append(rows, tagRows[tagUserIn, untagUserIn, userPageIn](users)...)
}
