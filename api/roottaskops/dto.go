package roottaskops

// Wire shapes of the gatehouse service. Input members are matched by
// name; empty strings are absent from results.
type (
	changeRootPasswordIn struct {
		CurrentPassword string
		NewPassword     string
	}
	rootEmailIn struct {
		NewEmail string
		Code     string
	}
	startRootEmailIn struct {
		NewEmail string
	}
	statusOut struct {
		Status string `json:"Status"`
	}
	accountStatusOut struct {
		AccountState string `json:"AccountState"`
		ClosedAt     string `json:"ClosedAt,omitempty"`
	}
	billingAccessIn struct {
		IamUserAccessToBilling string
	}
	billingAccessOut struct {
		IamUserAccessToBilling string `json:"IamUserAccessToBilling"`
	}
	putPaymentPreferencesIn struct {
		PreferredCurrency      *string
		InvoiceDeliveryByEmail *bool
		CreditSharing          *bool
	}
	paymentPreferencesOut struct {
		PreferredCurrency      string `json:"PreferredCurrency"`
		InvoiceDeliveryByEmail bool   `json:"InvoiceDeliveryByEmail"`
		CreditSharing          bool   `json:"CreditSharing"`
		LastUpdatedAt          string `json:"LastUpdatedAt,omitempty"`
	}
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
