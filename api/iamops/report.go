package iamops

import (
	"encoding/base64"

	"github.com/gatehouse-dev/gatehouse/api/op"
	"github.com/gatehouse-dev/gatehouse/api/query"
)

// reportRows is the credential report: an account-wide report of its
// users' credentials. (The other, GetAccountAuthorizationDetails, is
// package iampolicyops's.)
func (d *Deps) reportRows() []op.Row {
	return []op.Row{
		op.New("GenerateCredentialReport", op.Spec[op.Empty]{
			Action: "iam:GenerateCredentialReport",
			Handle: func(c *op.Call, in *op.Empty) (any, error) {
				state, desc, err := d.IAM.GenerateCredentialReport(c.Ctx, c.Account())
				if err != nil {
					return nil, err
				}
				return struct {
					State       string `xml:"State"`
					Description string `xml:"Description,omitempty"`
				}{state, desc}, nil
			},
		}),
		op.New("GetCredentialReport", op.Spec[op.Empty]{
			Action: "iam:GetCredentialReport",
			Handle: func(c *op.Call, in *op.Empty) (any, error) {
				r, err := d.IAM.CredentialReport(c.Ctx, c.Account())
				if err != nil {
					return nil, err
				}
				return struct {
					Content       string     `xml:"Content"`
					ReportFormat  string     `xml:"ReportFormat"`
					GeneratedTime query.Time `xml:"GeneratedTime"`
				}{base64.StdEncoding.EncodeToString(r.Content), "text/csv", query.Time(r.GeneratedAt)}, nil
			},
		}),
	}
}
