package stsops

import "github.com/gatehouse-dev/gatehouse/api/op"

// getAccessKeyInfo names the account that owns an access key.
func (d Deps) getAccessKeyInfo() op.Row {
	return op.New("GetAccessKeyInfo", op.Spec[accessKeyInfoIn]{
		Action: "sts:GetAccessKeyInfo",
		Handle: func(c *op.Call, in *accessKeyInfoIn) (any, error) {
			account, err := d.STS.AccessKeyAccount(c.Ctx, in.AccessKeyId)
			if err != nil {
				return nil, err
			}
			return getAccessKeyInfoOut{account}, nil
		},
	})
}
