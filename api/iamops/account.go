package iamops

import (
	"maps"
	"slices"

	"github.com/gatehouse-dev/gatehouse/api/op"
	"github.com/gatehouse-dev/gatehouse/api/query"
)

type aliasIn struct {
	AccountAlias string `query:",required"`
}

type summaryEntry struct {
	Key   string `xml:"key"`
	Value int    `xml:"value"`
}

// summaryMap is a Query map: <SummaryMap><entry><key/><value/></entry>...
type summaryMap struct {
	Entries []summaryEntry `xml:"entry"`
}

// accountRows covers the account alias and summary.
func (d *Deps) accountRows() []op.Row {
	return []op.Row{
		op.New("CreateAccountAlias", op.Spec[aliasIn]{
			Action: "iam:CreateAccountAlias",
			Handle: func(c *op.Call, in *aliasIn) (any, error) {
				return nil, d.IAM.CreateAccountAlias(c.Ctx, c.Account(), in.AccountAlias)
			},
		}),
		op.New("DeleteAccountAlias", op.Spec[aliasIn]{
			Action: "iam:DeleteAccountAlias",
			Handle: func(c *op.Call, in *aliasIn) (any, error) {
				return nil, d.IAM.DeleteAccountAlias(c.Ctx, c.Account(), in.AccountAlias)
			},
		}),
		op.New("ListAccountAliases", op.Spec[query.PageIn]{
			Action: "iam:ListAccountAliases",
			Handle: func(c *op.Call, in *query.PageIn) (any, error) {
				alias, err := d.IAM.AccountAlias(c.Ctx, c.Account())
				if err != nil {
					return nil, err
				}
				var aliases []string
				if alias != "" { // an account has at most one
					aliases = append(aliases, alias)
				}
				return query.ListPage("AccountAliases", *in, query.AsIs[string])(aliases, nil)
			},
		}),
		op.New("GetAccountSummary", op.Spec[op.Empty]{
			Action: "iam:GetAccountSummary",
			Handle: func(c *op.Call, in *op.Empty) (any, error) {
				m, err := d.IAM.AccountSummary(c.Ctx, c.Account())
				if err != nil {
					return nil, err
				}
				out := struct {
					SummaryMap summaryMap `xml:"SummaryMap"`
				}{}
				for _, k := range slices.Sorted(maps.Keys(m)) {
					out.SummaryMap.Entries = append(out.SummaryMap.Entries, summaryEntry{k, m[k]})
				}
				return out, nil
			},
		}),
	}
}
