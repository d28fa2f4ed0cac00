package roottaskops

import (
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/op"
	"github.com/gatehouse-dev/gatehouse/roottask"
)

// The Reserved Instance Marketplace seller registration
// (docs/root-tasks.md D1): RegisterMarketplaceSeller (a console task),
// GetMarketplaceSellerProfile (any principal its policies allow; the
// bank and tax numbers are masked).

func (d Deps) registerMarketplaceSeller() op.Row {
	return task("RegisterMarketplaceSeller", consoleOnly, func(c *op.Call, in *registerSellerIn) (any, error) {
		p, err := d.RootTasks.RegisterSeller(c.Ctx, c.Account(), roottask.SellerRegistration{LegalName: in.LegalName,
			BankAccount: gatehouse.Secret(in.BankAccountNumber), RoutingNumber: gatehouse.Secret(in.RoutingNumber),
			TaxID: gatehouse.Secret(in.TaxId)})
		if err != nil {
			return nil, err
		}
		return sellerProfile(p), nil
	})
}

func (d Deps) getMarketplaceSellerProfile() op.Row {
	return task("GetMarketplaceSellerProfile", byPolicy, func(c *op.Call, _ *op.Empty) (any, error) {
		p, err := d.RootTasks.SellerProfile(c.Ctx, c.Account())
		if err != nil {
			return nil, err
		}
		return sellerProfile(p), nil
	})
}

func sellerProfile(p *gatehouse.SellerProfile) sellerProfileOut {
	if p == nil {
		return sellerProfileOut{Status: gatehouse.SellerNotRegistered}
	}
	return sellerProfileOut{Status: p.Status, LegalName: p.LegalName, BankAccountNumber: roottask.Mask(p.BankAccount),
		RoutingNumber: roottask.Mask(p.RoutingNumber), TaxId: roottask.Mask(p.TaxID),
		RegisteredAt: p.RegisteredAt.UTC().Format(time.RFC3339)}
}
