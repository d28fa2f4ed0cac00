package query

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gatehouse-dev/gatehouse"
)

// Form returns the Query parameters of a request: those of the URL
// (but the X-Amz-* presigned-URL authentication parameters) and those of
// a form body. The two sets must not share a name: a parameter sent in
// both places is refused (InvalidQueryParameter), so neither can override
// the other. A URL query or a form body that does not parse is
// MalformedQueryString. The signature covers both (sigv4 refuses
// UNSIGNED-PAYLOAD outside S3), so every parameter used is signed.
func Form(r *http.Request, body []byte) (url.Values, error) {
	form := url.Values{}
	if ct := r.Header.Get("Content-Type"); len(body) > 0 && (ct == "" || strings.HasPrefix(ct, "application/x-www-form-urlencoded")) {
		parsed, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, gatehouse.Errorf("MalformedQueryString", "The request body is not a valid query string.")
		}
		form = parsed
	}
	query, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, gatehouse.Errorf("MalformedQueryString", "The URL query string is not a valid query string.")
	}
	for k, v := range query {
		if strings.HasPrefix(k, "X-Amz-") {
			continue
		}
		if _, dup := form[k]; dup {
			return nil, gatehouse.Errorf("InvalidQueryParameter",
				"The parameter %s is in both the URL query string and the request body. Send each parameter in one place only.", k)
		}
		form[k] = v
	}
	return form, nil
}
