package accountops

import (
	"errors"
	"testing"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/account"
)

// TestListRegionsValidation: ListRegions checks MaxResults and
// RegionOptStatusContains as the model does, before it reads the
// account's Regions.
func TestListRegionsValidation(t *testing.T) {
	n := func(v int) *int { return &v }
	for _, c := range []struct {
		in    listRegionsIn
		field string
		msg   string
	}{
		{listRegionsIn{MaxResults: n(0)}, "maxResults",
			"1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{listRegionsIn{MaxResults: n(51)}, "maxResults",
			"1 validation error detected: Value '51' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 50"},
		{listRegionsIn{RegionOptStatusContains: []string{"ENABLED", "enabled"}}, "regionOptStatusContains",
			"1 validation error detected: Value at 'regionOptStatusContains' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [ENABLED, ENABLING, DISABLING, DISABLED, ENABLED_BY_DEFAULT]]"},
	} {
		_, err := Deps{}.listRegionsPage(nil, &c.in)
		var ve *gatehouse.ValidationError
		if !errors.As(err, &ve) || ve.Err.Code != gatehouse.CodeInvalid || ve.Err.Message != c.msg ||
			ve.Reason != account.ReasonFieldValidationFailed || len(ve.Fields) != 1 || ve.Fields[0].Name != c.field {
			t.Errorf("%+v: %v\nwant %s", c.in, err, c.msg)
		}
	}
}
