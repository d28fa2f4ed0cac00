package restxml

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse"
)

func TestWriteError(t *testing.T) {
	tests := []struct {
		code     gatehouse.Code
		status   int
		wireCode string
	}{
		{"NotImplemented", 501, "NotImplemented"},
		{"InvalidClientTokenId", 403, "InvalidAccessKeyId"},
		{"MissingAuthenticationToken", 403, "AccessDenied"},
		{"ExpiredToken", 400, "ExpiredToken"},
		{gatehouse.CodeInternal, 500, "InternalError"},
		{"SignatureDoesNotMatch", 403, "SignatureDoesNotMatch"},
	}
	for _, tt := range tests {
		w := httptest.NewRecorder()
		wrote := Codec{}.WriteError(w, "r", tt.code, "m", nil)
		want := `<Error><Code>` + tt.wireCode + `</Code><Message>m</Message><RequestId>r</RequestId><HostId>r</HostId></Error>`
		if wrote != tt.wireCode || w.Code != tt.status || !strings.HasSuffix(w.Body.String(), want) || w.Header().Get("X-Amz-Request-Id") != "r" {
			t.Errorf("%s: %d %s, want %d %s", tt.code, w.Code, w.Body, tt.status, want)
		}
	}
}
