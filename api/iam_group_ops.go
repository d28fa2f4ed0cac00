package api

import "github.com/gatehouse-dev/gatehouse/api/query"

// Inputs of the group operations.
type (
	groupNameIn struct {
		GroupName string `query:",required"`
	}
	createGroupIn struct {
		GroupName string `query:",required"`
		Path      string
	}
	getGroupIn struct {
		GroupName string `query:",required"`
		pageIn
	}
	listGroupsIn struct {
		PathPrefix string
		pageIn
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
	listGroupsForUserIn struct {
		UserName string `query:",required"`
		pageIn
	}
)

type groupList struct {
	Groups      query.List[groupXML] `xml:"Groups"`
	IsTruncated bool                 `xml:"IsTruncated"`
	Marker      string               `xml:"Marker,omitempty"`
}

func groupOperations() []operation {
	groupARN := func(c *call, in *groupNameIn) string { return c.groupARN(in.GroupName) }
	return []operation{
		legacyOp("CreateGroup", opSpec[createGroupIn]{
			action: "iam:CreateGroup",
			resource: func(c *call, in *createGroupIn) string {
				return entityARN(c, "group", in.Path, in.GroupName)
			},
			handle: func(c *call, in *createGroupIn) (any, error) {
				g, err := c.srv.IAM.CreateGroup(c.ctx, c.account(), in.GroupName, in.Path)
				if err != nil {
					return nil, err
				}
				return groupResult{toGroupXML(g)}, nil
			},
		}),
		legacyOp("GetGroup", opSpec[getGroupIn]{
			action:   "iam:GetGroup",
			resource: func(c *call, in *getGroupIn) string { return c.groupARN(in.GroupName) },
			handle: func(c *call, in *getGroupIn) (any, error) {
				g, users, err := c.srv.IAM.Group(c.ctx, c.account(), in.GroupName)
				if err != nil {
					return nil, err
				}
				pg, trunc, next, err := page(users, in.pageIn)
				if err != nil {
					return nil, err
				}
				out := struct {
					Group       groupXML            `xml:"Group"`
					Users       query.List[userXML] `xml:"Users"`
					IsTruncated bool                `xml:"IsTruncated"`
					Marker      string              `xml:"Marker,omitempty"`
				}{Group: toGroupXML(g), Users: query.List[userXML]{}, IsTruncated: trunc, Marker: next}
				for _, u := range pg {
					out.Users = append(out.Users, toUserXML(u, false))
				}
				return out, nil
			},
		}),
		legacyOp("ListGroups", opSpec[listGroupsIn]{
			action: "iam:ListGroups",
			handle: func(c *call, in *listGroupsIn) (any, error) {
				groups, err := c.srv.IAM.Groups(c.ctx, c.account(), in.PathPrefix)
				if err != nil {
					return nil, err
				}
				pg, trunc, next, err := page(groups, in.pageIn)
				if err != nil {
					return nil, err
				}
				out := groupList{Groups: query.List[groupXML]{}, IsTruncated: trunc, Marker: next}
				for _, g := range pg {
					out.Groups = append(out.Groups, toGroupXML(g))
				}
				return out, nil
			},
		}),
		legacyOp("UpdateGroup", opSpec[updateGroupIn]{
			action:   "iam:UpdateGroup",
			resource: func(c *call, in *updateGroupIn) string { return c.groupARN(in.GroupName) },
			also: func(c *call, in *updateGroupIn) []string {
				return []string{movedARN(c.groupARN(in.GroupName), in.NewPath, in.NewGroupName)}
			},
			handle: func(c *call, in *updateGroupIn) (any, error) {
				return nil, c.srv.IAM.UpdateGroup(c.ctx, c.account(), in.GroupName, in.NewGroupName, in.NewPath)
			},
		}),
		legacyOp("DeleteGroup", opSpec[groupNameIn]{
			action:   "iam:DeleteGroup",
			resource: groupARN,
			handle: func(c *call, in *groupNameIn) (any, error) {
				return nil, c.srv.IAM.DeleteGroup(c.ctx, c.account(), in.GroupName)
			},
		}),
		legacyOp("AddUserToGroup", opSpec[groupUserIn]{
			action:   "iam:AddUserToGroup",
			resource: func(c *call, in *groupUserIn) string { return c.groupARN(in.GroupName) },
			handle: func(c *call, in *groupUserIn) (any, error) {
				return nil, c.srv.IAM.AddUserToGroup(c.ctx, c.account(), in.GroupName, in.UserName)
			},
		}),
		legacyOp("RemoveUserFromGroup", opSpec[groupUserIn]{
			action:   "iam:RemoveUserFromGroup",
			resource: func(c *call, in *groupUserIn) string { return c.groupARN(in.GroupName) },
			handle: func(c *call, in *groupUserIn) (any, error) {
				return nil, c.srv.IAM.RemoveUserFromGroup(c.ctx, c.account(), in.GroupName, in.UserName)
			},
		}),
		legacyOp("ListGroupsForUser", opSpec[listGroupsForUserIn]{
			action:   "iam:ListGroupsForUser",
			resource: func(c *call, in *listGroupsForUserIn) string { return c.userARN(in.UserName) },
			handle: func(c *call, in *listGroupsForUserIn) (any, error) {
				groups, err := c.srv.IAM.GroupsForUser(c.ctx, c.account(), in.UserName)
				if err != nil {
					return nil, err
				}
				pg, trunc, next, err := page(groups, in.pageIn)
				if err != nil {
					return nil, err
				}
				out := groupList{Groups: query.List[groupXML]{}, IsTruncated: trunc, Marker: next}
				for _, g := range pg {
					out.Groups = append(out.Groups, toGroupXML(g))
				}
				return out, nil
			},
		}),
	}
}
