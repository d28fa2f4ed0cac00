package iamops

import (
	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/op"
	"github.com/gatehouse-dev/gatehouse/api/query"
	"github.com/gatehouse-dev/gatehouse/iam"
	"github.com/gatehouse-dev/gatehouse/policy"
)

type roleXML struct {
	Path                     string             `xml:"Path"`
	RoleName                 string             `xml:"RoleName"`
	RoleID                   string             `xml:"RoleId"`
	Arn                      string             `xml:"Arn"`
	CreateDate               query.Time         `xml:"CreateDate"`
	AssumeRolePolicyDocument string             `xml:"AssumeRolePolicyDocument,omitempty"`
	Description              string             `xml:"Description,omitempty"`
	MaxSessionDuration       int                `xml:"MaxSessionDuration,omitempty"`
	PermissionsBoundary      *boundaryXML       `xml:"PermissionsBoundary,omitempty"`
	Tags                     query.List[tagXML] `xml:"Tags,omitempty"`
	RoleLastUsed             *roleLastUsed      `xml:"RoleLastUsed,omitempty"`
}

type roleLastUsed struct {
	LastUsedDate *query.Time `xml:"LastUsedDate,omitempty"`
	Region       string      `xml:"Region,omitempty"`
}

// roleXML returns a role as the role operations answer it, its trust
// policy as AWS shows it (iam.Service.ShownTrustPolicy).
func (d *Deps) roleXML(c *op.Call, r *gatehouse.Role, full bool) (roleXML, error) {
	x := toRoleXML(r, full)
	doc, err := d.IAM.ShownTrustPolicy(c.Ctx, r)
	x.AssumeRolePolicyDocument = encodePolicyDocument(doc)
	return x, err
}

func toRoleXML(r *gatehouse.Role, full bool) roleXML {
	x := roleXML{Path: r.Path, RoleName: r.Name, RoleID: r.ID, Arn: r.ARN(), CreateDate: query.Time(r.CreatedAt),
		AssumeRolePolicyDocument: encodePolicyDocument(r.AssumeRolePolicy), Description: r.Description,
		MaxSessionDuration: r.MaxSessionDuration}
	if full { // ListRoles leaves out PermissionsBoundary, Tags and RoleLastUsed
		if r.PermissionsBoundary != "" {
			x.PermissionsBoundary = &boundaryXML{"Policy", r.PermissionsBoundary}
		}
		x.Tags = tagsXML(r.Tags)
		x.RoleLastUsed = &roleLastUsed{}
		if r.LastUsed != nil {
			t := query.Time(*r.LastUsed)
			x.RoleLastUsed = &roleLastUsed{LastUsedDate: &t, Region: "us-east-1"}
		}
	}
	return x
}

// Inputs of the role operations.
type (
	createRoleIn struct {
		RoleName                 string `query:",required"`
		Path                     string
		AssumeRolePolicyDocument string `query:",required"`
		Description              string
		MaxSessionDuration       *int
		PermissionsBoundary      string
		Tags                     []op.Tag
	}
	listRolesIn struct {
		PathPrefix string
		pageIn
	}
	updateRoleIn struct {
		RoleName           string `query:",required"`
		Description        *string
		MaxSessionDuration *int
	}
	updateAssumeRolePolicyIn struct {
		RoleName       string `query:",required"`
		PolicyDocument string `query:",required"`
	}
	rolePageIn struct {
		roleNamed
		pageIn
	}
	attachRoleIn struct {
		roleNamed
		attachIn
	}
	listAttachedRoleIn struct {
		roleNamed
		listAttachedIn
	}
	putRolePolicyIn struct {
		roleNamed
		putPolicyIn
	}
	rolePolicyIn struct {
		roleNamed
		inlinePolicyIn
	}
	roleBoundaryIn struct {
		roleNamed
		boundaryIn
	}
	tagRoleIn struct {
		roleNamed
		tagsIn
	}
	untagRoleIn struct {
		roleNamed
		tagKeysIn
	}
)

type roleResult struct {
	Role roleXML `xml:"Role"`
}

