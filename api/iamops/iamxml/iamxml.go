// Package iamxml is the wire shapes of IAM's entities (users, groups,
// roles, managed policies, credentials) in Query results (botocore iam
// 2010-05-08 model), with their converters, for the IAM ops packages.
package iamxml

import (
	"strings"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/query"
	"github.com/gatehouse-dev/gatehouse/iam"
)

// Tag is a Tag.
type Tag struct {
	Key   string `xml:"Key"`
	Value string `xml:"Value"`
}

// ToTag returns the wire form of a tag.
func ToTag(t gatehouse.Tag) Tag { return Tag{t.Key, t.Value} }

// Tags returns the wire form of a list of tags.
func Tags(tags []gatehouse.Tag) query.List[Tag] {
	out := make(query.List[Tag], len(tags))
	for i, t := range tags {
		out[i] = ToTag(t)
	}
	return out
}

// Boundary is an AttachedPermissionsBoundary.
type Boundary struct {
	PermissionsBoundaryType string `xml:"PermissionsBoundaryType"`
	PermissionsBoundaryArn  string `xml:"PermissionsBoundaryArn"`
}

// BoundaryOf returns the wire form of the permissions boundary policyARN
// (nil for "": no boundary).
func BoundaryOf(policyARN string) *Boundary {
	if policyARN == "" {
		return nil
	}
	return &Boundary{"Policy", policyARN}
}

// User is a User. Path and UserName are required in the model, yet AWS
// leaves both out for the root user (GetUser with root credentials).
type User struct {
	Path                string          `xml:"Path,omitempty"`
	UserName            string          `xml:"UserName,omitempty"`
	UserID              string          `xml:"UserId"`
	Arn                 string          `xml:"Arn"`
	CreateDate          query.Time      `xml:"CreateDate"`
	PermissionsBoundary *Boundary       `xml:"PermissionsBoundary,omitempty"`
	Tags                query.List[Tag] `xml:"Tags,omitempty"`
}

// ToUser returns the wire form of a user. Listings (ListUsers, the users
// of GetGroup) leave out PermissionsBoundary and Tags, as AWS's do.
func ToUser(u *gatehouse.User, full bool) User {
	x := User{Path: u.Path, UserName: u.Name, UserID: u.ID, Arn: u.ARN(), CreateDate: query.Time(u.CreatedAt)}
	if !full {
		return x
	}
	x.PermissionsBoundary = BoundaryOf(u.PermissionsBoundary)
	x.Tags = Tags(u.Tags)
	return x
}

// ListedUser is a user as listings show it.
func ListedUser(u *gatehouse.User) User { return ToUser(u, false) }

// Group is a Group.
type Group struct {
	Path       string     `xml:"Path"`
	GroupName  string     `xml:"GroupName"`
	GroupID    string     `xml:"GroupId"`
	Arn        string     `xml:"Arn"`
	CreateDate query.Time `xml:"CreateDate"`
}

// ToGroup returns the wire form of a group.
func ToGroup(g *gatehouse.Group) Group {
	return Group{g.Path, g.Name, g.ID, g.ARN(), query.Time(g.CreatedAt)}
}

// Role is a Role.
type Role struct {
	Path                     string          `xml:"Path"`
	RoleName                 string          `xml:"RoleName"`
	RoleID                   string          `xml:"RoleId"`
	Arn                      string          `xml:"Arn"`
	CreateDate               query.Time      `xml:"CreateDate"`
	AssumeRolePolicyDocument string          `xml:"AssumeRolePolicyDocument,omitempty"`
	Description              string          `xml:"Description,omitempty"`
	MaxSessionDuration       int             `xml:"MaxSessionDuration,omitempty"`
	PermissionsBoundary      *Boundary       `xml:"PermissionsBoundary,omitempty"`
	Tags                     query.List[Tag] `xml:"Tags,omitempty"`
	RoleLastUsed             *RoleLastUsed   `xml:"RoleLastUsed,omitempty"`
}

// RoleLastUsed is a role's RoleLastUsed.
type RoleLastUsed struct {
	LastUsedDate *query.Time `xml:"LastUsedDate,omitempty"`
	Region       string      `xml:"Region,omitempty"`
}

