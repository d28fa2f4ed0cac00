package sigv4_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gatehouse-dev/gatehouse/sigv4"
)

// keyStore is the caller's credential store, reduced to one key.
type keyStore struct{}

func (keyStore) SecretKey(_ context.Context, id string) (string, error) {
	if id == "AKIDEXAMPLE" {
		return "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", nil
	}
	return "", sigv4.ErrUnknownKey
}

func ExampleVerifier_Verify() {
	clock := func() time.Time { return time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC) }

	// A client signs an IAM request...
	body := []byte("Action=ListUsers&Version=2010-05-08")
	r, _ := http.NewRequest("POST", "http://localhost:8080/", strings.NewReader(string(body)))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	signer := sigv4.Signer{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
		Region: "us-west-2", Service: "iam", Now: clock}
	if err := signer.Sign(r, body); err != nil {
		panic(err)
	}

	// ...and the server verifies it.
	v := &sigv4.Verifier{Secrets: keyStore{}, Now: clock}
	res, err := v.Verify(context.Background(), r, body)
	if err != nil {
		panic(err)
	}
	fmt.Println(res.AccessKeyID, res.Region, res.Service, res.SignedHeaders)

	// A tampered body is refused with AWS's error.
	_, err = v.Verify(context.Background(), r, []byte("Action=DeleteUser&UserName=alice&Version=2010-05-08"))
	var e *sigv4.Error
	if errors.As(err, &e) {
		fmt.Println(e.Status, e.Code)
	}
	// Output:
	// AKIDEXAMPLE us-west-2 iam [content-type host x-amz-date]
	// 403 SignatureDoesNotMatch
}

func ExampleSigner_Presign() {
	signer := sigv4.Signer{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
		Region: "us-east-1", Service: "sts",
		Now: func() time.Time { return time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC) }}
	r, _ := http.NewRequest("GET", "https://sts.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15", nil)
	u, err := signer.Presign(r, 15*time.Minute)
	if err != nil {
		panic(err)
	}
	for _, p := range strings.Split(u.RawQuery, "&") {
		fmt.Println(p)
	}
	// Output:
	// Action=GetCallerIdentity
	// Version=2011-06-15
	// X-Amz-Algorithm=AWS4-HMAC-SHA256
	// X-Amz-Credential=AKIDEXAMPLE%2F20240101%2Fus-east-1%2Fsts%2Faws4_request
	// X-Amz-Date=20240101T120000Z
	// X-Amz-Expires=900
	// X-Amz-SignedHeaders=host
	// X-Amz-Signature=a5c6ccc8d120a6aedf3d2e37b3b46337ad2b9467daffbef54252eb1a76fb9360
}

func ExampleParseAuthorization() {
	a, err := sigv4.ParseAuthorization("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, " +
		"SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7")
	if err != nil {
		panic(err)
	}
	fmt.Println(a.Credential.AccessKeyID, a.Credential.Service, a.Credential.Scope())
	_, err = sigv4.ParseAuthorization("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam, SignedHeaders=host, Signature=00")
	fmt.Println(err)
	// Output:
	// AKIDEXAMPLE iam 20150830/us-east-1/iam/aws4_request
	// sigv4: IncompleteSignature: Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'AKIDEXAMPLE/20150830/us-east-1/iam'
}
