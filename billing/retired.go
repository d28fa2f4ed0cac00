package billing

import (
	"sort"
	"strings"

	"github.com/gatehouse-dev/gatehouse/wildcard"
)

// RetiredBillingActions maps each billing action that AWS retired in 2023
// to the fine-grained actions that replace it (aws-reference §3.2, from
// the Billing User Guide's "Mapping fine-grained IAM actions reference").
// Accounts created on or after 2023-03-06 never honour the retired
// actions.
var RetiredBillingActions = map[string][]string{
	"aws-portal:ViewAccount": {
		"account:GetAccountInformation", "account:GetAlternateContact", "account:GetContactInformation",
		"billing:GetContractInformation", "billing:GetIAMAccessPreference", "billing:GetSellerOfRecord",
		"payments:ListPaymentPreferences",
	},
	"aws-portal:ViewBilling": {
		"account:GetAccountInformation",
		"billing:GetBillingData", "billing:GetBillingDetails", "billing:GetBillingNotifications",
		"billing:GetBillingPreferences", "billing:GetContractInformation", "billing:GetCredits",
		"billing:GetIAMAccessPreference", "billing:GetSellerOfRecord", "billing:ListBillingViews",
		"ce:DescribeNotificationSubscription", "ce:DescribeReport", "ce:GetAnomalies", "ce:GetAnomalyMonitors",
		"ce:GetAnomalySubscriptions", "ce:GetCostAndUsage", "ce:GetCostAndUsageWithResources",
		"ce:GetCostCategories", "ce:GetCostForecast", "ce:GetDimensionValues", "ce:GetPreferences",
		"ce:GetReservationCoverage", "ce:GetReservationPurchaseRecommendation", "ce:GetReservationUtilization",
		"ce:GetRightsizingRecommendation", "ce:GetSavingsPlansCoverage",
		"ce:GetSavingsPlansPurchaseRecommendation", "ce:GetSavingsPlansUtilization",
		"ce:GetSavingsPlansUtilizationDetails", "ce:GetTags", "ce:GetUsageForecast",
		"ce:ListCostAllocationTags", "ce:ListSavingsPlansPurchaseRecommendationGeneration",
		"consolidatedbilling:GetAccountBillingRole", "consolidatedbilling:ListLinkedAccounts",
		"cur:GetClassicReport", "cur:GetClassicReportPreferences", "cur:ValidateReportDestination",
		"freetier:GetFreeTierAlertPreference", "freetier:GetFreeTierUsage",
		"invoicing:GetInvoiceEmailDeliveryPreferences", "invoicing:GetInvoicePDF", "invoicing:ListInvoiceSummaries",
		"payments:GetPaymentInstrument", "payments:GetPaymentStatus", "payments:ListPaymentPreferences",
		"tax:GetTaxInheritance", "tax:GetTaxRegistrationDocument", "tax:ListTaxRegistrations",
	},
	"aws-portal:ViewPaymentMethods": {
		"account:GetAccountInformation", "invoicing:GetInvoicePDF", "payments:GetPaymentInstrument",
		"payments:GetPaymentStatus", "payments:ListPaymentPreferences",
	},
	"aws-portal:ViewUsage": {"cur:GetUsageReport"},
	"aws-portal:ModifyAccount": {
		"account:CloseAccount", "account:DeleteAlternateContact", "account:PutAlternateContact",
		"account:PutChallengeQuestions", "account:PutContactInformation", "billing:PutContractInformation",
		"billing:UpdateIAMAccessPreference", "payments:UpdatePaymentPreferences",
	},
	"aws-portal:ModifyBilling": {
		"billing:PutContractInformation", "billing:RedeemCredits", "billing:UpdateBillingPreferences",
		"ce:CreateAnomalyMonitor", "ce:CreateAnomalySubscription", "ce:CreateNotificationSubscription",
		"ce:CreateReport", "ce:DeleteAnomalyMonitor", "ce:DeleteAnomalySubscription",
		"ce:DeleteNotificationSubscription", "ce:DeleteReport", "ce:ProvideAnomalyFeedback",
		"ce:StartSavingsPlansPurchaseRecommendationGeneration", "ce:UpdateAnomalyMonitor",
		"ce:UpdateAnomalySubscription", "ce:UpdateCostAllocationTagsStatus", "ce:UpdateNotificationSubscription",
		"ce:UpdatePreferences", "cur:PutClassicReportPreferences", "freetier:PutFreeTierAlertPreference",
		"invoicing:PutInvoiceEmailDeliveryPreferences", "payments:CreatePaymentInstrument",
		"payments:DeletePaymentInstrument", "payments:MakePayment", "payments:UpdatePaymentPreferences",
		"tax:BatchPutTaxRegistration", "tax:DeleteTaxRegistration", "tax:PutTaxInheritance",
	},
	"aws-portal:ModifyPaymentMethods": {
		"account:GetAccountInformation", "payments:DeletePaymentInstrument", "payments:CreatePaymentInstrument",
		"payments:MakePayment", "payments:UpdatePaymentPreferences",
	},
	"purchase-orders:ViewPurchaseOrders": {
		"invoicing:GetInvoicePDF", "payments:ListPaymentPreferences", "purchase-orders:GetPurchaseOrder",
		"purchase-orders:ListPurchaseOrderInvoices", "purchase-orders:ListPurchaseOrders",
	},
	"purchase-orders:ModifyPurchaseOrders": {
		"purchase-orders:AddPurchaseOrder", "purchase-orders:DeletePurchaseOrder",
		"purchase-orders:UpdatePurchaseOrder", "purchase-orders:UpdatePurchaseOrderStatus",
	},
}

// RetiredActionsMatching returns the retired billing actions that the
// action pattern covers (for example "aws-portal:*" covers all seven
// aws-portal actions), sorted.
func RetiredActionsMatching(pattern string) []string {
	var out []string
	for a := range RetiredBillingActions {
		if pattern == "*" {
			continue // "*" is not a use of the retired actions
		}
		svc, _, _ := strings.Cut(pattern, ":")
		if strings.ContainsAny(svc, "*?") {
			continue
		}
		if wildcard.MatchFold(pattern, a) {
			out = append(out, a)
		}
	}
	sort.Strings(out)
	return out
}

// Retired is the table of retired billing actions as the policy
// validator asks for it (policy.ValidateOptions.Retired): it warns about
// a policy that still uses them.
type Retired struct{}

// RetiredMatching returns the retired billing actions the action pattern
// covers and their fine-grained replacements, each list without
// duplicates.
func (Retired) RetiredMatching(pattern string) (retired, replacements []string) {
	retired = RetiredActionsMatching(pattern)
	seen := map[string]bool{}
	for _, r := range retired {
		for _, a := range RetiredBillingActions[r] {
			if !seen[a] {
				seen[a] = true
				replacements = append(replacements, a)
			}
		}
	}
	return retired, replacements
}