// ToRole returns the wire form of a role with its trust policy as
// stored; the role operations show it as AWS does instead
// (iam.Service.ShownTrustPolicy, ShowTrustPolicy).
func ToRole(r *gatehouse.Role, full bool) Role {
	x := Role{Path: r.Path, RoleName: r.Name, RoleID: r.ID, Arn: r.ARN(), CreateDate: query.Time(r.CreatedAt),
		AssumeRolePolicyDocument: EncodePolicyDocument(r.AssumeRolePolicy), Description: r.Description,
		MaxSessionDuration: r.MaxSessionDuration}
	if full { // ListRoles leaves out PermissionsBoundary, Tags and RoleLastUsed
		x.PermissionsBoundary = BoundaryOf(r.PermissionsBoundary)
		x.Tags = Tags(r.Tags)
		x.RoleLastUsed = &RoleLastUsed{}
		if r.LastUsed != nil {
			t := query.Time(*r.LastUsed)
			x.RoleLastUsed = &RoleLastUsed{LastUsedDate: &t, Region: "us-east-1"}
		}
	}
	return x
}

// ShowTrustPolicy sets the role's trust policy to doc, the document as
// iam.Service.ShownTrustPolicy shows it.
func (x *Role) ShowTrustPolicy(doc string) {
	x.AssumeRolePolicyDocument = EncodePolicyDocument(doc)
}

// Policy is a managed Policy.
type Policy struct {
	PolicyName                    string          `xml:"PolicyName"`
	PolicyID                      string          `xml:"PolicyId"`
	Arn                           string          `xml:"Arn"`
	Path                          string          `xml:"Path"`
	DefaultVersionID              string          `xml:"DefaultVersionId"`
	AttachmentCount               int             `xml:"AttachmentCount"`
	PermissionsBoundaryUsageCount int             `xml:"PermissionsBoundaryUsageCount"`
	IsAttachable                  bool            `xml:"IsAttachable"`
	Description                   string          `xml:"Description,omitempty"`
	CreateDate                    query.Time      `xml:"CreateDate"`
	UpdateDate                    query.Time      `xml:"UpdateDate"`
	Tags                          query.List[Tag] `xml:"Tags,omitempty"`
}

// ToPolicy returns the wire form of a managed policy for a caller in
// partition.
func ToPolicy(p *iam.PolicyInfo, withDescription bool, partition string) Policy {
	x := Policy{
		PolicyName: p.Name, PolicyID: p.ID, Arn: PolicyARNIn(p.ManagedPolicy, partition), Path: p.Path, DefaultVersionID: p.DefaultVersionID,
		AttachmentCount: p.AttachmentCount, PermissionsBoundaryUsageCount: p.PermissionsBoundaryUsageCount,
		IsAttachable: !isRootTask(p.ManagedPolicy), CreateDate: query.Time(p.CreatedAt), UpdateDate: query.Time(p.UpdatedAt),
		Tags: Tags(p.Tags),
	}
	if withDescription {
		x.Description = p.Description
	}
	return x
}

// PolicyARNIn returns a managed policy's ARN as a caller in partition
// names it: AWS managed policies exist in every partition (stored under
// the standard one), customer managed ones in their account's.
func PolicyARNIn(p *gatehouse.ManagedPolicy, partition string) string {
	return iam.PolicyARNIn(p, partition)
}

func isRootTask(p *gatehouse.ManagedPolicy) bool {
	return p.AccountID == gatehouse.AWSManagedAccount && p.Path == "/root-task/"
}

// PolicyVersion is a PolicyVersion; Document is left out where AWS
// leaves it out (listings, CreatePolicyVersion).
type PolicyVersion struct {
	Document         string     `xml:"Document,omitempty"`
	VersionID        string     `xml:"VersionId"`
	IsDefaultVersion bool       `xml:"IsDefaultVersion"`
	CreateDate       query.Time `xml:"CreateDate"`
}

// AttachedPolicy is an AttachedPolicy: a managed policy attached to a
// user, group or role.
type AttachedPolicy struct {
	PolicyName string `xml:"PolicyName"`
	PolicyArn  string `xml:"PolicyArn"`
}

// ToAttachedPolicy returns the wire form of an attached managed policy
// for a caller in partition.
func ToAttachedPolicy(p *gatehouse.ManagedPolicy, partition string) AttachedPolicy {
	return AttachedPolicy{p.Name, PolicyARNIn(p, partition)}
}

// EncodePolicyDocument URL-encodes a policy document as IAM returns it
// (RFC 3986: everything but unreserved characters is percent-encoded).
func EncodePolicyDocument(doc string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(doc) * 2)
	for i := 0; i < len(doc); i++ {
		c := doc[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}
