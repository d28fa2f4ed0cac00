package iamops

import (
	"context"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/iamops/iamxml"
	"github.com/gatehouse-dev/gatehouse/api/op"
	"github.com/gatehouse-dev/gatehouse/api/query"
	"github.com/gatehouse-dev/gatehouse/iam"
	"github.com/gatehouse-dev/gatehouse/policy"
)

// The rows repeated per kind of entity come from the helpers here:
// attached managed policies, inline policies and permissions
// boundaries of users, groups and roles, and tags of users, roles and
// managed policies. Each row's name is its verb, the kind and a suffix
// (AttachUserPolicy, ListRoleTags), and its action "iam:" and its name.

// kind is one kind of IAM entity the repeated rows act on.
type kind struct {
	// name is the kind as operation names spell it: "User" in
	// AttachUserPolicy and ListUserTags.
	name string
	iam  *iam.Service
	// ref is the kind an iam.Service EntityRef names (users, groups and
	// roles).
	ref gatehouse.EntityKind
	// arn returns the ARN an operation on the entity named name is
	// authorized against.
	arn func(c *op.Call, name string) string
	// The kind's tag operations (users, roles and managed policies).
	tag   func(ctx context.Context, account, name string, tags []gatehouse.Tag) error
	untag func(ctx context.Context, account, name string, keys []string) error
	tags  func(ctx context.Context, account, name string) ([]gatehouse.Tag, error)
	// The kind's permissions boundary operations (users and roles).
	putBoundary    func(ctx context.Context, account, name, policyARN string) error
	deleteBoundary func(ctx context.Context, account, name string) error
}

func (d *Deps) users() kind {
	return kind{name: "User", iam: d.IAM, ref: gatehouse.KindUser, arn: d.userARN,
		tag: d.IAM.TagUser, untag: d.IAM.UntagUser,
		tags: func(ctx context.Context, account, name string) ([]gatehouse.Tag, error) {
			u, err := d.IAM.User(ctx, account, name)
			if err != nil {
				return nil, err
			}
			return u.Tags, nil
		},
		putBoundary: d.IAM.PutUserPermissionsBoundary, deleteBoundary: d.IAM.DeleteUserPermissionsBoundary,
	}
}

func (d *Deps) groups() kind {
	return kind{name: "Group", iam: d.IAM, ref: gatehouse.KindGroup, arn: d.groupARN}
}

func (d *Deps) roles() kind {
	return kind{name: "Role", iam: d.IAM, ref: gatehouse.KindRole, arn: d.roleARN,
		tag: d.IAM.TagRole, untag: d.IAM.UntagRole,
		tags: func(ctx context.Context, account, name string) ([]gatehouse.Tag, error) {
			r, err := d.IAM.Role(ctx, account, name)
			if err != nil {
				return nil, err
			}
			return r.Tags, nil
		},
		putBoundary: d.IAM.PutRolePermissionsBoundary, deleteBoundary: d.IAM.DeleteRolePermissionsBoundary,
	}
}

// policies is the managed policy kind: its entities are named by ARN,
// which is also what operations on them are authorized against.
func (d *Deps) policies() kind {
	return kind{name: "Policy", iam: d.IAM, arn: func(_ *op.Call, policyARN string) string { return policyARN },
		tag: d.IAM.TagPolicy, untag: d.IAM.UntagPolicy,
		tags: func(ctx context.Context, account, policyARN string) ([]gatehouse.Tag, error) {
			p, err := d.IAM.Policy(ctx, account, policyARN)
			if err != nil {
				return nil, err
			}
			return p.Tags, nil
		},
	}
}

// Inputs of the tag rows of managed policies.
type (
	policyPageIn struct {
		policyNamed
		pageIn
	}
	tagPolicyIn struct {
		policyNamed
		tagsIn
	}
	untagPolicyIn struct {
		policyNamed
		tagKeysIn
	}
)

// policyTagRows is TagPolicy, UntagPolicy and ListPolicyTags: the rest
// of the managed policy operations are package iampolicyops's.
func (d *Deps) policyTagRows() []op.Row {
	return tagRows[tagPolicyIn, untagPolicyIn, policyPageIn](d.policies())
}

func (k kind) entityRef(name string) gatehouse.EntityRef {
	return gatehouse.EntityRef{Kind: k.ref, Name: name}
}

// The input of a repeated row names its entity with the member of its
// kind (by embedding one of these types) before its other members
// (embedding one of the shapes below), in the service model's order.
type (
	userNamed struct {
		UserName string `query:",required"`
	}
	groupNamed struct {
		GroupName string `query:",required"`
	}
	roleNamed struct {
		RoleName string `query:",required"`
	}
	policyNamed struct {
		PolicyArn string `query:",required"`
	}
)

func (n userNamed) entity() string   { return n.UserName }
func (n groupNamed) entity() string  { return n.GroupName }
func (n roleNamed) entity() string   { return n.RoleName }
func (n policyNamed) entity() string { return n.PolicyArn }

