package iampolicyops

import (
	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/iamops/iamxml"
	"github.com/gatehouse-dev/gatehouse/api/op"
	"github.com/gatehouse-dev/gatehouse/api/query"
	"github.com/gatehouse-dev/gatehouse/iam"
)

// GetAccountAuthorizationDetails: the account's whole IAM configuration,
// with URL-encoded policy documents, paged with one Marker across users,
// groups, roles and policies, in that order. (The other account-wide
// report, the credential report, is package iamops's.)

type authDetailsIn struct {
	Filter []string
	query.PageIn
}

type policyDetailXML struct {
	PolicyName     string `xml:"PolicyName"`
	PolicyDocument string `xml:"PolicyDocument"`
}

type userDetailXML struct {
	Path                    string                            `xml:"Path"`
	UserName                string                            `xml:"UserName"`
	UserID                  string                            `xml:"UserId"`
	Arn                     string                            `xml:"Arn"`
	CreateDate              query.Time                        `xml:"CreateDate"`
	UserPolicyList          query.List[policyDetailXML]       `xml:"UserPolicyList"`
	GroupList               query.List[string]                `xml:"GroupList"`
	AttachedManagedPolicies query.List[iamxml.AttachedPolicy] `xml:"AttachedManagedPolicies"`
	PermissionsBoundary     *iamxml.Boundary                  `xml:"PermissionsBoundary,omitempty"`
	Tags                    query.List[iamxml.Tag]            `xml:"Tags"`
}

type groupDetailXML struct {
	Path                    string                            `xml:"Path"`
	GroupName               string                            `xml:"GroupName"`
	GroupID                 string                            `xml:"GroupId"`
	Arn                     string                            `xml:"Arn"`
	CreateDate              query.Time                        `xml:"CreateDate"`
	GroupPolicyList         query.List[policyDetailXML]       `xml:"GroupPolicyList"`
	AttachedManagedPolicies query.List[iamxml.AttachedPolicy] `xml:"AttachedManagedPolicies"`
}

type roleDetailXML struct {
	Path                     string                            `xml:"Path"`
	RoleName                 string                            `xml:"RoleName"`
	RoleID                   string                            `xml:"RoleId"`
	Arn                      string                            `xml:"Arn"`
	CreateDate               query.Time                        `xml:"CreateDate"`
	AssumeRolePolicyDocument string                            `xml:"AssumeRolePolicyDocument"`
	InstanceProfileList      query.List[struct{}]              `xml:"InstanceProfileList"` // Gatehouse has no instance profiles
	RolePolicyList           query.List[policyDetailXML]       `xml:"RolePolicyList"`
	AttachedManagedPolicies  query.List[iamxml.AttachedPolicy] `xml:"AttachedManagedPolicies"`
	PermissionsBoundary      *iamxml.Boundary                  `xml:"PermissionsBoundary,omitempty"`
	Tags                     query.List[iamxml.Tag]            `xml:"Tags"`
	RoleLastUsed             *iamxml.RoleLastUsed              `xml:"RoleLastUsed"`
}

type managedPolicyDetailXML struct {
	PolicyName                    string                           `xml:"PolicyName"`
	PolicyID                      string                           `xml:"PolicyId"`
	Arn                           string                           `xml:"Arn"`
	Path                          string                           `xml:"Path"`
	DefaultVersionID              string                           `xml:"DefaultVersionId"`
	AttachmentCount               int                              `xml:"AttachmentCount"`
	PermissionsBoundaryUsageCount int                              `xml:"PermissionsBoundaryUsageCount"`
	IsAttachable                  bool                             `xml:"IsAttachable"`
	Description                   string                           `xml:"Description,omitempty"`
	CreateDate                    query.Time                       `xml:"CreateDate"`
	UpdateDate                    query.Time                       `xml:"UpdateDate"`
	PolicyVersionList             query.List[iamxml.PolicyVersion] `xml:"PolicyVersionList"`
}

type authDetailsXML struct {
	UserDetailList  query.List[userDetailXML]          `xml:"UserDetailList"`
	GroupDetailList query.List[groupDetailXML]         `xml:"GroupDetailList"`
	RoleDetailList  query.List[roleDetailXML]          `xml:"RoleDetailList"`
	Policies        query.List[managedPolicyDetailXML] `xml:"Policies"`
	IsTruncated     bool                               `xml:"IsTruncated"`
	Marker          string                             `xml:"Marker,omitempty"`
}

func inlineXML(ps []*gatehouse.InlinePolicy) query.List[policyDetailXML] {
	out := query.List[policyDetailXML]{}
	for _, p := range ps {
		out = append(out, policyDetailXML{p.Name, iamxml.EncodePolicyDocument(p.Document)})
	}
	return out
}

