package e2e

import (
	"context"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/gatehouse-dev/gatehouse/sigv4"
)

// region is what every client signs with: real IAM clients sign
// us-east-1, so any other region proves the server accepts the scope it
// receives (aws-reference §5.4).
const region = "us-west-2"

// creds is an access key pair; Token is set for temporary credentials.
// Region, when set, is the signing region of clients using them (the
// keys of a GovCloud account sign with a GovCloud region); else region.
type creds struct{ ID, Secret, Token, Region string }

// signingRegion returns the region c's clients sign with.
func (c creds) signingRegion() string {
	if c.Region != "" {
		return c.Region
	}
	return region
}

// govRegion is the signing region of GovCloud (aws-us-gov) credentials:
// Gatehouse refuses a region outside the caller's partition.
const govRegion = "us-gov-west-1"

var (
	baseCfgOnce sync.Once
	baseCfg     aws.Config
	baseCfgErr  error
)

// sdkConfig returns an aws.Config that ignores the machine's shared
// config files, does not retry, and signs for us-west-2.
func sdkConfig(t testing.TB) aws.Config {
	t.Helper()
	baseCfgOnce.Do(func() {
		baseCfg, baseCfgErr = config.LoadDefaultConfig(context.Background(),
			config.WithRegion(region),
			config.WithSharedConfigFiles([]string{}),
			config.WithSharedCredentialsFiles([]string{}),
			config.WithRetryer(func() aws.Retryer { return aws.NopRetryer{} }),
			config.WithHTTPClient(awshttp.NewBuildableClient().WithTimeout(60*time.Second)),
		)
	})
	if baseCfgErr != nil {
		t.Fatalf("load aws config: %v", baseCfgErr)
	}
	return baseCfg
}

// iamClient returns an IAM client for c against s.
func (s *server) iam(t testing.TB, c creds) *iam.Client {
	return iam.NewFromConfig(sdkConfig(t), func(o *iam.Options) {
		o.HTTPClient = s.sdkHTTP()
		o.BaseEndpoint = aws.String(s.URL)
		o.Region = c.signingRegion()
		o.Credentials = credentials.NewStaticCredentialsProvider(c.ID, c.Secret, c.Token)
	})
}

// sts returns an STS client for c against s.
func (s *server) sts(t testing.TB, c creds) *sts.Client {
	return sts.NewFromConfig(sdkConfig(t), func(o *sts.Options) {
		o.HTTPClient = s.sdkHTTP()
		o.BaseEndpoint = aws.String(s.URL)
		o.Region = c.signingRegion()
		o.Credentials = credentials.NewStaticCredentialsProvider(c.ID, c.Secret, c.Token)
	})
}

// callerARN returns GetCallerIdentity's Arn for c, failing the test on error.
func (s *server) callerARN(t testing.TB, c creds) string {
	t.Helper()
	out, err := s.sts(t, c).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatalf("GetCallerIdentity(%s): %v", c.ID, err)
	}
	return aws.ToString(out.Arn)
}

// apiErr is what the wire said about a failed call.
type apiErr struct {
	Code    string
	Message string
	Status  int
}

// errorOf unpacks an SDK error into its AWS code, message and HTTP status.
func errorOf(t testing.TB, err error) apiErr {
	t.Helper()
	if err == nil {
		t.Fatalf("call succeeded; want an error")
	}
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("error %v is not an AWS API error", err)
	}
	out := apiErr{Code: ae.ErrorCode(), Message: ae.ErrorMessage()}
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		out.Status = re.HTTPStatusCode()
	}
	return out
}

// wantErr checks that err carries code and HTTP status, and returns its
// message.
func wantErr(t testing.TB, err error, code string, status int) string {
	t.Helper()
	e := errorOf(t, err)
	if e.Code != code || e.Status != status {
		t.Fatalf("got %s (HTTP %d): %q; want %s (HTTP %d)", e.Code, e.Status, e.Message, code, status)
	}
	return e.Message
}

// wantErrMessage checks code, status and the exact message.
func wantErrMessage(t testing.TB, err error, code string, status int, message string) {
	t.Helper()
	if got := wantErr(t, err, code, status); got != message {
		t.Fatalf("%s message:\n got: %s\nwant: %s", code, got, message)
	}
}

// must returns v, or fails the test given to the returned function when
// err is not nil: must(c.GetUser(ctx, in))(t).
func must[T any](v T, err error) func(testing.TB) T {
	return func(t testing.TB) T {
		t.Helper()
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return v
	}
}

// userARN is the ARN of a user at path /.
func userARN(name string) string { return "arn:aws:iam::" + accountID + ":user/" + name }