// The shapes of the repeated rows' inputs: their members after the
// entity.
type (
	attachIn struct {
		PolicyArn string `query:",required"`
	}
	listAttachedIn struct {
		PathPrefix string
		query.PageIn
	}
	putPolicyIn struct {
		PolicyName     string `query:",required"`
		PolicyDocument string `query:",required"`
	}
	inlinePolicyIn struct {
		PolicyName string `query:",required"`
	}
	boundaryIn struct {
		PermissionsBoundary string `query:",required"`
	}
	tagsIn struct {
		Tags []op.Tag `query:",required"`
	}
	tagKeysIn struct {
		TagKeys []string `query:",required"`
	}
)

func (s attachIn) shape() attachIn             { return s }
func (s listAttachedIn) shape() listAttachedIn { return s }
func (s putPolicyIn) shape() putPolicyIn       { return s }
func (s inlinePolicyIn) shape() inlinePolicyIn { return s }
func (s boundaryIn) shape() boundaryIn         { return s }
func (s tagsIn) shape() tagsIn                 { return s }
func (s tagKeysIn) shape() tagKeysIn           { return s }

// pageIn is the paging input as the inputs of the repeated List rows
// embed it (after their entity): their shape.
type pageIn struct{ query.PageIn }

func (s pageIn) shape() query.PageIn { return s.PageIn }

// named is the input of a repeated row that takes only its entity.
type named interface{ entity() string }

// entityIn is the input of a repeated row: its entity, then members of
// shape S.
type entityIn[S any] interface {
	named
	shape() S
}

// resourceOf returns a row's Resource: the ARN of the entity its input
// names.
func resourceOf[In named](k kind) func(c *op.Call, in *In) string {
	return func(c *op.Call, in *In) string { return k.arn(c, (*in).entity()) }
}

// attachedRows returns Attach<Kind>Policy, Detach<Kind>Policy and
// ListAttached<Kind>Policies.
func attachedRows[Attach entityIn[attachIn], List entityIn[listAttachedIn]](k kind) []op.Row {
	policyARN := func(c *op.Call, in *Attach, ctx *policy.Context) { ctx.Set("iam:PolicyARN", (*in).shape().PolicyArn) }
	return []op.Row{
		op.New("Attach"+k.name+"Policy", op.Spec[Attach]{
			Action:   "iam:Attach" + k.name + "Policy",
			Resource: resourceOf[Attach](k),
			Context:  policyARN,
			Handle: func(c *op.Call, in *Attach) (any, error) {
				return nil, k.iam.AttachPolicy(c.Ctx, c.Account(), k.entityRef((*in).entity()), (*in).shape().PolicyArn)
			},
		}),
		op.New("Detach"+k.name+"Policy", op.Spec[Attach]{
			Action:   "iam:Detach" + k.name + "Policy",
			Resource: resourceOf[Attach](k),
			Context:  policyARN,
			Handle: func(c *op.Call, in *Attach) (any, error) {
				return nil, k.iam.DetachPolicy(c.Ctx, c.Account(), k.entityRef((*in).entity()), (*in).shape().PolicyArn)
			},
		}),
		op.New("ListAttached"+k.name+"Policies", op.Spec[List]{
			Action:   "iam:ListAttached" + k.name + "Policies",
			Resource: resourceOf[List](k),
			Handle: func(c *op.Call, in *List) (any, error) {
				s := (*in).shape()
				return query.ListPage("AttachedPolicies", s.PageIn, func(p *gatehouse.ManagedPolicy) iamxml.AttachedPolicy {
					return iamxml.ToAttachedPolicy(p, c.Caller.Account.ARNPartition())
				})(k.iam.AttachedPolicies(c.Ctx, c.Account(), k.entityRef((*in).entity()), s.PathPrefix))
			},
		}),
	}
}

// inlineRows returns Put<Kind>Policy, Get<Kind>Policy,
// List<Kind>Policies and Delete<Kind>Policy.
func inlineRows[Put entityIn[putPolicyIn], One entityIn[inlinePolicyIn], List entityIn[query.PageIn]](k kind) []op.Row {
	return []op.Row{
		op.New("Put"+k.name+"Policy", op.Spec[Put]{
			Action:   "iam:Put" + k.name + "Policy",
			Resource: resourceOf[Put](k),
			Handle: func(c *op.Call, in *Put) (any, error) {
				s := (*in).shape()
				return nil, k.iam.PutInlinePolicy(c.Ctx, c.Account(), k.entityRef((*in).entity()), s.PolicyName, s.PolicyDocument)
			},
		}),
		op.New("Get"+k.name+"Policy", op.Spec[One]{
			Action:   "iam:Get" + k.name + "Policy",
			Resource: resourceOf[One](k),
			Handle: func(c *op.Call, in *One) (any, error) {
				p, err := k.iam.InlinePolicy(c.Ctx, c.Account(), k.entityRef((*in).entity()), (*in).shape().PolicyName)
				if err != nil {
					return nil, err
				}
				return toInlinePolicyXML(k.ref, p), nil
			},
		}),
		op.New("List"+k.name+"Policies", op.Spec[List]{
			Action:   "iam:List" + k.name + "Policies",
			Resource: resourceOf[List](k),
			Handle: func(c *op.Call, in *List) (any, error) {
				return query.ListPage("PolicyNames", (*in).shape(), query.AsIs[string])(k.iam.InlinePolicyNames(c.Ctx, c.Account(), k.entityRef((*in).entity())))
			},
		}),
		op.New("Delete"+k.name+"Policy", op.Spec[One]{
			Action:   "iam:Delete" + k.name + "Policy",
			Resource: resourceOf[One](k),
			Handle: func(c *op.Call, in *One) (any, error) {
				return nil, k.iam.DeleteInlinePolicy(c.Ctx, c.Account(), k.entityRef((*in).entity()), (*in).shape().PolicyName)
			},
		}),
	}
}

