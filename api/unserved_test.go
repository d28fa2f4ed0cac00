package api_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse/sigv4"
)

// unservedRequest sends a request for a service Gatehouse does not
// serve, signed by k for service (unsigned when service is "").
func (h *harness) unservedRequest(t *testing.T, service string, k key, method, path string, header map[string]string, body string) response {
	t.Helper()
	h.tick()
	r, err := http.NewRequest(method, h.url+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for name, v := range header {
		r.Header.Set(name, v)
	}
	if service != "" {
		s := sigv4.Signer{AccessKeyID: k.id, SecretAccessKey: k.secret, Region: "us-east-1", Service: service, Now: h.clock}
		if err := s.Sign(r, []byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	return h.do(t, r)
}

// TestUnservedServiceProtocols: a request for a service Gatehouse does
// not serve is answered in the protocol the request uses, with that
// protocol's unknown-operation error (and its spelling of the
// authentication errors).
func TestUnservedServiceProtocols(t *testing.T) {
	h := newHarness(t, nil)
	json11 := map[string]string{"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "SWBExternalService.ListInstances"}
	form := map[string]string{"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
	badKey := key{id: "AKIAIOSFODNN7NOTREAL", secret: rootSecret}

	// JSON 1.0 and 1.1: {"__type", "message"}, HTTP 400.
	for _, c := range []struct {
		name, service string
		k             key
		header        map[string]string
		ct, typ, msg  string
	}{
		{"sso-admin", "sso", rootKey, json11, "application/x-amz-json-1.1", "com.amazon.coral.service#UnknownOperationException",
			`The service sso is not served by this endpoint (operation "SWBExternalService.ListInstances").`},
		{"organizations", "organizations", rootKey,
			map[string]string{"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "AWSOrganizationsV20161128.ListAccounts"},
			"application/x-amz-json-1.1", "com.amazon.coral.service#UnknownOperationException",
			`The service organizations is not served by this endpoint (operation "AWSOrganizationsV20161128.ListAccounts").`},
		{"JSON 1.0", "dynamodb", rootKey, map[string]string{"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "DynamoDB_20120810.ListTables"},
			"application/x-amz-json-1.0", "com.amazon.coral.service#UnknownOperationException", ""},
		{"unknown key", "sso", badKey, json11, "application/x-amz-json-1.1", "com.amazon.coral.service#UnrecognizedClientException", ""},
		{"unsigned", "", rootKey, json11, "application/x-amz-json-1.1", "com.amazon.coral.service#MissingAuthenticationTokenException", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := h.unservedRequest(t, c.service, c.k, "POST", "/", c.header, `{}`)
			var e struct {
				Type    string `json:"__type"`
				Message string `json:"message"`
			}
			if err := json.Unmarshal(r.body, &e); err != nil || r.status != 400 || e.Type != c.typ || e.Message == "" ||
				(c.msg != "" && e.Message != c.msg) || r.header.Get("Content-Type") != c.ct {
				t.Errorf("HTTP %d %s %s, want 400 %s %s %q", r.status, r.header.Get("Content-Type"), r.body, c.ct, c.typ, c.msg)
			}
		})
	}

	// Query: ErrorResponse with InvalidAction, in no namespace.
	t.Run("Query", func(t *testing.T) {
		r := h.unservedRequest(t, "sns", rootKey, "POST", "/", form, "Action=ListTopics&Version=2010-03-31")
		wantError(t, r, 400, "InvalidAction", "The service sns is not served by this endpoint (action ListTopics).")
		r = h.unservedRequest(t, "sqs", rootKey, "GET", "/?Action=ListQueues&Version=2012-11-05", nil, "")
		wantError(t, r, 400, "InvalidAction", "The service sqs is not served by this endpoint (action ListQueues).")
		r = h.unservedRequest(t, "sns", badKey, "POST", "/", form, "Action=ListTopics&Version=2010-03-31")
		wantError(t, r, 403, "InvalidClientTokenId", "")
	})

	// EC2: Response/Errors/Error with RequestID.
	t.Run("EC2", func(t *testing.T) {
		r := h.unservedRequest(t, "ec2", rootKey, "POST", "/", form, "Action=DescribeRegions&Version=2016-11-15")
		var e struct {
			XMLName   xml.Name `xml:"Response"`
			Code      string   `xml:"Errors>Error>Code"`
			Message   string   `xml:"Errors>Error>Message"`
			RequestID string   `xml:"RequestID"`
		}
		if err := xml.Unmarshal(r.body, &e); err != nil || r.status != 400 || e.Code != "InvalidAction" ||
			e.RequestID != r.header.Get("X-Amzn-Requestid") || e.Message == "" {
			t.Errorf("HTTP %d %s", r.status, r.body)
		}
	})

	// REST-JSON: x-amzn-ErrorType UnknownOperationException, HTTP 404.
	t.Run("REST-JSON", func(t *testing.T) {
		r := h.unservedRequest(t, "lambda", rootKey, "GET", "/2015-03-31/functions/", nil, "")
		var e struct{ Message string }
		if err := json.Unmarshal(r.body, &e); err != nil || r.status != 404 || r.header.Get("X-Amzn-Errortype") != "UnknownOperationException" ||
			e.Message != "The service lambda is not served by this endpoint (GET /2015-03-31/functions/)." {
			t.Errorf("HTTP %d %s %s", r.status, r.header.Get("X-Amzn-Errortype"), r.body)
		}
	})

	// REST-XML: S3's <Error> document.
	for _, c := range []struct {
		name         string
		k            key
		status       int
		code, method string
	}{
		{"REST-XML", rootKey, 501, "NotImplemented", "GET"},
		{"REST-XML PUT", rootKey, 501, "NotImplemented", "PUT"},
		{"REST-XML unknown key", badKey, 403, "InvalidAccessKeyId", "GET"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := h.unservedRequest(t, "s3", c.k, c.method, "/bucket/key", nil, "")
			var e struct {
				XMLName   xml.Name `xml:"Error"`
				Code      string
				Message   string
				RequestId string
			}
			if err := xml.Unmarshal(r.body, &e); err != nil || r.status != c.status || e.Code != c.code || e.Message == "" ||
				e.RequestId != r.header.Get("X-Amz-Request-Id") || r.header.Get("Content-Type") != "application/xml" {
				t.Errorf("HTTP %d %s %s, want %d %s", r.status, r.header.Get("Content-Type"), r.body, c.status, c.code)
			}
		})
	}
}

// TestUnservedServiceCLI: the aws CLI parses the error of a service
// Gatehouse does not serve and prints its code, whatever the protocol.
func TestUnservedServiceCLI(t *testing.T) {
	aws, err := exec.LookPath("aws")
	if err != nil {
		t.Fatalf("the aws CLI is needed for this test: %v", err)
	}
	h := newHarness(t, nil)
	h.mu.Lock()
	h.now = time.Now() // the CLI signs with the real clock
	h.mu.Unlock()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"sso-admin", "list-instances"}, "An error occurred (UnknownOperationException) when calling the ListInstances operation: "},
		{[]string{"organizations", "list-accounts"}, "An error occurred (UnknownOperationException) when calling the ListAccounts operation: "},
		{[]string{"sns", "list-topics"}, "An error occurred (InvalidAction) when calling the ListTopics operation: "},
		{[]string{"ec2", "describe-regions"}, "An error occurred (InvalidAction) when calling the DescribeRegions operation: "},
		{[]string{"lambda", "list-functions"}, "An error occurred (UnknownOperationException) when calling the ListFunctions operation: "},
		{[]string{"s3api", "list-buckets"}, "An error occurred (NotImplemented) when calling the ListBuckets operation: "},
	} {
		cmd := exec.Command(aws, append(c.args, "--endpoint-url", h.url, "--region", "us-east-1")...)
		cmd.Env = []string{"AWS_ACCESS_KEY_ID=" + rootKeyID, "AWS_SECRET_ACCESS_KEY=" + rootSecret, "AWS_MAX_ATTEMPTS=1",
			"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "HOME=" + t.TempDir(), "PATH=/usr/bin:/bin:" + strings.TrimSuffix(aws, "/aws")}
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); err == nil {
			t.Errorf("aws %s succeeded", strings.Join(c.args, " "))
		}
		if got := stderr.String(); !strings.Contains(got, c.want) || !strings.Contains(got, "is not served by this endpoint") {
			t.Errorf("aws %s:\n%s\nwant %q", strings.Join(c.args, " "), got, c.want)
		}
	}
}
