package iampolicyops

import (
	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/iamops/iamxml"
	"github.com/gatehouse-dev/gatehouse/api/op"
	"github.com/gatehouse-dev/gatehouse/api/query"
)

// Inputs of the policy version operations.
type (
	createPolicyVersionIn struct {
		PolicyArn      string `query:",required"`
		PolicyDocument string `query:",required"`
		SetAsDefault   *bool
	}
	policyVersionIn struct {
		PolicyArn string `query:",required"`
		VersionId string `query:",required"`
	}
)

type versionResult struct {
	PolicyVersion iamxml.PolicyVersion `xml:"PolicyVersion"`
}

// policyVersionRows is the managed policy version part of the IAM table.
func (d *Deps) policyVersionRows() []op.Row {
	versionOf := func(c *op.Call, in *policyVersionIn) string { return in.PolicyArn }
	return []op.Row{
		op.New("CreatePolicyVersion", op.Spec[createPolicyVersionIn]{
			Action:   "iam:CreatePolicyVersion",
			Resource: func(c *op.Call, in *createPolicyVersionIn) string { return in.PolicyArn },
			Handle: func(c *op.Call, in *createPolicyVersionIn) (any, error) {
				def := in.SetAsDefault != nil && *in.SetAsDefault
				v, err := d.IAM.CreatePolicyVersion(c.Ctx, c.Account(), in.PolicyArn, in.PolicyDocument, def)
				if err != nil {
					return nil, err
				}
				return versionResult{iamxml.PolicyVersion{VersionID: v.VersionID, IsDefaultVersion: def, CreateDate: query.Time(v.CreatedAt)}}, nil
			},
		}),
		op.New("GetPolicyVersion", op.Spec[policyVersionIn]{
			Action:   "iam:GetPolicyVersion",
			Resource: versionOf,
			Handle: func(c *op.Call, in *policyVersionIn) (any, error) {
				v, isDefault, err := d.IAM.PolicyVersion(c.Ctx, c.Account(), in.PolicyArn, in.VersionId)
				if err != nil {
					return nil, err
				}
				return versionResult{iamxml.PolicyVersion{Document: iamxml.EncodePolicyDocument(v.Document), VersionID: v.VersionID,
					IsDefaultVersion: isDefault, CreateDate: query.Time(v.CreatedAt)}}, nil
			},
		}),
		op.New("ListPolicyVersions", op.Spec[policyPageIn]{
			Action:   "iam:ListPolicyVersions",
			Resource: policyResource[policyPageIn],
			Handle: func(c *op.Call, in *policyPageIn) (any, error) {
				vs, def, err := d.IAM.PolicyVersions(c.Ctx, c.Account(), in.PolicyArn)
				return query.ListPage("Versions", in.PageIn, func(v *gatehouse.PolicyVersion) iamxml.PolicyVersion {
					return iamxml.PolicyVersion{VersionID: v.VersionID, IsDefaultVersion: v.VersionID == def, CreateDate: query.Time(v.CreatedAt)}
				})(vs, err)
			},
		}),
		op.New("DeletePolicyVersion", op.Spec[policyVersionIn]{
			Action:   "iam:DeletePolicyVersion",
			Resource: versionOf,
			Handle: func(c *op.Call, in *policyVersionIn) (any, error) {
				return nil, d.IAM.DeletePolicyVersion(c.Ctx, c.Account(), in.PolicyArn, in.VersionId)
			},
		}),
		op.New("SetDefaultPolicyVersion", op.Spec[policyVersionIn]{
			Action:   "iam:SetDefaultPolicyVersion",
			Resource: versionOf,
			Handle: func(c *op.Call, in *policyVersionIn) (any, error) {
				return nil, d.IAM.SetDefaultPolicyVersion(c.Ctx, c.Account(), in.PolicyArn, in.VersionId)
			},
		}),
	}
}
