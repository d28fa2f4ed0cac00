package api

import (
	"encoding/base64"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/query"
	"github.com/gatehouse-dev/gatehouse/iam"
	"github.com/gatehouse-dev/gatehouse/policy"
)

// Inputs of the MFA operations. UserName is optional wherever the model
// allows it, and also for EnableMFADevice and ResyncMFADevice (required
// in the model): without it they act on the caller, which lets the root
// user manage its own devices.
type (
	createVirtualMFADeviceIn struct {
		VirtualMFADeviceName string `query:",required"`
		Path                 string
		Tags                 []tagIn
	}
	mfaCodesIn struct {
		UserName            string
		SerialNumber        string `query:",required"`
		AuthenticationCode1 string `query:",required"`
		AuthenticationCode2 string `query:",required"`
	}
	deactivateMFADeviceIn struct {
		UserName     string
		SerialNumber string `query:",required"`
	}
	serialNumberIn struct {
		SerialNumber string `query:",required"`
	}
	listMFADevicesIn struct {
		UserName string
		pageIn
	}
	listVirtualMFADevicesIn struct {
		AssignmentStatus string
		pageIn
	}
)

// Wire shapes of the MFA results. Base32StringSeed and QRCodePNG are
// blobs, base64 on the wire.
type (
	virtualMFADeviceXML struct {
		SerialNumber     string             `xml:"SerialNumber"`
		Base32StringSeed string             `xml:"Base32StringSeed,omitempty"`
		QRCodePNG        string             `xml:"QRCodePNG,omitempty"`
		User             *userXML           `xml:"User,omitempty"`
		EnableDate       *query.Time        `xml:"EnableDate,omitempty"`
		Tags             query.List[tagXML] `xml:"Tags,omitempty"`
	}
	// mfaDeviceXML is an MFADevice. UserName is required in the model;
	// for the root user's devices it is left out, as GetUser leaves out
	// the root user's name.
	mfaDeviceXML struct {
		UserName     string     `xml:"UserName,omitempty"`
		SerialNumber string     `xml:"SerialNumber"`
		EnableDate   query.Time `xml:"EnableDate"`
	}
)

// mfaUser returns the user an MFA operation acts on: the named user,
// else the calling user, or gatehouse.RootUserName for the root user.
// Role sessions must name a user.
func (c *call) mfaUser(userName string) (string, error) {
	if userName == gatehouse.RootUserName {
		// Not a user name anyone can spell: '<' and '>' are not allowed.
		return "", gatehouse.Errorf(gatehouse.EValidation,
			"1 validation error detected: Value '%s' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+", userName)
	}
	name, err := c.targetUser(userName)
	if err == nil && name == "" {
		name = gatehouse.RootUserName
	}
	return name, err
}

func toMFADeviceXML(d *gatehouse.MFADevice) mfaDeviceXML {
	x := mfaDeviceXML{UserName: d.UserName, SerialNumber: d.SerialNumber, EnableDate: query.Time(d.EnabledAt)}
	if d.UserName == gatehouse.RootUserName {
		x.UserName = ""
	}
	return x
}

