package query

import (
	"net/http"

	"github.com/gatehouse-dev/gatehouse"
)

// spelling is how the Query services (IAM and STS) spell the domain's
// error codes.
var spelling = map[gatehouse.Code]string{
	gatehouse.CodeNotFound:                "NoSuchEntity",
	gatehouse.CodeAlreadyExists:           "EntityAlreadyExists",
	gatehouse.CodeConflict:                "EntityTemporarilyUnmodifiable",
	gatehouse.CodeDeleteConflict:          "DeleteConflict",
	gatehouse.CodeConcurrentModification:  "ConcurrentModification",
	gatehouse.CodeLimit:                   "LimitExceeded",
	gatehouse.CodeInvalid:                 "ValidationError",
	gatehouse.CodeInvalidInput:            "InvalidInput",
	gatehouse.CodeInvalidParameter:        "InvalidParameterValue",
	gatehouse.CodeMalformedPolicy:         "MalformedPolicyDocument",
	gatehouse.CodeNotAttachable:           "PolicyNotAttachable",
	gatehouse.CodeUnmodifiable:            "UnmodifiableEntity",
	gatehouse.CodeDenied:                  "AccessDenied",
	gatehouse.CodeInvalidMFACode:          "InvalidAuthenticationCode",
	gatehouse.CodePasswordPolicyViolation: "PasswordPolicyViolation",
	gatehouse.CodeInvalidUserType:         "InvalidUserType",
	gatehouse.CodeReportNotPresent:        "ReportNotPresent",
	gatehouse.CodeReportExpired:           "ReportExpired",
	gatehouse.CodePolicyEvaluation:        "PolicyEvaluation",
	gatehouse.CodeInternal:                "ServiceFailure",
}

// Spell returns the Query spelling of an error code: IAM's and STS's
// code for a domain code, and a wire code the edge raised as it is.
// The other codecs fall back to it for the domain codes their own
// tables do not list.
func Spell(code gatehouse.Code) string {
	if s, ok := spelling[code]; ok {
		return s
	}
	return string(code)
}

// statusByCode is the one table from AWS error codes to HTTP statuses
// (aws-reference §5.3) of the Query services. Codes not listed are
// client errors (400). Every error of the iam and sts botocore models
// has its model's status here (TestErrorStatusesMatchModels walks the
// models), including those Gatehouse does not raise yet.
var statusByCode = map[string]int{
	"NoSuchEntity":               http.StatusNotFound,
	"EntityAlreadyExists":        http.StatusConflict,
	"LimitExceeded":              http.StatusConflict,
	"DeleteConflict":             http.StatusConflict,
	"ConcurrentModification":     http.StatusConflict,
	"MalformedPolicyDocument":    http.StatusBadRequest,
	"InvalidInput":               http.StatusBadRequest,
	"ValidationError":            http.StatusBadRequest,
	"PolicyNotAttachable":        http.StatusBadRequest,
	"UnmodifiableEntity":         http.StatusBadRequest,
	"AccessDenied":               http.StatusForbidden,
	"InvalidAuthenticationCode":  http.StatusForbidden,
	"ServiceFailure":             http.StatusInternalServerError,
	"InvalidAction":              http.StatusBadRequest,
	"MissingAction":              http.StatusBadRequest,
	"MalformedQueryString":       http.StatusNotFound, // sic: AWS's common errors say 404
	"InvalidQueryParameter":      http.StatusBadRequest,
	"MethodNotAllowed":           http.StatusMethodNotAllowed,
	"InvalidClientTokenId":       http.StatusForbidden,
	"SignatureDoesNotMatch":      http.StatusForbidden,
	"IncompleteSignature":        http.StatusBadRequest,
	"MissingAuthenticationToken": http.StatusForbidden,
	"ExpiredToken":               http.StatusForbidden,
	"RequestEntityTooLarge":      http.StatusRequestEntityTooLarge,
	"RequestTimeout":             http.StatusBadRequest, // S3's code for a body that stopped coming
	"IncompleteBody":             http.StatusBadRequest,
	"NotFound":                   http.StatusNotFound,
	"ReportNotPresent":           http.StatusGone,
	"ReportExpired":              http.StatusGone,
	"ReportInProgress":           http.StatusNotFound, // AWS's CredentialReportNotReady
	"PolicyEvaluation":           http.StatusInternalServerError,
	// The models' statuses of errors Gatehouse does not raise yet.
	"EntityTemporarilyUnmodifiable":                  http.StatusConflict,
	"DuplicateCertificate":                           http.StatusConflict,
	"FeatureDisabled":                                http.StatusNotFound,
	"FeatureEnabled":                                 http.StatusConflict,
	"NotSupportedService":                            http.StatusNotFound,
	"ReportGenerationLimitExceeded":                  http.StatusConflict,
	"IDPRejectedClaim":                               http.StatusForbidden, // sts
	"OutboundWebIdentityFederationDisabledException": http.StatusForbidden, // sts
	"RegionDisabledException":                        http.StatusForbidden, // sts
	"SessionDurationEscalationException":             http.StatusForbidden, // sts
}

// Status returns the HTTP status of an error code in the Query
// protocol; the other codecs fall back to it for the codes their own
// tables do not list.
func Status(code string) int {
	if s, ok := statusByCode[code]; ok {
		return s
	}
	return http.StatusBadRequest
}

// Spell is the package's Spell, as the codec's method.
func (Codec) Spell(code gatehouse.Code) string { return Spell(code) }
