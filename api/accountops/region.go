package accountops

import (
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/account"
	"github.com/gatehouse-dev/gatehouse/api/op"
	"github.com/gatehouse-dev/gatehouse/policy"
)

// The account's Regions: ListRegions, GetRegionOptStatus, EnableRegion,
// DisableRegion. A request naming a Region carries the
// account:TargetRegion condition key.

func regionContext(_ *op.Call, in *regionIn, ctx *policy.Context) {
	ctx.Set("account:TargetRegion", in.RegionName)
}

func regionID(in *regionIn) string { return in.AccountId }

func (d Deps) getRegionOptStatus() op.Row {
	return row("GetRegionOptStatus", regionID, op.Spec[regionIn]{
		Context: regionContext,
		Handle: func(c *op.Call, in *regionIn) (any, error) {
			st, err := d.Account.RegionOptStatus(c.Ctx, c.Account(), in.RegionName)
			if err != nil {
				return nil, err
			}
			return regionDTO{in.RegionName, string(st)}, nil
		},
	})
}

func (d Deps) enableRegion() op.Row {
	return row("EnableRegion", regionID, op.Spec[regionIn]{
		Context: regionContext,
		Handle: func(c *op.Call, in *regionIn) (any, error) {
			return nil, d.Account.EnableRegion(c.Ctx, c.Account(), in.RegionName)
		},
	})
}

func (d Deps) disableRegion() op.Row {
	return row("DisableRegion", regionID, op.Spec[regionIn]{
		Context: regionContext,
		Handle: func(c *op.Call, in *regionIn) (any, error) {
			return nil, d.Account.DisableRegion(c.Ctx, c.Account(), in.RegionName)
		},
	})
}

func (d Deps) listRegions() op.Row {
	return row("ListRegions", func(in *listRegionsIn) string { return in.AccountId }, op.Spec[listRegionsIn]{
		Handle: d.listRegionsPage,
	})
}

// listRegionsPage pages the Regions, filtered by
// RegionOptStatusContains. NextToken is opaque: the base64 of the next
// Region's offset.
func (d Deps) listRegionsPage(c *op.Call, in *listRegionsIn) (any, error) {
	max := 50
	if in.MaxResults != nil {
		if *in.MaxResults < 1 || *in.MaxResults > 50 {
			bound, word := "1", "greater than or equal to"
			if *in.MaxResults > 50 {
				bound, word = "50", "less than or equal to"
			}
			msg := "Member must have value " + word + " " + bound
			return nil, &gatehouse.ValidationError{
				Err:    gatehouse.Errorf(gatehouse.CodeInvalid, "1 validation error detected: Value '%d' at 'maxResults' failed to satisfy constraint: %s", *in.MaxResults, msg),
				Reason: account.ReasonFieldValidationFailed,
				Fields: []gatehouse.FieldError{{Name: "maxResults", Message: msg}},
			}
		}
		max = *in.MaxResults
	}
	for _, s := range in.RegionOptStatusContains {
		switch gatehouse.RegionOptStatus(s) {
		case gatehouse.RegionEnabled, gatehouse.RegionEnabling, gatehouse.RegionDisabling, gatehouse.RegionDisabled, gatehouse.RegionEnabledByDefault:
		default:
			msg := "Member must satisfy constraint: [Member must satisfy enum value set: [ENABLED, ENABLING, DISABLING, DISABLED, ENABLED_BY_DEFAULT]]"
			return nil, &gatehouse.ValidationError{
				Err:    gatehouse.Errorf(gatehouse.CodeInvalid, "1 validation error detected: Value at 'regionOptStatusContains' failed to satisfy constraint: %s", msg),
				Reason: account.ReasonFieldValidationFailed,
				Fields: []gatehouse.FieldError{{Name: "regionOptStatusContains", Message: msg}},
			}
		}
	}
	regions, err := d.Account.Regions(c.Ctx, c.Account())
	if err != nil {
		return nil, err
	}
	out := make([]regionDTO, 0, len(regions))
	for _, r := range regions {
		if len(in.RegionOptStatusContains) > 0 && !containsFold(in.RegionOptStatusContains, string(r.Status)) {
			continue
		}
		out = append(out, regionDTO{r.Name, string(r.Status)})
	}
	start := 0
	if in.NextToken != "" {
		raw, err := base64.RawURLEncoding.DecodeString(in.NextToken)
		n, err2 := strconv.Atoi(string(raw))
		if err != nil || err2 != nil || n < 0 || n > len(out) {
			return nil, &gatehouse.ValidationError{
				Err:    gatehouse.Errorf(gatehouse.CodeInvalid, "The NextToken is not valid."),
				Reason: account.ReasonFieldValidationFailed,
				Fields: []gatehouse.FieldError{{Name: "nextToken", Message: "The NextToken is not valid."}},
			}
		}
		start = n
	}
	end := min(start+max, len(out))
	res := listRegionsOut{Regions: out[start:end]}
	if end < len(out) {
		res.NextToken = base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(end)))
	}
	return res, nil
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}