// roleRows is the role part of the IAM table.
func (d *Deps) roleRows() []op.Row {
	roles := d.roles()
	rows := []op.Row{
		op.New("CreateRole", op.Spec[createRoleIn]{
			Action:   "iam:CreateRole",
			Resource: func(c *op.Call, in *createRoleIn) string { return entityARN(c, "role", in.Path, in.RoleName) },
			Context: func(c *op.Call, in *createRoleIn, ctx *policy.Context) {
				op.TagContext(ctx, in.Tags)
				if in.PermissionsBoundary != "" {
					ctx.Set("iam:PermissionsBoundary", in.PermissionsBoundary)
				}
			},
			Handle: func(c *op.Call, in *createRoleIn) (any, error) {
				r, err := d.IAM.CreateRole(c.Ctx, c.Account(), iam.CreateRoleInput{
					RoleName: in.RoleName, Path: in.Path, AssumeRolePolicyDocument: in.AssumeRolePolicyDocument,
					Description: in.Description, MaxSessionDuration: in.MaxSessionDuration,
					PermissionsBoundary: in.PermissionsBoundary, Tags: op.Tags(in.Tags)})
				if err != nil {
					return nil, err
				}
				x := toRoleXML(r, true)
				x.RoleLastUsed = nil
				return roleResult{x}, nil
			},
		}),
		op.New("GetRole", op.Spec[roleNamed]{
			Action:   "iam:GetRole",
			Resource: resourceOf[roleNamed](roles),
			Handle: func(c *op.Call, in *roleNamed) (any, error) {
				r, err := d.IAM.Role(c.Ctx, c.Account(), in.RoleName)
				if err != nil {
					return nil, err
				}
				x, err := d.roleXML(c, r, true)
				return roleResult{x}, err
			},
		}),
		op.New("ListRoles", op.Spec[listRolesIn]{
			Action: "iam:ListRoles",
			Handle: func(c *op.Call, in *listRolesIn) (any, error) {
				roles, err := d.IAM.Roles(c.Ctx, c.Account(), in.PathPrefix)
				if err != nil {
					return nil, err
				}
				pg, trunc, next, err := page(roles, in.pageIn)
				if err != nil {
					return nil, err
				}
				out := struct {
					Roles       query.List[roleXML] `xml:"Roles"`
					IsTruncated bool                `xml:"IsTruncated"`
					Marker      string              `xml:"Marker,omitempty"`
				}{Roles: query.List[roleXML]{}, IsTruncated: trunc, Marker: next}
				for _, r := range pg {
					x, err := d.roleXML(c, r, false)
					if err != nil {
						return nil, err
					}
					out.Roles = append(out.Roles, x)
				}
				return out, nil
			},
		}),
		op.New("UpdateRole", op.Spec[updateRoleIn]{
			Action:   "iam:UpdateRole",
			Resource: func(c *op.Call, in *updateRoleIn) string { return d.roleARN(c, in.RoleName) },
			Handle: func(c *op.Call, in *updateRoleIn) (any, error) {
				return struct{}{}, d.IAM.UpdateRole(c.Ctx, c.Account(), in.RoleName, in.Description, in.MaxSessionDuration)
			},
		}),
		op.New("UpdateAssumeRolePolicy", op.Spec[updateAssumeRolePolicyIn]{
			Action:   "iam:UpdateAssumeRolePolicy",
			Resource: func(c *op.Call, in *updateAssumeRolePolicyIn) string { return d.roleARN(c, in.RoleName) },
			Handle: func(c *op.Call, in *updateAssumeRolePolicyIn) (any, error) {
				return nil, d.IAM.UpdateAssumeRolePolicy(c.Ctx, c.Account(), in.RoleName, in.PolicyDocument)
			},
		}),
		op.New("DeleteRole", op.Spec[roleNamed]{
			Action:   "iam:DeleteRole",
			Resource: resourceOf[roleNamed](roles),
			Handle: func(c *op.Call, in *roleNamed) (any, error) {
				return nil, d.IAM.DeleteRole(c.Ctx, c.Account(), in.RoleName)
			},
		}),
	}
	rows = append(rows, attachedRows[attachRoleIn, listAttachedRoleIn](roles)...)
	rows = append(rows, inlineRows[putRolePolicyIn, rolePolicyIn, rolePageIn](roles)...)
	rows = append(rows, boundaryRows[roleBoundaryIn, roleNamed](roles)...)
	return append(rows, tagRows[tagRoleIn, untagRoleIn, rolePageIn](roles)...)
}
