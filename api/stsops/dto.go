package stsops

import (
	"github.com/gatehouse-dev/gatehouse/api/op"
	"github.com/gatehouse-dev/gatehouse/api/query"
	"github.com/gatehouse-dev/gatehouse/sts"
)

// Inputs of the STS operations.
type (
	policyDescriptorIn struct {
		Arn string `query:"arn"`
	}
	assumeRoleIn struct {
		RoleArn         string `query:",required"`
		RoleSessionName string `query:",required"`
		DurationSeconds *int
		Policy          string
		PolicyArns      []policyDescriptorIn
		ExternalId      string
		SerialNumber    string
		TokenCode       string
		SourceIdentity  string
		Tags            []op.Tag

		mfa mfaProof // the MFA code verified before authorization
	}
	getSessionTokenIn struct {
		DurationSeconds *int
		SerialNumber    string
		TokenCode       string

		mfa mfaProof // the MFA code verified before authorization
	}
	accessKeyInfoIn struct {
		AccessKeyId string `query:",required"`
	}
)

// Results of the STS operations.
type (
	credentialsXML struct {
		AccessKeyID     string     `xml:"AccessKeyId"`
		SecretAccessKey string     `xml:"SecretAccessKey"`
		SessionToken    string     `xml:"SessionToken"`
		Expiration      query.Time `xml:"Expiration"`
	}
	assumedRoleUserXML struct {
		AssumedRoleID string `xml:"AssumedRoleId"`
		Arn           string `xml:"Arn"`
	}
	assumeRoleOut struct {
		Credentials      credentialsXML     `xml:"Credentials"`
		AssumedRoleUser  assumedRoleUserXML `xml:"AssumedRoleUser"`
		PackedPolicySize *int               `xml:"PackedPolicySize,omitempty"`
		SourceIdentity   string             `xml:"SourceIdentity,omitempty"`
	}
	getSessionTokenOut struct {
		Credentials credentialsXML `xml:"Credentials"`
	}
	getAccessKeyInfoOut struct {
		Account string `xml:"Account"`
	}
	getCallerIdentityOut struct {
		UserID  string `xml:"UserId"`
		Account string `xml:"Account"`
		Arn     string `xml:"Arn"`
	}
)

func toCredentialsXML(cr *sts.Credentials) credentialsXML {
	return credentialsXML{cr.Session.AccessKeyID, cr.Session.Secret.Reveal(), cr.Token.Reveal(), query.Time(cr.Session.Expiration)}
}