func attachedXML(ps []*gatehouse.ManagedPolicy, partition string) query.List[iamxml.AttachedPolicy] {
	out := query.List[iamxml.AttachedPolicy]{}
	for _, p := range ps {
		out = append(out, iamxml.ToAttachedPolicy(p, partition))
	}
	return out
}

// authDetailsOf pages the details into their wire form for a caller in
// partition.
func (d *Deps) authDetailsOf(c *op.Call, details *iam.AuthorizationDetails, in query.PageIn, partition string) (*authDetailsXML, error) {
	var items []any
	for _, u := range details.Users {
		items = append(items, u)
	}
	for _, g := range details.Groups {
		items = append(items, g)
	}
	for _, r := range details.Roles {
		items = append(items, r)
	}
	for _, p := range details.Policies {
		items = append(items, p)
	}
	pg, truncated, next, err := query.Page(items, in)
	if err != nil {
		return nil, err
	}
	out := &authDetailsXML{UserDetailList: query.List[userDetailXML]{}, GroupDetailList: query.List[groupDetailXML]{},
		RoleDetailList: query.List[roleDetailXML]{}, Policies: query.List[managedPolicyDetailXML]{}, IsTruncated: truncated, Marker: next}
	for _, item := range pg {
		switch x := item.(type) {
		case iam.UserDetail:
			u := x.User
			out.UserDetailList = append(out.UserDetailList, userDetailXML{
				Path: u.Path, UserName: u.Name, UserID: u.ID, Arn: u.ARN(), CreateDate: query.Time(u.CreatedAt),
				UserPolicyList: inlineXML(x.Inline), GroupList: append(query.List[string]{}, x.Groups...),
				AttachedManagedPolicies: attachedXML(x.Attached, partition), PermissionsBoundary: iamxml.BoundaryOf(u.PermissionsBoundary),
				Tags: iamxml.Tags(u.Tags),
			})
		case iam.GroupDetail:
			g := x.Group
			out.GroupDetailList = append(out.GroupDetailList, groupDetailXML{
				Path: g.Path, GroupName: g.Name, GroupID: g.ID, Arn: g.ARN(), CreateDate: query.Time(g.CreatedAt),
				GroupPolicyList: inlineXML(x.Inline), AttachedManagedPolicies: attachedXML(x.Attached, partition),
			})
		case iam.RoleDetail:
			// The trust policy as the role operations show it
			// (iam.Service.ShownTrustPolicy).
			r := iamxml.ToRole(x.Role, true)
			doc, err := d.IAM.ShownTrustPolicy(c.Ctx, x.Role)
			if err != nil {
				return nil, err
			}
			r.ShowTrustPolicy(doc)
			out.RoleDetailList = append(out.RoleDetailList, roleDetailXML{
				Path: r.Path, RoleName: r.RoleName, RoleID: r.RoleID, Arn: r.Arn, CreateDate: r.CreateDate,
				AssumeRolePolicyDocument: r.AssumeRolePolicyDocument, InstanceProfileList: query.List[struct{}]{},
				RolePolicyList: inlineXML(x.Inline), AttachedManagedPolicies: attachedXML(x.Attached, partition),
				PermissionsBoundary: r.PermissionsBoundary, Tags: r.Tags, RoleLastUsed: r.RoleLastUsed,
			})
		case iam.PolicyDetail:
			p := iamxml.ToPolicy(x.PolicyInfo, true, partition)
			versions := query.List[iamxml.PolicyVersion]{}
			for _, v := range x.Versions {
				versions = append(versions, iamxml.PolicyVersion{Document: iamxml.EncodePolicyDocument(v.Document),
					VersionID: v.VersionID, IsDefaultVersion: v.VersionID == x.DefaultVersionID, CreateDate: query.Time(v.CreatedAt)})
			}
			out.Policies = append(out.Policies, managedPolicyDetailXML{
				PolicyName: p.PolicyName, PolicyID: p.PolicyID, Arn: p.Arn, Path: p.Path, DefaultVersionID: p.DefaultVersionID,
				AttachmentCount: p.AttachmentCount, PermissionsBoundaryUsageCount: p.PermissionsBoundaryUsageCount,
				IsAttachable: p.IsAttachable, Description: p.Description, CreateDate: p.CreateDate, UpdateDate: p.UpdateDate,
				PolicyVersionList: versions,
			})
		}
	}
	return out, nil
}

// authDetailsRows is GetAccountAuthorizationDetails.
func (d *Deps) authDetailsRows() []op.Row {
	return []op.Row{
		op.New("GetAccountAuthorizationDetails", op.Spec[authDetailsIn]{
			Action: "iam:GetAccountAuthorizationDetails",
			Handle: func(c *op.Call, in *authDetailsIn) (any, error) {
				details, err := d.IAM.AuthorizationDetails(c.Ctx, c.Account(), in.Filter)
				if err != nil {
					return nil, err
				}
				return d.authDetailsOf(c, details, in.PageIn, c.Caller.Account.ARNPartition())
			},
		}),
	}
}
