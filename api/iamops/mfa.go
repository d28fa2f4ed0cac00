package iamops

import (
	"encoding/base64"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/iamops/iamxml"
	"github.com/gatehouse-dev/gatehouse/api/op"
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
		Tags                 []op.Tag
	}
	mfaCodesIn struct {
		optionalUserIn
		SerialNumber        string `query:",required"`
		AuthenticationCode1 string `query:",required"`
		AuthenticationCode2 string `query:",required"`
	}
	deactivateMFADeviceIn struct {
		optionalUserIn
		SerialNumber string `query:",required"`
	}
	serialNumberIn struct {
		SerialNumber string `query:",required"`
	}
	listMFADevicesIn struct {
		optionalUserIn
		query.PageIn
	}
	listVirtualMFADevicesIn struct {
		AssignmentStatus string
		query.PageIn
	}
)

// mfaUser returns the user an MFA operation acts on: the named user,
// else the calling user, or gatehouse.RootUserName for the root user.
// Role sessions must name a user.
func mfaUser(c *op.Call, userName string) (string, error) {
	if userName == gatehouse.RootUserName {
		// Not a user name anyone can spell: '<' and '>' are not allowed.
		return "", gatehouse.Errorf(gatehouse.CodeInvalid,
			"1 validation error detected: Value '%s' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+", userName)
	}
	name, err := targetUser(c, userName)
	if err == nil && name == "" {
		name = gatehouse.RootUserName
	}
	return name, err
}

// mfaRows is the MFA part of the IAM table.
func (d *Deps) mfaRows() []op.Row {
	return []op.Row{
		op.New("CreateVirtualMFADevice", op.Spec[createVirtualMFADeviceIn]{
			Action: "iam:CreateVirtualMFADevice",
			Resource: func(c *op.Call, in *createVirtualMFADeviceIn) string {
				return gatehouse.MFADeviceARN(c.Caller.Account.Partition, c.Account(), orSlash(in.Path), in.VirtualMFADeviceName)
			},
			Context: func(c *op.Call, in *createVirtualMFADeviceIn, ctx *policy.Context) { op.TagContext(ctx, in.Tags) },
			Handle: func(c *op.Call, in *createVirtualMFADeviceIn) (any, error) {
				dev, qrPNG, err := d.IAM.CreateVirtualMFADevice(c.Ctx, c.Account(), iam.CreateVirtualMFADeviceInput{
					VirtualMFADeviceName: in.VirtualMFADeviceName, Path: in.Path, Tags: op.Tags(in.Tags)})
				if err != nil {
					return nil, err
				}
				return struct {
					VirtualMFADevice iamxml.VirtualMFADevice `xml:"VirtualMFADevice"`
				}{iamxml.VirtualMFADevice{
					SerialNumber:     dev.SerialNumber,
					Base32StringSeed: base64.StdEncoding.EncodeToString([]byte(dev.Seed.Reveal())),
					QRCodePNG:        base64.StdEncoding.EncodeToString(qrPNG),
					Tags:             iamxml.Tags(dev.Tags),
				}}, nil
			},
		}),
		op.New("EnableMFADevice", onUser(d, "iam:EnableMFADevice", mfaUser, func(c *op.Call, in *mfaCodesIn, user string) (any, error) {
			return nil, d.IAM.EnableMFADevice(c.Ctx, c.Account(), iam.EnableMFADeviceInput{
				UserName: user, SerialNumber: in.SerialNumber, ByRoot: c.Caller.IsRoot(),
				AuthenticationCode1: in.AuthenticationCode1, AuthenticationCode2: in.AuthenticationCode2})
		})),
		op.New("ResyncMFADevice", onUser(d, "iam:ResyncMFADevice", mfaUser, func(c *op.Call, in *mfaCodesIn, user string) (any, error) {
			return nil, d.IAM.ResyncMFADevice(c.Ctx, c.Account(), iam.ResyncMFADeviceInput{
				UserName: user, SerialNumber: in.SerialNumber, ByRoot: c.Caller.IsRoot(),
				AuthenticationCode1: in.AuthenticationCode1, AuthenticationCode2: in.AuthenticationCode2})
		})),
		op.New("DeactivateMFADevice", onUser(d, "iam:DeactivateMFADevice", mfaUser, func(c *op.Call, in *deactivateMFADeviceIn, user string) (any, error) {
			return nil, d.IAM.DeactivateMFADevice(c.Ctx, c.Account(), user, in.SerialNumber, c.Caller.IsRoot())
		})),
		op.New("DeleteVirtualMFADevice", op.Spec[serialNumberIn]{
			Action: "iam:DeleteVirtualMFADevice",
			// A virtual device's serial number is its ARN.
			Resource: func(c *op.Call, in *serialNumberIn) string { return in.SerialNumber },
			Handle: func(c *op.Call, in *serialNumberIn) (any, error) {
				return nil, d.IAM.DeleteVirtualMFADevice(c.Ctx, c.Account(), in.SerialNumber, c.Caller.IsRoot())
			},
		}),
		op.New("ListMFADevices", onUser(d, "iam:ListMFADevices", mfaUser, func(c *op.Call, in *listMFADevicesIn, user string) (any, error) {
			devices, _, err := d.IAM.MFADevices(c.Ctx, c.Account(), user)
			return query.ListPage("MFADevices", in.PageIn, iamxml.ToMFADevice)(devices, err)
		})),
		op.New("ListVirtualMFADevices", op.Spec[listVirtualMFADevicesIn]{
			Action: "iam:ListVirtualMFADevices",
			Handle: func(c *op.Call, in *listVirtualMFADevicesIn) (any, error) {
				return query.ListPage("VirtualMFADevices", in.PageIn, func(v iam.VirtualMFADevice) iamxml.VirtualMFADevice {
					x := iamxml.VirtualMFADevice{SerialNumber: v.Device.SerialNumber}
					switch {
					case v.User != nil:
						u := iamxml.ToUser(v.User, false)
						x.User = &u
					case v.Device.UserName == gatehouse.RootUserName:
						// The root user as GetUser shows it: no Path, no
						// UserName, the account ID as UserId.
						a := c.Caller.Account
						x.User = &iamxml.User{UserID: a.ID, Arn: a.RootARN(), CreateDate: query.Time(a.CreatedAt)}
					}
					if v.Device.Assigned() {
						t := query.Time(v.Device.EnabledAt)
						x.EnableDate = &t
					}
					return x
				})(d.IAM.VirtualMFADevices(c.Ctx, c.Account(), in.AssignmentStatus))
			},
		}),
	}
}
