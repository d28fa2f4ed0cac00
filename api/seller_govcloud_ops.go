package api

import (
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/roottask"
)

// Rows of the gatehouse service for the Reserved Instance Marketplace
// seller registration and AWS GovCloud (US) (docs/root-tasks.md D1, C1,
// C2).

type (
	registerSellerIn struct {
		LegalName         string
		BankAccountNumber string
		RoutingNumber     string
		TaxId             string
	}
	sellerProfileOut struct {
		Status            string `json:"Status"`
		LegalName         string `json:"LegalName,omitempty"`
		BankAccountNumber string `json:"BankAccountNumber,omitempty"`
		RoutingNumber     string `json:"RoutingNumber,omitempty"`
		TaxId             string `json:"TaxId,omitempty"`
		RegisteredAt      string `json:"RegisteredAt,omitempty"`
	}
	govCloudOut struct {
		GovCloudAccountId string `json:"GovCloudAccountId"`
		Partition         string `json:"Partition"`
		RootUserArn       string `json:"RootUserArn"`
		AccountState      string `json:"AccountState"`
	}
	supportCaseIn struct {
		CaseId string
	}
	supportCaseOut struct {
		CaseId     string `json:"CaseId"`
		Kind       string `json:"Kind"`
		Subject    string `json:"Subject"`
		Status     string `json:"Status"`
		CreatedAt  string `json:"CreatedAt"`
		ResolvedAt string `json:"ResolvedAt,omitempty"`
	}
)

func sellerProfile(p *gatehouse.SellerProfile) sellerProfileOut {
	if p == nil {
		return sellerProfileOut{Status: gatehouse.SellerNotRegistered}
	}
	return sellerProfileOut{Status: p.Status, LegalName: p.LegalName, BankAccountNumber: roottask.Mask(p.BankAccount),
		RoutingNumber: roottask.Mask(p.RoutingNumber), TaxId: roottask.Mask(p.TaxID),
		RegisteredAt: p.RegisteredAt.UTC().Format(time.RFC3339)}
}

func govCloud(g *gatehouse.GovCloudAccount) govCloudOut {
	return govCloudOut{g.ID, gatehouse.PartitionGovCloud, g.RootARN(), g.State}
}

func supportCase(c *gatehouse.SupportCase) supportCaseOut {
	out := supportCaseOut{CaseId: c.ID, Kind: c.Kind, Subject: c.Subject, Status: c.Status,
		CreatedAt: c.CreatedAt.UTC().Format(time.RFC3339)}
	if !c.ResolvedAt.IsZero() {
		out.ResolvedAt = c.ResolvedAt.UTC().Format(time.RFC3339)
	}
	return out
}

// sellerGovCloudOperations are the gatehouse rows of D1, C1 and C2.
func sellerGovCloudOperations() []operation {
	return []operation{
		rootTaskOp("RegisterMarketplaceSeller", consoleOnly, opSpec[registerSellerIn]{
			handle: func(c *call, in *registerSellerIn) (any, error) {
				p, err := c.srv.RootTasks.RegisterSeller(c.ctx, c.account(), roottask.SellerRegistration{LegalName: in.LegalName,
					BankAccount: gatehouse.Secret(in.BankAccountNumber), RoutingNumber: gatehouse.Secret(in.RoutingNumber),
					TaxID: gatehouse.Secret(in.TaxId)})
				if err != nil {
					return nil, err
				}
				return sellerProfile(p), nil
			},
		}),
		rootTaskOp("GetMarketplaceSellerProfile", byPolicy, opSpec[emptyIn]{
			handle: func(c *call, _ *emptyIn) (any, error) {
				p, err := c.srv.RootTasks.SellerProfile(c.ctx, c.account())
				if err != nil {
					return nil, err
				}
				return sellerProfile(p), nil
			},
		}),
		rootTaskOp("SignUpGovCloud", consoleOnly, opSpec[emptyIn]{
			handle: func(c *call, _ *emptyIn) (any, error) {
				g, err := c.srv.RootTasks.SignUpGovCloud(c.ctx, c.account())
				if err != nil {
					return nil, err
				}
				return govCloud(g), nil
			},
		}),
		rootTaskOp("RequestGovCloudRootAccessKeys", consoleOnly, opSpec[emptyIn]{
			handle: func(c *call, _ *emptyIn) (any, error) {
				sc, err := c.srv.RootTasks.RequestGovCloudRootKeys(c.ctx, c.account())
				if err != nil {
					return nil, err
				}
				return supportCase(sc), nil
			},
		}),
		rootTaskOp("GetSupportCase", rootOnly, opSpec[supportCaseIn]{
			handle: func(c *call, in *supportCaseIn) (any, error) {
				sc, err := c.srv.RootTasks.SupportCase(c.ctx, c.account(), in.CaseId)
				if err != nil {
					return nil, err
				}
				return supportCase(sc), nil
			},
		}),
	}
}
