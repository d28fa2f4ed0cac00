package api_test

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"sort"
	"testing"

	"github.com/gatehouse-dev/gatehouse/api"
)

// modelServices are the served services that have a botocore model:
// Gatehouse's name and botocore's.
var modelServices = []struct{ name, botocore string }{
	{"iam", "iam"},
	{"sts", "sts"},
	{"account", "account"},
	{"tax", "taxsettings"},
	{"invoicing", "invoicing"},
}

// modelErrors is testdata/model_errors.py's answer for one service.
type modelErrors struct {
	Operations map[string]map[string]int `json:"operations"`
	Errors     map[string]int            `json:"errors"`
}

// TestErrorStatusesMatchModels walks the botocore models of the served
// services: for each served operation, each error its model lists with
// an HTTP status must be answered by Gatehouse with that status (and
// that code); and so must every other error shape of the model, since a
// service may answer an error its model does not list for the operation
// (Tax Settings lists AccessDeniedException, 401, only for
// PutTaxExemption, but any operation can be denied).
func TestErrorStatusesMatchModels(t *testing.T) {
	requirePython(t)
	args := []string{"testdata/model_errors.py"}
	for _, s := range modelServices {
		args = append(args, s.botocore)
	}
	cmd := exec.Command("python3", args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("model_errors.py: %v\n%s", err, stderr.String())
	}
	var models map[string]modelErrors
	if err := json.Unmarshal(out, &models); err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, s := range modelServices {
		m, ok := models[s.botocore]
		if !ok || len(m.Operations) == 0 {
			t.Fatalf("no botocore model for %s", s.botocore)
		}
		check := func(where, code string, want int) {
			t.Helper()
			checked++
			status, wire := api.ErrorStatus(s.name, code)
			if status != want || wire != code {
				t.Errorf("%s %s: Gatehouse answers %s with HTTP %d (code %s), the model says %d", s.name, where, code, status, wire, want)
			}
		}
		for _, op := range api.OperationNames(s.name) {
			errs, ok := m.Operations[op]
			if !ok {
				t.Errorf("%s: operation %s is not in the %s model", s.name, op, s.botocore)
				continue
			}
			for _, code := range sortedKeys(errs) {
				check(op, code, errs[code])
			}
		}
		for _, code := range sortedKeys(m.Errors) {
			check("(any operation)", code, m.Errors[code])
		}
	}
	if checked == 0 {
		t.Error("no error status was checked")
	}
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
