package account

import (
	"context"
	"slices"

	"github.com/gatehouse-dev/gatehouse"
)

// Region is a Region with the account's opt-in status for it.
type Region struct {
	Name   string
	Status gatehouse.RegionOptStatus
}

// defaultRegions are the standard commercial Regions enabled by default
// (ENABLED_BY_DEFAULT, they cannot be enabled or disabled).
var defaultRegions = []string{
	"ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-southeast-1", "ap-southeast-2",
	"ca-central-1", "eu-central-1", "eu-north-1", "eu-west-1", "eu-west-2", "eu-west-3", "sa-east-1",
	"us-east-1", "us-east-2", "us-west-1", "us-west-2",
}

// optInRegions are the standard commercial Regions an account must
// enable; they are DISABLED until it does.
var optInRegions = []string{
	"af-south-1", "ap-east-1", "ap-south-2", "ap-southeast-3", "ap-southeast-4", "ca-west-1", "eu-central-2",
	"eu-south-1", "eu-south-2", "il-central-1", "me-central-1", "me-south-1",
}

// regionKind tells a default Region from an opt-in one.
func regionKind(name string) (optIn, known bool) {
	for _, r := range optInRegions {
		if r == name {
			return true, true
		}
	}
	for _, r := range defaultRegions {
		if r == name {
			return false, true
		}
	}
	return false, false
}

// status returns a Region's status for an account with settings st.
func status(st *gatehouse.AccountSettings, name string) gatehouse.RegionOptStatus {
	optIn, _ := regionKind(name)
	if !optIn {
		return gatehouse.RegionEnabledByDefault
	}
	if s, ok := st.Regions[name]; ok {
		return s
	}
	return gatehouse.RegionDisabled
}

// Regions lists every Region, sorted by name, with the account's status.
func (s *Service) Regions(ctx context.Context, accountID string) ([]Region, error) {
	st, err := s.settings(ctx, accountID)
	if err != nil {
		return nil, err
	}
	names := append(append([]string(nil), defaultRegions...), optInRegions...)
	slices.Sort(names)
	out := make([]Region, len(names))
	for i, n := range names {
		out[i] = Region{Name: n, Status: status(st, n)}
	}
	return out, nil
}

// checkRegionName validates a RegionName member (1 to 50 characters).
func checkRegionName(name string) error {
	return validate(field{name: "regionName", value: name, required: true, min: 1, max: 50})
}

// RegionOptStatus returns the account's status for one Region.
func (s *Service) RegionOptStatus(ctx context.Context, accountID, name string) (gatehouse.RegionOptStatus, error) {
	if err := checkRegionName(name); err != nil {
		return "", err
	}
	if _, known := regionKind(name); !known {
		return "", invalidRegion(name)
	}
	st, err := s.settings(ctx, accountID)
	if err != nil {
		return "", err
	}
	return status(st, name), nil
}

func invalidRegion(name string) error {
	return invalid(ReasonInvalidRegionOptTarget, "regionName", "The region name "+name+" is not valid.")
}

// EnableRegion opts the account in to an opt-in Region. The change
// completes at once: the status is ENABLED, never ENABLING.
func (s *Service) EnableRegion(ctx context.Context, accountID, name string) error {
	return s.setRegion(ctx, accountID, name, gatehouse.RegionEnabled)
}

// DisableRegion opts the account out of an opt-in Region; it reports
// DISABLED at once.
func (s *Service) DisableRegion(ctx context.Context, accountID, name string) error {
	return s.setRegion(ctx, accountID, name, gatehouse.RegionDisabled)
}

func (s *Service) setRegion(ctx context.Context, accountID, name string, to gatehouse.RegionOptStatus) error {
	if err := checkRegionName(name); err != nil {
		return err
	}
	optIn, known := regionKind(name)
	if !known {
		return invalidRegion(name)
	}
	if !optIn {
		return invalid(ReasonInvalidRegionOptTarget, "regionName",
			"The region "+name+" is enabled by default and cannot be enabled or disabled.")
	}
	return s.update(ctx, accountID, func(st *gatehouse.AccountSettings) error {
		if to == gatehouse.RegionDisabled {
			delete(st.Regions, name)
			return nil
		}
		if st.Regions == nil {
			st.Regions = map[string]gatehouse.RegionOptStatus{}
		}
		st.Regions[name] = to
		return nil
	})
}