// mfaOperations is the MFA part of the IAM table.
func mfaOperations() []operation {
	return []operation{
		legacyOp("CreateVirtualMFADevice", opSpec[createVirtualMFADeviceIn]{
			action: "iam:CreateVirtualMFADevice",
			resource: func(c *call, in *createVirtualMFADeviceIn) string {
				return gatehouse.MFADeviceARN(c.account(), orSlash(in.Path), in.VirtualMFADeviceName)
			},
			context: func(c *call, in *createVirtualMFADeviceIn, ctx *policy.Context) { tagContext(ctx, in.Tags) },
			handle: func(c *call, in *createVirtualMFADeviceIn) (any, error) {
				d, qrPNG, err := c.srv.IAM.CreateVirtualMFADevice(c.ctx, c.account(), iam.CreateVirtualMFADeviceInput{
					VirtualMFADeviceName: in.VirtualMFADeviceName, Path: in.Path, Tags: toTags(in.Tags)})
				if err != nil {
					return nil, err
				}
				return struct {
					VirtualMFADevice virtualMFADeviceXML `xml:"VirtualMFADevice"`
				}{virtualMFADeviceXML{
					SerialNumber:     d.SerialNumber,
					Base32StringSeed: base64.StdEncoding.EncodeToString([]byte(d.Seed.Reveal())),
					QRCodePNG:        base64.StdEncoding.EncodeToString(qrPNG),
					Tags:             tagsXML(d.Tags),
				}}, nil
			},
		}),
		legacyOp("EnableMFADevice", opSpec[mfaCodesIn]{
			action:   "iam:EnableMFADevice",
			precheck: func(c *call, in *mfaCodesIn) error { _, err := c.mfaUser(in.UserName); return err },
			resource: func(c *call, in *mfaCodesIn) string { return c.userARN(in.UserName) },
			handle: func(c *call, in *mfaCodesIn) (any, error) {
				user, err := c.mfaUser(in.UserName)
				if err != nil {
					return nil, err
				}
				return nil, c.srv.IAM.EnableMFADevice(c.ctx, c.account(), iam.EnableMFADeviceInput{
					UserName: user, SerialNumber: in.SerialNumber, ByRoot: c.caller.IsRoot(),
					AuthenticationCode1: in.AuthenticationCode1, AuthenticationCode2: in.AuthenticationCode2})
			},
		}),
		legacyOp("ResyncMFADevice", opSpec[mfaCodesIn]{
			action:   "iam:ResyncMFADevice",
			precheck: func(c *call, in *mfaCodesIn) error { _, err := c.mfaUser(in.UserName); return err },
			resource: func(c *call, in *mfaCodesIn) string { return c.userARN(in.UserName) },
			handle: func(c *call, in *mfaCodesIn) (any, error) {
				user, err := c.mfaUser(in.UserName)
				if err != nil {
					return nil, err
				}
				return nil, c.srv.IAM.ResyncMFADevice(c.ctx, c.account(), iam.ResyncMFADeviceInput{
					UserName: user, SerialNumber: in.SerialNumber, ByRoot: c.caller.IsRoot(),
					AuthenticationCode1: in.AuthenticationCode1, AuthenticationCode2: in.AuthenticationCode2})
			},
		}),
		legacyOp("DeactivateMFADevice", opSpec[deactivateMFADeviceIn]{
			action:   "iam:DeactivateMFADevice",
			precheck: func(c *call, in *deactivateMFADeviceIn) error { _, err := c.mfaUser(in.UserName); return err },
			resource: func(c *call, in *deactivateMFADeviceIn) string { return c.userARN(in.UserName) },
			handle: func(c *call, in *deactivateMFADeviceIn) (any, error) {
				user, err := c.mfaUser(in.UserName)
				if err != nil {
					return nil, err
				}
				return nil, c.srv.IAM.DeactivateMFADevice(c.ctx, c.account(), user, in.SerialNumber, c.caller.IsRoot())
			},
		}),
		legacyOp("DeleteVirtualMFADevice", opSpec[serialNumberIn]{
			action: "iam:DeleteVirtualMFADevice",
			// A virtual device's serial number is its ARN.
			resource: func(c *call, in *serialNumberIn) string { return in.SerialNumber },
			handle: func(c *call, in *serialNumberIn) (any, error) {
				return nil, c.srv.IAM.DeleteVirtualMFADevice(c.ctx, c.account(), in.SerialNumber, c.caller.IsRoot())
			},
		}),
		legacyOp("ListMFADevices", opSpec[listMFADevicesIn]{
			action:   "iam:ListMFADevices",
			precheck: func(c *call, in *listMFADevicesIn) error { _, err := c.mfaUser(in.UserName); return err },
			resource: func(c *call, in *listMFADevicesIn) string { return c.userARN(in.UserName) },
			handle: func(c *call, in *listMFADevicesIn) (any, error) {
				user, err := c.mfaUser(in.UserName)
				if err != nil {
					return nil, err
				}
				devices, _, err := c.srv.IAM.MFADevices(c.ctx, c.account(), user)
				if err != nil {
					return nil, err
				}
				pg, trunc, next, err := page(devices, in.pageIn)
				if err != nil {
					return nil, err
				}
				out := struct {
					MFADevices  query.List[mfaDeviceXML] `xml:"MFADevices"`
					IsTruncated bool                     `xml:"IsTruncated"`
					Marker      string                   `xml:"Marker,omitempty"`
				}{MFADevices: query.List[mfaDeviceXML]{}, IsTruncated: trunc, Marker: next}
				for _, d := range pg {
					out.MFADevices = append(out.MFADevices, toMFADeviceXML(d))
				}
				return out, nil
			},
		}),
		legacyOp("ListVirtualMFADevices", opSpec[listVirtualMFADevicesIn]{
			action: "iam:ListVirtualMFADevices",
			handle: func(c *call, in *listVirtualMFADevicesIn) (any, error) {
				devices, err := c.srv.IAM.VirtualMFADevices(c.ctx, c.account(), in.AssignmentStatus)
				if err != nil {
					return nil, err
				}
				pg, trunc, next, err := page(devices, in.pageIn)
				if err != nil {
					return nil, err
				}
				out := struct {
					VirtualMFADevices query.List[virtualMFADeviceXML] `xml:"VirtualMFADevices"`
					IsTruncated       bool                            `xml:"IsTruncated"`
					Marker            string                          `xml:"Marker,omitempty"`
				}{VirtualMFADevices: query.List[virtualMFADeviceXML]{}, IsTruncated: trunc, Marker: next}
				for _, v := range pg {
					x := virtualMFADeviceXML{SerialNumber: v.Device.SerialNumber}
					switch {
					case v.User != nil:
						u := toUserXML(v.User, false)
						x.User = &u
					case v.Device.UserName == gatehouse.RootUserName:
						// The root user as GetUser shows it: no Path, no
						// UserName, the account ID as UserId.
						a := c.caller.Account
						x.User = &userXML{UserID: a.ID, Arn: a.RootARN(), CreateDate: query.Time(a.CreatedAt)}
					}
					if v.Device.Assigned() {
						t := query.Time(v.Device.EnabledAt)
						x.EnableDate = &t
					}
					out.VirtualMFADevices = append(out.VirtualMFADevices, x)
				}
				return out, nil
			},
		}),
	}
}
