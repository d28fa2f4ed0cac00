package accountops

// Wire shapes of the Account Management API (account/2021-02-01),
// REST-JSON. Members are the model's; empty strings are absent.
type (
	accountIDIn struct {
		AccountId string
	}
	putAccountNameIn struct {
		AccountName string
		AccountId   string
	}
	accountInformationOut struct {
		AccountId          string `json:"AccountId"`
		AccountName        string `json:"AccountName"`
		AccountCreatedDate string `json:"AccountCreatedDate"`
		AccountState       string `json:"AccountState"`
	}
	contactInformationDTO struct {
		FullName         string `json:"FullName"`
		AddressLine1     string `json:"AddressLine1"`
		AddressLine2     string `json:"AddressLine2,omitempty"`
		AddressLine3     string `json:"AddressLine3,omitempty"`
		City             string `json:"City"`
		StateOrRegion    string `json:"StateOrRegion,omitempty"`
		DistrictOrCounty string `json:"DistrictOrCounty,omitempty"`
		PostalCode       string `json:"PostalCode"`
		CountryCode      string `json:"CountryCode"`
		PhoneNumber      string `json:"PhoneNumber"`
		CompanyName      string `json:"CompanyName,omitempty"`
		WebsiteURL       string `json:"WebsiteUrl,omitempty"`
	}
	putContactInformationIn struct {
		ContactInformation *contactInformationDTO
		AccountId          string
	}
	contactInformationOut struct {
		ContactInformation contactInformationDTO `json:"ContactInformation"`
	}
	alternateContactTypeIn struct {
		AlternateContactType string
		AccountId            string
	}
	putAlternateContactIn struct {
		Name                 string
		Title                string
		EmailAddress         string
		PhoneNumber          string
		AlternateContactType string
		AccountId            string
	}
	alternateContactDTO struct {
		Name                 string `json:"Name,omitempty"`
		Title                string `json:"Title,omitempty"`
		EmailAddress         string `json:"EmailAddress,omitempty"`
		PhoneNumber          string `json:"PhoneNumber,omitempty"`
		AlternateContactType string `json:"AlternateContactType,omitempty"`
	}
	alternateContactOut struct {
		AlternateContact alternateContactDTO `json:"AlternateContact"`
	}
	regionIn struct {
		AccountId  string
		RegionName string
	}
	listRegionsIn struct {
		AccountId               string
		MaxResults              *int
		NextToken               string
		RegionOptStatusContains []string
	}
	regionDTO struct {
		RegionName      string `json:"RegionName"`
		RegionOptStatus string `json:"RegionOptStatus"`
	}
	listRegionsOut struct {
		NextToken string      `json:"NextToken,omitempty"`
		Regions   []regionDTO `json:"Regions"`
	}
	startPrimaryEmailUpdateIn struct {
		AccountId    string
		PrimaryEmail string
	}
	acceptPrimaryEmailUpdateIn struct {
		AccountId    string
		PrimaryEmail string
		Otp          string
	}
	govCloudInfoIn struct {
		StandardAccountId string
	}
	govCloudInfoOut struct {
		GovCloudAccountId string `json:"GovCloudAccountId"`
		AccountState      string `json:"AccountState"`
	}
)