// boundaryRows returns Put<Kind>PermissionsBoundary and
// Delete<Kind>PermissionsBoundary.
func boundaryRows[Put entityIn[boundaryIn], Delete named](k kind) []op.Row {
	return []op.Row{
		op.New("Put"+k.name+"PermissionsBoundary", op.Spec[Put]{
			Action:   "iam:Put" + k.name + "PermissionsBoundary",
			Resource: resourceOf[Put](k),
			Context: func(c *op.Call, in *Put, ctx *policy.Context) {
				ctx.Set("iam:PermissionsBoundary", (*in).shape().PermissionsBoundary)
			},
			Handle: func(c *op.Call, in *Put) (any, error) {
				return nil, k.putBoundary(c.Ctx, c.Account(), (*in).entity(), (*in).shape().PermissionsBoundary)
			},
		}),
		op.New("Delete"+k.name+"PermissionsBoundary", op.Spec[Delete]{
			Action:   "iam:Delete" + k.name + "PermissionsBoundary",
			Resource: resourceOf[Delete](k),
			Handle: func(c *op.Call, in *Delete) (any, error) {
				return nil, k.deleteBoundary(c.Ctx, c.Account(), (*in).entity())
			},
		}),
	}
}

// tagRows returns Tag<Kind>, Untag<Kind> and List<Kind>Tags.
func tagRows[Tag entityIn[tagsIn], Untag entityIn[tagKeysIn], List entityIn[query.PageIn]](k kind) []op.Row {
	return []op.Row{
		op.New("Tag"+k.name, op.Spec[Tag]{
			Action:   "iam:Tag" + k.name,
			Resource: resourceOf[Tag](k),
			Context:  func(c *op.Call, in *Tag, ctx *policy.Context) { op.TagContext(ctx, (*in).shape().Tags) },
			Handle: func(c *op.Call, in *Tag) (any, error) {
				return nil, k.tag(c.Ctx, c.Account(), (*in).entity(), op.Tags((*in).shape().Tags))
			},
		}),
		op.New("Untag"+k.name, op.Spec[Untag]{
			Action:   "iam:Untag" + k.name,
			Resource: resourceOf[Untag](k),
			Context: func(c *op.Call, in *Untag, ctx *policy.Context) {
				if keys := (*in).shape().TagKeys; len(keys) > 0 {
					ctx.Set("aws:TagKeys", keys...)
				}
			},
			Handle: func(c *op.Call, in *Untag) (any, error) {
				return nil, k.untag(c.Ctx, c.Account(), (*in).entity(), (*in).shape().TagKeys)
			},
		}),
		op.New("List"+k.name+"Tags", op.Spec[List]{
			Action:   "iam:List" + k.name + "Tags",
			Resource: resourceOf[List](k),
			Handle: func(c *op.Call, in *List) (any, error) {
				return query.ListPage("Tags", (*in).shape(), iamxml.ToTag)(k.tags(c.Ctx, c.Account(), (*in).entity()))
			},
		}),
	}
}

// inlinePolicyXML is the result of Get<Kind>Policy: the owner's name
// (UserName, GroupName or RoleName, by its kind), the policy's name and
// its URL-encoded document.
type inlinePolicyXML struct {
	UserName       string `xml:"UserName,omitempty"`
	GroupName      string `xml:"GroupName,omitempty"`
	RoleName       string `xml:"RoleName,omitempty"`
	PolicyName     string `xml:"PolicyName"`
	PolicyDocument string `xml:"PolicyDocument"`
}

// toInlinePolicyXML returns the wire form of an inline policy of an
// entity of kind owner. The entity exists (iam.Service.InlinePolicy
// reads only policies of one that does), so its name is never empty.
func toInlinePolicyXML(owner gatehouse.EntityKind, p *gatehouse.InlinePolicy) inlinePolicyXML {
	x := inlinePolicyXML{PolicyName: p.Name, PolicyDocument: iamxml.EncodePolicyDocument(p.Document)}
	switch owner {
	case gatehouse.KindUser:
		x.UserName = p.Owner.Name
	case gatehouse.KindGroup:
		x.GroupName = p.Owner.Name
	case gatehouse.KindRole:
		x.RoleName = p.Owner.Name
	}
	return x
}
