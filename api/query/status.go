package query

import (
	"net/http"

	"github.com/gatehouse-dev/gatehouse"
)

// statusByCode is the one table from AWS error codes to HTTP statuses
// (aws-reference §5.3) of the Query services. Codes not listed are
// client errors (400). Every error of the iam and sts botocore models
// has its model's status here (TestErrorStatusesMatchModels walks the
// models), including those Gatehouse does not raise yet.
var statusByCode = map[string]int{
	gatehouse.ENoSuchEntity:           http.StatusNotFound,
	gatehouse.EEntityAlreadyExists:    http.StatusConflict,
	gatehouse.ELimitExceeded:          http.StatusConflict,
	gatehouse.EDeleteConflict:         http.StatusConflict,
	gatehouse.EConcurrentModification: http.StatusConflict,
	gatehouse.EMalformedPolicy:        http.StatusBadRequest,
	gatehouse.EInvalidInput:           http.StatusBadRequest,
	gatehouse.EValidation:             http.StatusBadRequest,
	gatehouse.EPolicyNotAttachable:    http.StatusBadRequest,
	gatehouse.EUnmodifiableEntity:     http.StatusBadRequest,
	gatehouse.EAccessDenied:           http.StatusForbidden,
	"InvalidAuthenticationCode":       http.StatusForbidden, // gatehouse.EInvalidAuthenticationCode
	gatehouse.EServiceFailure:         http.StatusInternalServerError,
	"InvalidAction":                   http.StatusBadRequest,
	"MissingAction":                   http.StatusBadRequest,
	"MalformedQueryString":            http.StatusNotFound, // sic: AWS's common errors say 404
	"InvalidQueryParameter":           http.StatusBadRequest,
	"MethodNotAllowed":                http.StatusMethodNotAllowed,
	"InvalidClientTokenId":            http.StatusForbidden,
	"SignatureDoesNotMatch":           http.StatusForbidden,
	"IncompleteSignature":             http.StatusBadRequest,
	"MissingAuthenticationToken":      http.StatusForbidden,
	"ExpiredToken":                    http.StatusForbidden,
	"RequestEntityTooLarge":           http.StatusRequestEntityTooLarge,
	"RequestTimeout":                  http.StatusBadRequest, // S3's code for a body that stopped coming
	"IncompleteBody":                  http.StatusBadRequest,
	"NotFound":                        http.StatusNotFound,
	"ReportNotPresent":                http.StatusGone,                // iam.EReportNotPresent
	"ReportExpired":                   http.StatusGone,                // iam.EReportExpired
	"ReportInProgress":                http.StatusNotFound,            // AWS's CredentialReportNotReady
	"PolicyEvaluation":                http.StatusInternalServerError, // authz.EPolicyEvaluation
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
