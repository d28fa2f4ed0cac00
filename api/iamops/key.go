package iamops

import (
	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/iamops/iamxml"
	"github.com/gatehouse-dev/gatehouse/api/op"
	"github.com/gatehouse-dev/gatehouse/api/query"
	"github.com/gatehouse-dev/gatehouse/authz"
)

// Inputs of the access-key operations.
type (
	listAccessKeysIn struct {
		optionalUserIn
		query.PageIn
	}
	updateAccessKeyIn struct {
		optionalUserIn
		AccessKeyId string `query:",required"`
		Status      string `query:",required"`
	}
	deleteAccessKeyIn struct {
		optionalUserIn
		AccessKeyId string `query:",required"`
	}
	accessKeyIDIn struct {
		AccessKeyId string `query:",required"`
	}
)

// keyRows is the access-key part of the IAM table. Without a UserName
// they act on the caller's own keys, which for the root user are the
// root access keys: no IAM principal can ever reach those.
func (d *Deps) keyRows() []op.Row {
	return []op.Row{
		op.New("CreateAccessKey", onUser(d, "iam:CreateAccessKey", targetUser, func(c *op.Call, in *optionalUserIn, user string) (any, error) {
			k, err := d.IAM.CreateAccessKey(c.Ctx, c.Account(), user)
			if err != nil {
				return nil, err
			}
			return struct {
				AccessKey iamxml.AccessKey `xml:"AccessKey"`
			}{iamxml.AccessKey{UserName: k.UserName, AccessKeyID: k.ID, Status: string(k.Status),
				SecretAccessKey: k.Secret.Reveal(), CreateDate: query.Time(k.CreatedAt)}}, nil
		})),
		op.New("ListAccessKeys", onUser(d, "iam:ListAccessKeys", targetUser, func(c *op.Call, in *listAccessKeysIn, user string) (any, error) {
			keys, _, err := d.IAM.AccessKeys(c.Ctx, c.Account(), user)
			return query.ListPage("AccessKeyMetadata", in.PageIn, func(k *gatehouse.AccessKey) iamxml.AccessKeyMetadata {
				return iamxml.AccessKeyMetadata{UserName: k.UserName, AccessKeyID: k.ID, Status: string(k.Status), CreateDate: query.Time(k.CreatedAt)}
			})(keys, err)
		})),
		op.New("UpdateAccessKey", onUser(d, "iam:UpdateAccessKey", targetUser, func(c *op.Call, in *updateAccessKeyIn, user string) (any, error) {
			return nil, d.IAM.UpdateAccessKey(c.Ctx, c.Account(), user, in.AccessKeyId, gatehouse.AccessKeyStatus(in.Status))
		})),
		op.New("DeleteAccessKey", onUser(d, "iam:DeleteAccessKey", targetUser, func(c *op.Call, in *deleteAccessKeyIn, user string) (any, error) {
			return nil, d.IAM.DeleteAccessKey(c.Ctx, c.Account(), user, in.AccessKeyId)
		})),
		op.New("GetAccessKeyLastUsed", op.Spec[accessKeyIDIn]{
			Action: "iam:GetAccessKeyLastUsed",
			// Authorized against the key's owner: the user, or the root
			// user for root's keys, which no IAM principal may read
			// whatever its policies say.
			Precheck: func(c *op.Call, in *accessKeyIDIn) error {
				k, err := d.IAM.AccessKeyLastUsed(c.Ctx, c.Account(), in.AccessKeyId)
				if err != nil || k.UserName != "" || c.Caller.IsRoot() {
					return nil // an unknown key is reported after authorization
				}
				return authz.DenyRootOnly(c.Ctx, c.Caller, "iam:GetAccessKeyLastUsed", c.Caller.Account.RootARN())
			},
			Resource: func(c *op.Call, in *accessKeyIDIn) string {
				k, err := d.IAM.AccessKeyLastUsed(c.Ctx, c.Account(), in.AccessKeyId)
				if err != nil || k.UserName == "" {
					return c.Caller.Account.RootARN()
				}
				return d.userARN(c, k.UserName)
			},
			Handle: func(c *op.Call, in *accessKeyIDIn) (any, error) {
				k, err := d.IAM.AccessKeyLastUsed(c.Ctx, c.Account(), in.AccessKeyId)
				if err != nil {
					return nil, err
				}
				type lastUsed struct {
					LastUsedDate *query.Time `xml:"LastUsedDate,omitempty"`
					ServiceName  string      `xml:"ServiceName"`
					Region       string      `xml:"Region"`
				}
				lu := lastUsed{ServiceName: "N/A", Region: "N/A"}
				if k.LastUsed != nil {
					t := query.Time(k.LastUsed.Time)
					lu = lastUsed{&t, k.LastUsed.Service, k.LastUsed.Region}
				}
				return struct {
					UserName          string   `xml:"UserName,omitempty"`
					AccessKeyLastUsed lastUsed `xml:"AccessKeyLastUsed"`
				}{k.UserName, lu}, nil
			},
		}),
	}
}
