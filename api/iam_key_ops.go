package api

import (
	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/query"
	"github.com/gatehouse-dev/gatehouse/authz"
)

// Inputs of the access-key and account operations.
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
	aliasIn struct {
		AccountAlias string `query:",required"`
	}
	emptyIn struct{}
)

// keyOperations is the access-key part of the IAM table. Without a
// UserName they act on the caller's own keys, which for the root user
// are the root access keys: no IAM principal can ever reach those.
func keyOperations() []operation {
	return []operation{
		legacyOp("CreateAccessKey", opSpec[optionalUserIn]{
			action:   "iam:CreateAccessKey",
			precheck: func(c *call, in *optionalUserIn) error { return needTargetUser(c, in.UserName) },
			resource: func(c *call, in *optionalUserIn) string { return c.userARN(in.UserName) },
			handle: func(c *call, in *optionalUserIn) (any, error) {
				user, err := c.targetUser(in.UserName)
				if err != nil {
					return nil, err
				}
				k, err := c.srv.IAM.CreateAccessKey(c.ctx, c.account(), user)
				if err != nil {
					return nil, err
				}
				return struct {
					AccessKey accessKeyXML `xml:"AccessKey"`
				}{accessKeyXML{UserName: k.UserName, AccessKeyID: k.ID, Status: string(k.Status),
					SecretAccessKey: k.Secret.Reveal(), CreateDate: query.Time(k.CreatedAt)}}, nil
			},
		}),
		legacyOp("ListAccessKeys", opSpec[listAccessKeysIn]{
			action:   "iam:ListAccessKeys",
			precheck: func(c *call, in *listAccessKeysIn) error { return needTargetUser(c, in.UserName) },
			resource: func(c *call, in *listAccessKeysIn) string { return c.userARN(in.UserName) },
			handle: func(c *call, in *listAccessKeysIn) (any, error) {
				user, err := c.targetUser(in.UserName)
				if err != nil {
					return nil, err
				}
				keys, _, err := c.srv.IAM.AccessKeys(c.ctx, c.account(), user)
				if err != nil {
					return nil, err
				}
				pg, trunc, next, err := page(keys, in.pageIn)
				if err != nil {
					return nil, err
				}
				out := struct {
					AccessKeyMetadata query.List[accessKeyMetadataXML] `xml:"AccessKeyMetadata"`
					IsTruncated       bool                             `xml:"IsTruncated"`
					Marker            string                           `xml:"Marker,omitempty"`
				}{AccessKeyMetadata: query.List[accessKeyMetadataXML]{}, IsTruncated: trunc, Marker: next}
				for _, k := range pg {
					out.AccessKeyMetadata = append(out.AccessKeyMetadata, accessKeyMetadataXML{k.UserName, k.ID, string(k.Status), query.Time(k.CreatedAt)})
				}
				return out, nil
			},
		}),
		legacyOp("UpdateAccessKey", opSpec[updateAccessKeyIn]{
			action:   "iam:UpdateAccessKey",
			precheck: func(c *call, in *updateAccessKeyIn) error { return needTargetUser(c, in.UserName) },
			resource: func(c *call, in *updateAccessKeyIn) string { return c.userARN(in.UserName) },
			handle: func(c *call, in *updateAccessKeyIn) (any, error) {
				user, err := c.targetUser(in.UserName)
				if err != nil {
					return nil, err
				}
				return nil, c.srv.IAM.UpdateAccessKey(c.ctx, c.account(), user, in.AccessKeyId, gatehouse.AccessKeyStatus(in.Status))
			},
		}),
		legacyOp("DeleteAccessKey", opSpec[deleteAccessKeyIn]{
			action:   "iam:DeleteAccessKey",
			precheck: func(c *call, in *deleteAccessKeyIn) error { return needTargetUser(c, in.UserName) },
			resource: func(c *call, in *deleteAccessKeyIn) string { return c.userARN(in.UserName) },
			handle: func(c *call, in *deleteAccessKeyIn) (any, error) {
				user, err := c.targetUser(in.UserName)
				if err != nil {
					return nil, err
				}
				return nil, c.srv.IAM.DeleteAccessKey(c.ctx, c.account(), user, in.AccessKeyId)
			},
		}),
		legacyOp("GetAccessKeyLastUsed", opSpec[accessKeyIDIn]{
			action: "iam:GetAccessKeyLastUsed",
			// Authorized against the key's owner: the user, or the root
			// user for root's keys, which no IAM principal may read
			// whatever its policies say.
			precheck: func(c *call, in *accessKeyIDIn) error {
				k, err := c.srv.IAM.AccessKeyLastUsed(c.ctx, c.account(), in.AccessKeyId)
				if err != nil || k.UserName != "" || c.caller.IsRoot() {
					return nil // an unknown key is reported after authorization
				}
				return authz.DenyRootOnly(c.ctx, c.caller, "iam:GetAccessKeyLastUsed", c.caller.Account.RootARN())
			},
			resource: func(c *call, in *accessKeyIDIn) string {
				k, err := c.srv.IAM.AccessKeyLastUsed(c.ctx, c.account(), in.AccessKeyId)
				if err != nil || k.UserName == "" {
					return c.caller.Account.RootARN()
				}
				return c.userARN(k.UserName)
			},
			handle: func(c *call, in *accessKeyIDIn) (any, error) {
				k, err := c.srv.IAM.AccessKeyLastUsed(c.ctx, c.account(), in.AccessKeyId)
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

// accountOperations covers the account alias and summary.
func accountOperations() []operation {
	return []operation{
		legacyOp("CreateAccountAlias", opSpec[aliasIn]{
			action: "iam:CreateAccountAlias",
			handle: func(c *call, in *aliasIn) (any, error) {
				return nil, c.srv.IAM.CreateAccountAlias(c.ctx, c.account(), in.AccountAlias)
			},
		}),
		legacyOp("DeleteAccountAlias", opSpec[aliasIn]{
			action: "iam:DeleteAccountAlias",
			handle: func(c *call, in *aliasIn) (any, error) {
				return nil, c.srv.IAM.DeleteAccountAlias(c.ctx, c.account(), in.AccountAlias)
			},
		}),
		legacyOp("ListAccountAliases", opSpec[pageIn]{
			action: "iam:ListAccountAliases",
			handle: func(c *call, in *pageIn) (any, error) {
				alias, err := c.srv.IAM.AccountAlias(c.ctx, c.account())
				if err != nil {
					return nil, err
				}
				var aliases []string
				if alias != "" { // an account has at most one
					aliases = append(aliases, alias)
				}
				items, truncated, next, err := page(aliases, *in)
				if err != nil {
					return nil, err
				}
				return struct {
					AccountAliases query.List[string] `xml:"AccountAliases"`
					IsTruncated    bool               `xml:"IsTruncated"`
					Marker         string             `xml:"Marker,omitempty"`
				}{append(query.List[string]{}, items...), truncated, next}, nil
			},
		}),
		legacyOp("GetAccountSummary", opSpec[emptyIn]{
			action: "iam:GetAccountSummary",
			handle: func(c *call, in *emptyIn) (any, error) {
				m, err := c.srv.IAM.AccountSummary(c.ctx, c.account())
				if err != nil {
					return nil, err
				}
				out := struct {
					SummaryMap summaryMap `xml:"SummaryMap"`
				}{}
				for _, k := range sortedKeys(m) {
					out.SummaryMap.Entries = append(out.SummaryMap.Entries, summaryEntry{k, m[k]})
				}
				return out, nil
			},
		}),
	}
}
