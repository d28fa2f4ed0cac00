package iamops

import (
	"github.com/gatehouse-dev/gatehouse/api/iamops/iamxml"
	"github.com/gatehouse-dev/gatehouse/api/op"
	"github.com/gatehouse-dev/gatehouse/api/query"
)

// Inputs of the group operations.
type (
	createGroupIn struct {
		GroupName string `query:",required"`
		Path      string
	}
	listGroupsIn struct {
		PathPrefix string
		query.PageIn
	}
	updateGroupIn struct {
		GroupName    string `query:",required"`
		NewGroupName *string
		NewPath      *string
	}
	groupUserIn struct {
		GroupName string `query:",required"`
		UserName  string `query:",required"`
	}
	groupPageIn struct {
		groupNamed
		pageIn
	}
	attachGroupIn struct {
		groupNamed
		attachIn
	}
	listAttachedGroupIn struct {
		groupNamed
		listAttachedIn
	}
	putGroupPolicyIn struct {
		groupNamed
		putPolicyIn
	}
	groupPolicyIn struct {
		groupNamed
		inlinePolicyIn
	}
)

type groupResult struct {
	Group iamxml.Group `xml:"Group"`
}

// groupRows is the group part of the IAM table.
func (d *Deps) groupRows() []op.Row {
	groups := d.groups()
	rows := []op.Row{
		op.New("CreateGroup", op.Spec[createGroupIn]{
			Action:   "iam:CreateGroup",
			Resource: func(c *op.Call, in *createGroupIn) string { return entityARN(c, "group", in.Path, in.GroupName) },
			Handle: func(c *op.Call, in *createGroupIn) (any, error) {
				g, err := d.IAM.CreateGroup(c.Ctx, c.Account(), in.GroupName, in.Path)
				if err != nil {
					return nil, err
				}
				return groupResult{iamxml.ToGroup(g)}, nil
			},
		}),
		op.New("GetGroup", op.Spec[groupPageIn]{
			Action:   "iam:GetGroup",
			Resource: resourceOf[groupPageIn](groups),
			Handle: func(c *op.Call, in *groupPageIn) (any, error) {
				g, users, err := d.IAM.Group(c.Ctx, c.Account(), in.GroupName)
				if err != nil {
					return nil, err
				}
				pg, trunc, next, err := query.Page(users, in.PageIn)
				if err != nil {
					return nil, err
				}
				out := struct {
					Group       iamxml.Group            `xml:"Group"`
					Users       query.List[iamxml.User] `xml:"Users"`
					IsTruncated bool                    `xml:"IsTruncated"`
					Marker      string                  `xml:"Marker,omitempty"`
				}{Group: iamxml.ToGroup(g), Users: query.List[iamxml.User]{}, IsTruncated: trunc, Marker: next}
				for _, u := range pg {
					out.Users = append(out.Users, iamxml.ToUser(u, false))
				}
				return out, nil
			},
		}),
		op.New("ListGroups", op.Spec[listGroupsIn]{
			Action: "iam:ListGroups",
			Handle: func(c *op.Call, in *listGroupsIn) (any, error) {
				return query.ListPage("Groups", in.PageIn, iamxml.ToGroup)(d.IAM.Groups(c.Ctx, c.Account(), in.PathPrefix))
			},
		}),
		op.New("UpdateGroup", op.Spec[updateGroupIn]{
			Action:   "iam:UpdateGroup",
			Resource: func(c *op.Call, in *updateGroupIn) string { return d.groupARN(c, in.GroupName) },
			Also: func(c *op.Call, in *updateGroupIn) []string {
				return []string{movedARN(d.groupARN(c, in.GroupName), in.NewPath, in.NewGroupName)}
			},
			Handle: func(c *op.Call, in *updateGroupIn) (any, error) {
				return nil, d.IAM.UpdateGroup(c.Ctx, c.Account(), in.GroupName, in.NewGroupName, in.NewPath)
			},
		}),
		op.New("DeleteGroup", op.Spec[groupNamed]{
			Action:   "iam:DeleteGroup",
			Resource: resourceOf[groupNamed](groups),
			Handle: func(c *op.Call, in *groupNamed) (any, error) {
				return nil, d.IAM.DeleteGroup(c.Ctx, c.Account(), in.GroupName)
			},
		}),
		op.New("AddUserToGroup", op.Spec[groupUserIn]{
			Action:   "iam:AddUserToGroup",
			Resource: func(c *op.Call, in *groupUserIn) string { return d.groupARN(c, in.GroupName) },
			Handle: func(c *op.Call, in *groupUserIn) (any, error) {
				return nil, d.IAM.AddUserToGroup(c.Ctx, c.Account(), in.GroupName, in.UserName)
			},
		}),
		op.New("RemoveUserFromGroup", op.Spec[groupUserIn]{
			Action:   "iam:RemoveUserFromGroup",
			Resource: func(c *op.Call, in *groupUserIn) string { return d.groupARN(c, in.GroupName) },
			Handle: func(c *op.Call, in *groupUserIn) (any, error) {
				return nil, d.IAM.RemoveUserFromGroup(c.Ctx, c.Account(), in.GroupName, in.UserName)
			},
		}),
		op.New("ListGroupsForUser", op.Spec[userPageIn]{
			Action:   "iam:ListGroupsForUser",
			Resource: resourceOf[userPageIn](d.users()),
			Handle: func(c *op.Call, in *userPageIn) (any, error) {
				return query.ListPage("Groups", in.PageIn, iamxml.ToGroup)(d.IAM.GroupsForUser(c.Ctx, c.Account(), in.UserName))
			},
		}),
	}
	rows = append(rows, attachedRows[attachGroupIn, listAttachedGroupIn](groups)...)
	return append(rows, inlineRows[putGroupPolicyIn, groupPolicyIn, groupPageIn](groups)...)
}