// policyARN is the ARN of a customer managed policy at path /.
func policyARN(name string) string { return "arn:aws:iam::" + accountID + ":policy/" + name }

// Built-in AWS managed policies.
const (
	adminAccess     = "arn:aws:iam::aws:policy/AdministratorAccess"
	iamReadOnly     = "arn:aws:iam::aws:policy/IAMReadOnlyAccess"
	iamFullAccess   = "arn:aws:iam::aws:policy/IAMFullAccess"
	powerUserAccess = "arn:aws:iam::aws:policy/PowerUserAccess"
)

// notAuthorized is AWS's implicit-deny message for an IAM user.
func notAuthorized(user, action, resource string) string {
	return "User: " + userARN(user) + " is not authorized to perform: " + action + " on resource: " + resource +
		" because no identity-based policy allows the " + action + " action"
}

// explicitlyDenied is AWS's explicit-deny message for an IAM user.
func explicitlyDenied(user, action, resource string) string {
	return "User: " + userARN(user) + " is not authorized to perform: " + action + " on resource: " + resource +
		" with an explicit deny in an identity-based policy"
}

// newUserWithKey creates a user (as client c) and an access key for it,
// attaching the given managed policies.
func newUserWithKey(t testing.TB, c *iam.Client, name string, policies ...string) creds {
	t.Helper()
	ctx := context.Background()
	must(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)}))(t)
	for _, p := range policies {
		must(c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String(name), PolicyArn: aws.String(p)}))(t)
	}
	k := must(c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(name)}))(t)
	return creds{ID: aws.ToString(k.AccessKey.AccessKeyId), Secret: aws.ToString(k.AccessKey.SecretAccessKey)}
}

// rawResponse is a Query response read without an SDK.
type rawResponse struct {
	Status  int
	Code    string
	Message string
	Body    string
}

// rawSTS sends GetCallerIdentity as a plain form POST; signer nil sends it
// unsigned.
func (s *server) rawSTS(t testing.TB, signer *sigv4.Signer) rawResponse {
	t.Helper()
	return s.rawCall(t, signer, "Action=GetCallerIdentity&Version=2011-06-15")
}

// rawCall POSTs a Query request body, signed by signer (nil: unsigned).
func (s *server) rawCall(t testing.TB, signer *sigv4.Signer, form string) rawResponse {
	t.Helper()
	body := []byte(form)
	req, err := http.NewRequest(http.MethodPost, s.URL+"/", strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	if signer != nil {
		if err := signer.Sign(req, body); err != nil {
			t.Fatalf("sign: %v", err)
		}
	}
	resp, err := (&http.Client{Timeout: 60 * time.Second}).Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", s.URL, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	out := rawResponse{Status: resp.StatusCode, Body: string(b)}
	if resp.StatusCode >= 300 {
		var e struct {
			Code    string `xml:"Error>Code"`
			Message string `xml:"Error>Message"`
		}
		if err := xml.Unmarshal(b, &e); err != nil {
			t.Fatalf("error body is not an ErrorResponse: %v\n%s", err, b)
		}
		out.Code, out.Message = e.Code, e.Message
	}
	return out
}

// decodePolicy URL-decodes a policy document as IAM returns it.
func decodePolicy(t testing.TB, doc *string) string {
	t.Helper()
	s, err := url.PathUnescape(aws.ToString(doc))
	if err != nil {
		t.Fatalf("policy document is not URL-encoded: %v", err)
	}
	return s
}

func wantDefault(t *testing.T, c *iam.Client, arn, version string) {
	t.Helper()
	p := must(c.GetPolicy(context.Background(), &iam.GetPolicyInput{PolicyArn: aws.String(arn)}))(t).Policy
	if got := aws.ToString(p.DefaultVersionId); got != version {
		t.Errorf("DefaultVersionId = %s, want %s", got, version)
	}
}

func userNames(us []types.User) []string {
	var out []string
	for _, u := range us {
		out = append(out, aws.ToString(u.UserName))
	}
	return out
}

// userTags returns a user's tags as "k=v,k=v", sorted by key.
func userTags(t *testing.T, c *iam.Client, user string) string {
	t.Helper()
	tags := must(c.ListUserTags(context.Background(), &iam.ListUserTagsInput{UserName: aws.String(user)}))(t).Tags
	var kv []string
	for _, tag := range tags {
		kv = append(kv, aws.ToString(tag.Key)+"="+aws.ToString(tag.Value))
	}
	slices.Sort(kv)
	return strings.Join(kv, ",")
}
