package api

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gatehouse-dev/gatehouse"
)

// taxStatus holds the statuses of the taxsettings model (2018-05-10)
// that differ from those of the other REST-JSON services
// (restJSONStatus): its AccessDeniedException is 401, not 403.
var taxStatus = map[string]int{
	"AccessDeniedException":              http.StatusUnauthorized,
	"CaseCreationLimitExceededException": http.StatusRequestEntityTooLarge,
}

// writeTaxError writes a Tax Settings error: {"errorCode", "message"}
// and, for ValidationException, "fieldList" of names.
func writeTaxError(w http.ResponseWriter, requestID, code, message string, err error) {
	if c, ok := restJSONCodes[code]; ok {
		code = c
	}
	status, ok := taxStatus[code]
	if !ok {
		status, ok = restJSONStatus[code]
	}
	if !ok {
		status = statusOf(code)
	}
	type field struct {
		Name string `json:"name"`
	}
	body := struct {
		ErrorCode string  `json:"errorCode"`
		Message   string  `json:"message"`
		FieldList []field `json:"fieldList,omitempty"`
	}{ErrorCode: strings.TrimSuffix(code, "Exception"), Message: message}
	var ve *gatehouse.ValidationError
	if code == "ValidationException" {
		body.ErrorCode = "FieldValidationFailed"
		if errors.As(err, &ve) {
			if ve.Reason == "MissingInput" || ve.Reason == "InvalidToken" {
				body.ErrorCode = ve.Reason
			}
			for _, f := range ve.Fields {
				body.FieldList = append(body.FieldList, field{f.Name})
			}
		}
	}
	b, _ := marshalJSON(body)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-Requestid", requestID)
	w.Header().Set("X-Amzn-Errortype", code)
	w.WriteHeader(status)
	w.Write(b)
}
