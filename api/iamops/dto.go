package iamops

import (
	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/query"
	"github.com/gatehouse-dev/gatehouse/iam"
)

// Wire shapes of IAM results (botocore iam 2010-05-08 model).

type tagXML struct {
	Key   string `xml:"Key"`
	Value string `xml:"Value"`
}

func toTagXML(t gatehouse.Tag) tagXML { return tagXML{t.Key, t.Value} }

func tagsXML(tags []gatehouse.Tag) query.List[tagXML] {
	out := make(query.List[tagXML], len(tags))
	for i, t := range tags {
		out[i] = toTagXML(t)
	}
	return out
}

type boundaryXML struct {
	PermissionsBoundaryType string `xml:"PermissionsBoundaryType"`
	PermissionsBoundaryArn  string `xml:"PermissionsBoundaryArn"`
}

// userXML is a User. Path and UserName are required in the model, yet
// AWS leaves both out for the root user (GetUser with root credentials).
type userXML struct {
	Path                string             `xml:"Path,omitempty"`
	UserName            string             `xml:"UserName,omitempty"`
	UserID              string             `xml:"UserId"`
	Arn                 string             `xml:"Arn"`
	CreateDate          query.Time         `xml:"CreateDate"`
	PermissionsBoundary *boundaryXML       `xml:"PermissionsBoundary,omitempty"`
	Tags                query.List[tagXML] `xml:"Tags,omitempty"`
}

// toUserXML returns the wire form of a user. Listings (ListUsers, the
// users of GetGroup) leave out PermissionsBoundary and Tags, as AWS's do.
func toUserXML(u *gatehouse.User, full bool) userXML {
	x := userXML{Path: u.Path, UserName: u.Name, UserID: u.ID, Arn: u.ARN(), CreateDate: query.Time(u.CreatedAt)}
	if !full {
		return x
	}
	if u.PermissionsBoundary != "" {
		x.PermissionsBoundary = &boundaryXML{"Policy", u.PermissionsBoundary}
	}
	x.Tags = tagsXML(u.Tags)
	return x
}

// listedUserXML is a user as listings show it.
func listedUserXML(u *gatehouse.User) userXML { return toUserXML(u, false) }

type groupXML struct {
	Path       string     `xml:"Path"`
	GroupName  string     `xml:"GroupName"`
	GroupID    string     `xml:"GroupId"`
	Arn        string     `xml:"Arn"`
	CreateDate query.Time `xml:"CreateDate"`
}

func toGroupXML(g *gatehouse.Group) groupXML {
	return groupXML{g.Path, g.Name, g.ID, g.ARN(), query.Time(g.CreatedAt)}
}

type policyXML struct {
	PolicyName                    string             `xml:"PolicyName"`
	PolicyID                      string             `xml:"PolicyId"`
	Arn                           string             `xml:"Arn"`
	Path                          string             `xml:"Path"`
	DefaultVersionID              string             `xml:"DefaultVersionId"`
	AttachmentCount               int                `xml:"AttachmentCount"`
	PermissionsBoundaryUsageCount int                `xml:"PermissionsBoundaryUsageCount"`
	IsAttachable                  bool               `xml:"IsAttachable"`
	Description                   string             `xml:"Description,omitempty"`
	CreateDate                    query.Time         `xml:"CreateDate"`
	UpdateDate                    query.Time         `xml:"UpdateDate"`
	Tags                          query.List[tagXML] `xml:"Tags,omitempty"`
}

// toPolicyXML returns the wire form of a managed policy for a caller in
// partition.
func toPolicyXML(p *iam.PolicyInfo, withDescription bool, partition string) policyXML {
	x := policyXML{
		PolicyName: p.Name, PolicyID: p.ID, Arn: policyARNIn(p.ManagedPolicy, partition), Path: p.Path, DefaultVersionID: p.DefaultVersionID,
		AttachmentCount: p.AttachmentCount, PermissionsBoundaryUsageCount: p.PermissionsBoundaryUsageCount,
		IsAttachable: !isRootTask(p.ManagedPolicy), CreateDate: query.Time(p.CreatedAt), UpdateDate: query.Time(p.UpdatedAt),
		Tags: tagsXML(p.Tags),
	}
	if withDescription {
		x.Description = p.Description
	}
	return x
}

// policyARNIn returns a managed policy's ARN as a caller in partition
// names it: AWS managed policies exist in every partition (stored under
// the standard one), customer managed ones in their account's.
func policyARNIn(p *gatehouse.ManagedPolicy, partition string) string {
	return iam.PolicyARNIn(p, partition)
}

func isRootTask(p *gatehouse.ManagedPolicy) bool {
	return p.AccountID == gatehouse.AWSManagedAccount && p.Path == "/root-task/"
}

type policyVersionXML struct {
	Document         string     `xml:"Document,omitempty"`
	VersionID        string     `xml:"VersionId"`
	IsDefaultVersion bool       `xml:"IsDefaultVersion"`
	CreateDate       query.Time `xml:"CreateDate"`
}

type attachedPolicyXML struct {
	PolicyName string `xml:"PolicyName"`
	PolicyArn  string `xml:"PolicyArn"`
}

type accessKeyXML struct {
	UserName        string     `xml:"UserName,omitempty"`
	AccessKeyID     string     `xml:"AccessKeyId"`
	Status          string     `xml:"Status"`
	SecretAccessKey string     `xml:"SecretAccessKey,omitempty"`
	CreateDate      query.Time `xml:"CreateDate"`
}

type accessKeyMetadataXML struct {
	UserName    string     `xml:"UserName,omitempty"`
	AccessKeyID string     `xml:"AccessKeyId"`
	Status      string     `xml:"Status"`
	CreateDate  query.Time `xml:"CreateDate"`
}

type summaryEntry struct {
	Key   string `xml:"key"`
	Value int    `xml:"value"`
}

// summaryMap is a Query map: <SummaryMap><entry><key/><value/></entry>...
type summaryMap struct {
	Entries []summaryEntry `xml:"entry"`
}
