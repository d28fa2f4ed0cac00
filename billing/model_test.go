package billing

import (
	"slices"
	"testing"
	"time"
)

func TestEffectiveModel(t *testing.T) {
	pdt := time.FixedZone("PDT", -7*3600)
	launch := time.Date(2023, 3, 6, 11, 0, 0, 0, pdt) // = 18:00 UTC
	cutover := time.Date(2023, 7, 6, 0, 0, 0, 0, time.UTC)
	old := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	later := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	ns := time.Nanosecond
	tests := []struct {
		name    string
		created time.Time
		pinned  PermissionModel
		now     time.Time
		want    PermissionModel
	}{
		{"created long before launch, before cut-over", old, Auto, launch, Legacy},
		{"created a nanosecond before launch, before cut-over", launch.Add(-ns), Auto, launch, Legacy},
		{"created at launch exactly", launch, Auto, launch, FineGrained},
		{"created at launch in UTC", time.Date(2023, 3, 6, 18, 0, 0, 0, time.UTC), Auto, launch, FineGrained},
		{"created 17:59:59 UTC on launch day", time.Date(2023, 3, 6, 17, 59, 59, 0, time.UTC), Auto, launch, Legacy},
		{"created after launch", launch.Add(time.Hour), Auto, launch.Add(2 * time.Hour), FineGrained},
		{"old account, a nanosecond before cut-over", old, Auto, cutover.Add(-ns), Legacy},
		{"old account, at cut-over", old, Auto, cutover, FineGrained},
		{"old account, after cut-over", old, Auto, later, FineGrained},
		{"pre-launch account at cut-over", launch.Add(-ns), Auto, cutover, FineGrained},
		{"empty pinned means auto", old, "", cutover.Add(-ns), Legacy},
		{"pinned legacy wins for a new account", later, Legacy, later, Legacy},
		{"pinned legacy wins after cut-over", old, Legacy, later, Legacy},
		{"pinned fine-grained wins before cut-over", old, FineGrained, cutover.Add(-ns), FineGrained},
		{"pinned fine-grained for a new account", later, FineGrained, later, FineGrained},
	}
	for _, tt := range tests {
		if got := EffectiveModel(tt.created, tt.pinned, tt.now); got != tt.want {
			t.Errorf("%s: EffectiveModel(%v, %q, %v) = %q, want %q", tt.name, tt.created, tt.pinned, tt.now, got, tt.want)
		}
	}
	if !FineGrainedLaunch.Equal(launch) {
		t.Errorf("FineGrainedLaunch = %v, want %v", FineGrainedLaunch, launch)
	}
}

func TestParsePermissionModel(t *testing.T) {
	for _, s := range []string{"legacy", "fine-grained", "auto"} {
		if m, ok := ParsePermissionModel(s); !ok || string(m) != s {
			t.Errorf("ParsePermissionModel(%q) = %q, %v", s, m, ok)
		}
	}
	if _, ok := ParsePermissionModel("Legacy"); ok {
		t.Error("ParsePermissionModel accepted Legacy")
	}
}

func TestRequiredActions(t *testing.T) {
	tests := []struct {
		model  PermissionModel
		action string
		want   []string
	}{
		{Legacy, "invoicing:ListInvoiceSummaries", []string{"aws-portal:ViewBilling"}},
		{Legacy, "account:GetAccountInformation", []string{"aws-portal:ModifyPaymentMethods", "aws-portal:ViewAccount", "aws-portal:ViewBilling", "aws-portal:ViewPaymentMethods"}},
		{Legacy, "billing:UpdateIAMAccessPreference", []string{"aws-portal:ModifyAccount"}},
		{Legacy, "billing:GetIAMAccessPreference", []string{"aws-portal:ViewAccount", "aws-portal:ViewBilling"}},
		{Legacy, "invoicing:GetInvoicePDF", []string{"aws-portal:ViewBilling", "aws-portal:ViewPaymentMethods", "purchase-orders:ViewPurchaseOrders"}},
		{Legacy, "account:CloseAccount", []string{"aws-portal:ModifyAccount"}},
		{Legacy, "payments:UpdatePaymentPreferences", []string{"aws-portal:ModifyAccount", "aws-portal:ModifyBilling", "aws-portal:ModifyPaymentMethods"}},
		{Legacy, "cur:GetUsageReport", []string{"aws-portal:ViewUsage"}},
		{Legacy, "purchase-orders:UpdatePurchaseOrderStatus", []string{"purchase-orders:ModifyPurchaseOrders"}},
		{Legacy, "INVOICING:listinvoicesummaries", []string{"aws-portal:ViewBilling"}},
		{Legacy, "account:ListRegions", []string{"account:ListRegions"}}, // no legacy equivalent
		{FineGrained, "invoicing:ListInvoiceSummaries", []string{"invoicing:ListInvoiceSummaries"}},
		{FineGrained, "account:GetAccountInformation", []string{"account:GetAccountInformation"}},
		{Auto, "billing:UpdateIAMAccessPreference", []string{"billing:UpdateIAMAccessPreference"}},
	}
	for _, tt := range tests {
		if got := RequiredActions(tt.model, tt.action); !slices.Equal(got, tt.want) {
			t.Errorf("RequiredActions(%s, %s) = %v, want %v", tt.model, tt.action, got, tt.want)
		}
	}
	// The result is a copy.
	RequiredActions(Legacy, "cur:GetUsageReport")[0] = "x"
	if got := RequiredActions(Legacy, "cur:GetUsageReport"); got[0] != "aws-portal:ViewUsage" {
		t.Error("RequiredActions returned shared state")
	}
}

func TestMatchFold(t *testing.T) {
	for _, tt := range []struct {
		p, s string
		want bool
	}{
		{"cur:*", "CUR:GetUsageReport", true},
		{"cur:Get*Report", "cur:GetUsageReport", true},
		{"cur:Get?sage*", "cur:GetUsageReport", true},
		{"cur:Get", "cur:GetUsageReport", false},
		{"*", "x", true},
		{"a*b*c", "aXbYd", false},
	} {
		if got := matchFold(tt.p, tt.s); got != tt.want {
			t.Errorf("matchFold(%q, %q) = %v", tt.p, tt.s, got)
		}
	}
}
