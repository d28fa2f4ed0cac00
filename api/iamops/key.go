package iamops

import (
	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/op"
	"github.com/gatehouse-dev/gatehouse/api/query"
	"github.com/gatehouse-dev/gatehouse/authz"
)

// Inputs of the access-key operations.
type (
	listAccessKeysIn struct {
		UserName string
		pageIn
	}
	updateAccessKeyIn struct {
		UserName    string
		AccessKeyId string `query:",required"`
		Status      string `query:",required"`
	}
	deleteAccessKeyIn struct {
		UserName    string
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
		op.New("CreateAccessKey", op.Spec[optionalUserIn]{
			Action:   "iam:CreateAccessKey",
			Precheck: func(c *op.Call, in *optionalUserIn) error { return needTargetUser(c, in.UserName) },
			Resource: func(c *op.Call, in *optionalUserIn) string { return d.userARN(c, in.UserName) },
			Handle: func(c *op.Call, in *optionalUserIn) (any, error) {
				user, err := targetUser(c, in.UserName)
				if err != nil {
					return nil, err
				}
				k, err := d.IAM.CreateAccessKey(c.Ctx, c.Account(), user)
				if err != nil {
					return nil, err
				}
				return struct {
					AccessKey accessKeyXML `xml:"AccessKey"`
				}{accessKeyXML{UserName: k.UserName, AccessKeyID: k.ID, Status: string(k.Status),
					SecretAccessKey: k.Secret.Reveal(), CreateDate: query.Time(k.CreatedAt)}}, nil
			},
		}),
		op.New("ListAccessKeys", op.Spec[listAccessKeysIn]{
			Action:   "iam:ListAccessKeys",
			Precheck: func(c *op.Call, in *listAccessKeysIn) error { return needTargetUser(c, in.UserName) },
			Resource: func(c *op.Call, in *listAccessKeysIn) string { return d.userARN(c, in.UserName) },
			Handle: func(c *op.Call, in *listAccessKeysIn) (any, error) {
				user, err := targetUser(c, in.UserName)
				if err != nil {
					return nil, err
				}
				keys, _, err := d.IAM.AccessKeys(c.Ctx, c.Account(), user)
				return listPage("AccessKeyMetadata", in.pageIn, func(k *gatehouse.AccessKey) accessKeyMetadataXML {
					return accessKeyMetadataXML{k.UserName, k.ID, string(k.Status), query.Time(k.CreatedAt)}
				})(keys, err)
			},
		}),
		op.New("UpdateAccessKey", op.Spec[updateAccessKeyIn]{
			Action:   "iam:UpdateAccessKey",
			Precheck: func(c *op.Call, in *updateAccessKeyIn) error { return needTargetUser(c, in.UserName) },
			Resource: func(c *op.Call, in *updateAccessKeyIn) string { return d.userARN(c, in.UserName) },
			Handle: func(c *op.Call, in *updateAccessKeyIn) (any, error) {
				user, err := targetUser(c, in.UserName)
				if err != nil {
					return nil, err
				}
				return nil, d.IAM.UpdateAccessKey(c.Ctx, c.Account(), user, in.AccessKeyId, gatehouse.AccessKeyStatus(in.Status))
			},
		}),
		op.New("DeleteAccessKey", op.Spec[deleteAccessKeyIn]{
			Action:   "iam:DeleteAccessKey",
			Precheck: func(c *op.Call, in *deleteAccessKeyIn) error { return needTargetUser(c, in.UserName) },
			Resource: func(c *op.Call, in *deleteAccessKeyIn) string { return d.userARN(c, in.UserName) },
			Handle: func(c *op.Call, in *deleteAccessKeyIn) (any, error) {
				user, err := targetUser(c, in.UserName)
				if err != nil {
					return nil, err
				}
				return nil, d.IAM.DeleteAccessKey(c.Ctx, c.Account(), user, in.AccessKeyId)
			},
		}),
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
