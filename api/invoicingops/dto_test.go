package invoicingops

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse"
)

func TestEpochTime(t *testing.T) {
	tests := []struct {
		json string
		time time.Time
	}{
		{"0", time.Unix(0, 0).UTC()},
		{"1740787200", time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)},
		{"1740787200.5", time.Date(2025, 3, 1, 0, 0, 0, 5e8, time.UTC)},
		{"1740787200.123", time.Date(2025, 3, 1, 0, 0, 0, 123e6, time.UTC)},
	}
	for _, tt := range tests {
		var e epochTime
		if err := json.Unmarshal([]byte(tt.json), &e); err != nil || !e.Equal(tt.time) {
			t.Errorf("Unmarshal(%s) = %v, %v; want %v", tt.json, e.Time, err, tt.time)
		}
		if b, err := json.Marshal(epochTime{tt.time}); err != nil || string(b) != tt.json {
			t.Errorf("Marshal(%v) = %s, %v; want %s", tt.time, b, err, tt.json)
		}
	}
	var e epochTime
	if err := json.Unmarshal([]byte(`"2025-03-01"`), &e); err == nil {
		t.Error("Unmarshal of a string succeeded")
	}
	if epoch(time.Time{}) != nil {
		t.Error("epoch(zero) is not nil")
	}
}

func TestValidation(t *testing.T) {
	tests := []struct {
		member, constraint string
		value              any
		want               string
	}{
		{"selector", "Member must not be null", nil,
			"1 validation error detected: Value null at 'selector' failed to satisfy constraint: Member must not be null"},
		{"maxResults", "Member must have value between 1 and 100", 101,
			"1 validation error detected: Value '101' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 100"},
		{"selector.resourceType", "Member must satisfy enum value set: [ACCOUNT_ID, INVOICE_ID]", " X ",
			"1 validation error detected: Value 'X' at 'selector.resourceType' failed to satisfy constraint: Member must satisfy enum value set: [ACCOUNT_ID, INVOICE_ID]"},
	}
	for _, tt := range tests {
		err := validation("fieldValidationFailed", tt.member, tt.constraint, tt.value)
		var ve *gatehouse.ValidationError
		if !errors.As(err, &ve) || ve.Reason != "fieldValidationFailed" || len(ve.Fields) != 1 || ve.Fields[0].Name != tt.member ||
			gatehouse.ErrorMessage(err) != tt.want {
			t.Errorf("validation(%s) = %v, want %q", tt.member, err, tt.want)
		}
	}
}
