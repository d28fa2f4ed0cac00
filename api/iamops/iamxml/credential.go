package iamxml

import (
	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/query"
)

// AccessKey is an AccessKey: a new key, with its secret.
type AccessKey struct {
	UserName        string     `xml:"UserName,omitempty"`
	AccessKeyID     string     `xml:"AccessKeyId"`
	Status          string     `xml:"Status"`
	SecretAccessKey string     `xml:"SecretAccessKey,omitempty"`
	CreateDate      query.Time `xml:"CreateDate"`
}

// AccessKeyMetadata is an AccessKeyMetadata: a key as listings show it.
type AccessKeyMetadata struct {
	UserName    string     `xml:"UserName,omitempty"`
	AccessKeyID string     `xml:"AccessKeyId"`
	Status      string     `xml:"Status"`
	CreateDate  query.Time `xml:"CreateDate"`
}

// LoginProfile is a LoginProfile.
type LoginProfile struct {
	UserName              string     `xml:"UserName"`
	CreateDate            query.Time `xml:"CreateDate"`
	PasswordResetRequired bool       `xml:"PasswordResetRequired"`
}

// VirtualMFADevice is a VirtualMFADevice. Base32StringSeed and QRCodePNG
// are blobs, base64 on the wire.
type VirtualMFADevice struct {
	SerialNumber     string          `xml:"SerialNumber"`
	Base32StringSeed string          `xml:"Base32StringSeed,omitempty"`
	QRCodePNG        string          `xml:"QRCodePNG,omitempty"`
	User             *User           `xml:"User,omitempty"`
	EnableDate       *query.Time     `xml:"EnableDate,omitempty"`
	Tags             query.List[Tag] `xml:"Tags,omitempty"`
}

// MFADevice is an MFADevice. UserName is required in the model; for the
// root user's devices it is left out, as GetUser leaves out the root
// user's name.
type MFADevice struct {
	UserName     string     `xml:"UserName,omitempty"`
	SerialNumber string     `xml:"SerialNumber"`
	EnableDate   query.Time `xml:"EnableDate"`
}

// ToMFADevice returns the wire form of an MFA device.
func ToMFADevice(d *gatehouse.MFADevice) MFADevice {
	x := MFADevice{UserName: d.UserName, SerialNumber: d.SerialNumber, EnableDate: query.Time(d.EnabledAt)}
	if d.UserName == gatehouse.RootUserName {
		x.UserName = ""
	}
	return x
}
