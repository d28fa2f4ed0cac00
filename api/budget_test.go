package api_test

import (
	"encoding/xml"
	"fmt"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// bodyLimit is the server's limit on request bodies (api.maxBodyBytes).
const bodyLimit = 1 << 20

// maxParams is the most parameters a query string may have: Go's
// url.ParseQuery refuses more (GODEBUG urlmaxqueryparams), and the server
// answers MalformedQueryString.
const maxParams = 10000

// filler fills a Query form up to the body limit.
type filler struct {
	f      url.Values
	size   int // the encoded size, an upper bound
	params int
}

func newFiller(f url.Values) *filler { return &filler{f: f, size: len(f.Encode()), params: len(f)} }

// add adds key=value if the form stays within the limits.
func (b *filler) add(key, value string) bool {
	n := len(url.QueryEscape(key)) + len(url.QueryEscape(value)) + 2
	if b.size+n > bodyLimit || b.params >= maxParams {
		return false
	}
	b.f.Add(key, value)
	b.size += n
	b.params++
	return true
}

// list adds members list.member.<first>, ... made by item, at most n of
// them (n < 0: as many as fit), and returns how many it added.
func (b *filler) list(list string, first, n int, item func(i int) string) int {
	added := 0
	for i := first; n < 0 || added < n; i++ {
		if !b.add(fmt.Sprintf("%s.member.%d", list, i), item(i)) {
			break
		}
		added++
	}
	return added
}

// document is a policy document of statements made by stmt, as long as
// policyDocumentType allows (131072 characters) or as the body still has
// room for, whichever is shorter.
func (b *filler) document(stmt func(i int) string) string {
	room := min(131072, (bodyLimit-b.size)/3) // form encoding at most triples JSON
	var s strings.Builder
	s.WriteString(`{"Version":"2012-10-17","Statement":[`)
	for i := 0; ; i++ {
		st := stmt(i)
		if s.Len()+len(st)+3 > room {
			break
		}
		if i > 0 {
			s.WriteByte(',')
		}
		s.WriteString(st)
	}
	s.WriteString(`]}`)
	return s.String()
}

// documents adds policy documents to list, from list.member.<first>,
// until the body is full.
func (b *filler) documents(list string, first int, stmt func(i int) string) {
	for n := first; ; n++ {
		d := b.document(stmt)
		if len(d) < 100 || !b.add(fmt.Sprintf("%s.member.%d", list, n), d) {
			return
		}
	}
}

func actionName(i int) string { return "s3:GetObject" + strconv.Itoa(i) }

// TestResourceBudget sends, for every operation that takes a list, the
// largest requests the body limit (1 MiB) and the service model's
// constraints allow, shaped to cost the server the most, and checks that
// each stays under a time and an allocation bound. It prints the figures.
// The policy simulator rows are the finding of issue 8 (1,000 actions ×
// 6,000 resources took 14 s and 2.3 GB) and the shapes that made single
// decisions expensive.
func TestResourceBudget(t *testing.T) {
	if testing.Short() {
		t.Skip("sends megabyte requests")
	}
	h := newHarness(t, nil)
	mustOK := func(f url.Values) []byte {
		t.Helper()
		r := h.send(t, "iam", rootKey, f)
		if r.status != 200 {
			t.Fatalf("%s: %d %s", f.Get("Action"), r.status, r.body)
		}
		return r.body
	}
	mustOK(iamForm("CreateUser", "UserName", "reader"))
	mustOK(iamForm("AttachUserPolicy", "UserName", "reader", "PolicyArn", "arn:aws:iam::aws:policy/IAMReadOnlyAccess"))
	var k struct {
		ID     string `xml:"CreateAccessKeyResult>AccessKey>AccessKeyId"`
		Secret string `xml:"CreateAccessKeyResult>AccessKey>SecretAccessKey"`
	}
	if err := xml.Unmarshal(mustOK(iamForm("CreateAccessKey", "UserName", "reader")), &k); err != nil {
		t.Fatal(err)
	}
	reader := key{id: k.ID, secret: k.Secret}
	mustOK(iamForm("CreateRole", "RoleName", "budget", "AssumeRolePolicyDocument",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}`))
	mustOK(iamForm("CreatePolicy", "PolicyName", "budget", "PolicyDocument",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`))
	mustOK(iamForm("PutUserPolicy", "UserName", "reader", "PolicyName", "assume", "PolicyDocument",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::123456789012:role/budget"}]}`))
	readerARN := "arn:aws:iam::123456789012:user/reader"
	policyARN := "arn:aws:iam::123456789012:policy/budget"

	starStmt := func(int) string { return `{"Effect":"Allow","Action":"*","Resource":"*"}` }
	cases := []struct {
		name    string
		service string // iam, sts, account
		k       key
		build   func(b *filler)
		json    func() string // the account service's REST-JSON body, instead of build
		op      string        // the REST-JSON operation
		status  int           // 0: any answer but a server error
	}{
		{name: "SimulatePrincipalPolicy: 1,000 actions × 6,000 resources (the finding)", service: "iam", k: reader, status: 200,
			build: func(b *filler) {
				b.add("PolicySourceArn", readerARN)
				b.add("MaxItems", "1000")
				b.list("ActionNames", 1, 1000, actionName)
				b.list("ResourceArns", 1, 6000, func(i int) string { return fmt.Sprintf("arn:aws:s3:::bucket/key-%d", i) })
			}},
		{name: "SimulatePrincipalPolicy: actions × resources filling the body", service: "iam", k: reader, status: 200,
			build: func(b *filler) {
				b.add("PolicySourceArn", readerARN)
				b.add("MaxItems", "1000")
				b.list("ActionNames", 1, (maxParams-b.params)/2, func(i int) string { return "s3:G" + strconv.Itoa(i) })
				b.list("ResourceArns", 1, -1, func(i int) string { return "r" + strconv.Itoa(i) })
			}},
		{name: "SimulateCustomPolicy: policies of statements that all match, 1,000 actions", service: "iam", k: reader, status: 200,
			build: func(b *filler) {
				b.add("MaxItems", "1000")
				b.list("ActionNames", 1, 1000, actionName)
				b.documents("PolicyInputList", 1, starStmt)
			}},
		{name: "SimulateCustomPolicy: resource heads × wildcard statements × action names", service: "iam", k: reader, status: 200,
			build: func(b *filler) {
				b.add("MaxItems", "1000")
				b.list("ActionNames", 1, 40, actionName)
				b.list("ResourceArns", 1, 25, func(i int) string { return fmt.Sprintf("arn:aws:s3:::b%d/x", i) })
				heads := b.document(func(i int) string {
					return `{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::b` + strconv.Itoa(i) + `/x"}`
				})
				b.add("PolicyInputList.member.1", heads)
				var names strings.Builder
				names.WriteString(`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Resource":"arn:aws:s3:::b/x","Action":[`)
				for i := 0; names.Len() < 100000; i++ {
					fmt.Fprintf(&names, `"s3:a%d",`, i)
				}
				names.WriteString(`"s3:z"]}]}`)
				b.add("PolicyInputList.member.2", names.String())
				b.documents("PolicyInputList", 3, starStmt)
			}},
		{name: "SimulateCustomPolicy: condition values × context values", service: "iam", k: reader, status: 500,
			build: func(b *filler) {
				b.add("ActionNames.member.1", "s3:GetObject")
				b.add("ContextEntries.member.1.ContextKeyName", "aws:TagKeys")
				b.add("ContextEntries.member.1.ContextKeyType", "stringList")
				b.list("ContextEntries.member.1.ContextKeyValues", 1, 9000, func(i int) string { return "a" + strconv.Itoa(i) })
				var values []string
				for i := 0; len(values)*8 < 100000; i++ {
					values = append(values, fmt.Sprintf(`"b%d*"`, i))
				}
				doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"ForAnyValue:StringLike":{"aws:TagKeys":[` +
					strings.Join(values, ",") + `]}}}]}`
				for n := 1; b.add(fmt.Sprintf("PolicyInputList.member.%d", n), doc); n++ {
				}
			}},
		{name: "SimulateCustomPolicy: date conditions × valid dates, 1,000 actions", service: "iam", k: reader, status: 200,
			build: func(b *filler) {
				b.add("MaxItems", "1000")
				b.list("ActionNames", 1, 1000, actionName)
				b.add("ContextEntries.member.1.ContextKeyName", "aws:CurrentTime")
				b.add("ContextEntries.member.1.ContextKeyType", "date")
				b.add("ContextEntries.member.1.ContextKeyValues.member.1", "2025-03-14T15:09:26Z")
				b.documents("PolicyInputList", 1, func(int) string {
					return `{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"DateLessThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}}`
				})
			}},
		{name: "SimulateCustomPolicy: date conditions × values that are no dates", service: "iam", k: reader, status: 500,
			build: func(b *filler) {
				b.add("MaxItems", "1000")
				b.list("ActionNames", 1, 1000, actionName)
				b.add("ContextEntries.member.1.ContextKeyName", "aws:CurrentTime")
				b.add("ContextEntries.member.1.ContextKeyType", "dateList")
				b.list("ContextEntries.member.1.ContextKeyValues", 1, 2000, func(i int) string {
					return "2006-01-02T15:04:05.999999999Zgarbage" + strconv.Itoa(i)
				})
				b.documents("PolicyInputList", 1, func(int) string {
					return `{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}}`
				})
			}},
		{name: "SimulateCustomPolicy: 2048-character resources of colons against arn:*:*:*:*:x", service: "iam", k: reader, status: 200,
			build: func(b *filler) {
				b.add("MaxItems", "1000")
				b.add("PolicyInputList.member.1", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"arn:*:*:*:*:x"}]}`)
				b.add("ActionNames.member.1", "s3:GetObject")
				b.list("ResourceArns", 1, -1, func(i int) string { return "arn:" + strings.Repeat(":", 2040) + strconv.Itoa(i) })
			}},
		{name: "SimulateCustomPolicy: thousands of missing context keys per result", service: "iam", k: reader, status: 200,
			build: func(b *filler) {
				b.add("MaxItems", "1000")
				b.list("ActionNames", 1, 1000, actionName)
				b.documents("PolicyInputList", 1, func(i int) string {
					return fmt.Sprintf(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"k:%d":"v"}}}`, i)
				})
			}},
		{name: "SimulateCustomPolicy: statements that all apply and never match, 1,000 actions", service: "iam", k: reader, status: 200,
			build: func(b *filler) {
				b.add("MaxItems", "1000")
				b.list("ActionNames", 1, 1000, actionName)
				b.documents("PolicyInputList", 1, func(i int) string {
					return `{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Null":{"aws:TagKeys":"false"}}}`
				})
			}},
		{name: "SimulateCustomPolicy: context entries filling the body", service: "iam", k: reader, status: 200,
			build: func(b *filler) {
				b.add("MaxItems", "1000")
				b.add("PolicyInputList.member.1", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"ctx:key1":"v"}}}]}`)
				b.list("ActionNames", 1, 1000, actionName)
				for i := 1; b.add(fmt.Sprintf("ContextEntries.member.%d.ContextKeyName", i), "ctx:key"+strconv.Itoa(i)) &&
					b.add(fmt.Sprintf("ContextEntries.member.%d.ContextKeyValues.member.1", i), "v"); i++ {
				}
			}},
		{name: "GetContextKeysForCustomPolicy: policies of distinct condition keys", service: "iam", k: reader, status: 200,
			build: func(b *filler) {
				b.documents("PolicyInputList", 1, func(i int) string {
					return fmt.Sprintf(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Null":{"k:%d":"false"}}}`, i)
				})
			}},
		{name: "GetContextKeysForPrincipalPolicy: policies of distinct condition keys", service: "iam", k: reader, status: 200,
			build: func(b *filler) {
				b.add("PolicySourceArn", readerARN)
				b.documents("PolicyInputList", 1, func(i int) string {
					return fmt.Sprintf(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Null":{"k:%d":"false"}}}`, i)
				})
			}},
		{name: "GetAccountAuthorizationDetails: Filter", service: "iam", k: reader, status: 0,
			build: func(b *filler) { b.list("Filter", 1, -1, func(int) string { return "User" }) }},
		{name: "TagUser: Tags", service: "iam", k: rootKey, status: 0,
			build: func(b *filler) { b.add("UserName", "reader"); tagList(b, "Tags") }},
		{name: "UntagUser: TagKeys", service: "iam", k: rootKey, status: 0,
			build: func(b *filler) { b.add("UserName", "reader"); b.list("TagKeys", 1, -1, tagKey) }},
		{name: "CreateUser: Tags", service: "iam", k: rootKey, status: 0,
			build: func(b *filler) { b.add("UserName", "tagged"); tagList(b, "Tags") }},
		{name: "TagRole: Tags", service: "iam", k: rootKey, status: 0,
			build: func(b *filler) { b.add("RoleName", "budget"); tagList(b, "Tags") }},
		{name: "UntagRole: TagKeys", service: "iam", k: rootKey, status: 0,
			build: func(b *filler) { b.add("RoleName", "budget"); b.list("TagKeys", 1, -1, tagKey) }},
		{name: "CreateRole: Tags", service: "iam", k: rootKey, status: 0,
			build: func(b *filler) {
				b.add("RoleName", "tagged")
				b.add("AssumeRolePolicyDocument", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}`)
				tagList(b, "Tags")
			}},
		{name: "TagPolicy: Tags", service: "iam", k: rootKey, status: 0,
			build: func(b *filler) { b.add("PolicyArn", policyARN); tagList(b, "Tags") }},
		{name: "UntagPolicy: TagKeys", service: "iam", k: rootKey, status: 0,
			build: func(b *filler) { b.add("PolicyArn", policyARN); b.list("TagKeys", 1, -1, tagKey) }},
		{name: "CreatePolicy: Tags", service: "iam", k: rootKey, status: 0,
			build: func(b *filler) {
				b.add("PolicyName", "tagged")
				b.add("PolicyDocument", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`)
				tagList(b, "Tags")
			}},
		{name: "CreateVirtualMFADevice: Tags", service: "iam", k: rootKey, status: 0,
			build: func(b *filler) { b.add("VirtualMFADeviceName", "tagged"); tagList(b, "Tags") }},
		{name: "AssumeRole: Tags", service: "sts", k: reader, status: 0,
			build: func(b *filler) {
				b.add("RoleArn", "arn:aws:iam::123456789012:role/budget")
				b.add("RoleSessionName", "budget")
				tagList(b, "Tags")
			}},
		{name: "AssumeRole: PolicyArns", service: "sts", k: reader, status: 0,
			build: func(b *filler) {
				b.add("RoleArn", "arn:aws:iam::123456789012:role/budget")
				b.add("RoleSessionName", "budget")
				for i := 1; b.add(fmt.Sprintf("PolicyArns.member.%d.arn", i), policyARN); i++ {
				}
			}},
		{name: "ListRegions: RegionOptStatusContains", service: "account", k: rootKey, op: "ListRegions", status: 0,
			json: func() string {
				var s strings.Builder
				s.WriteString(`{"RegionOptStatusContains":[`)
				for i := 0; s.Len() < bodyLimit-20; i++ {
					if i > 0 {
						s.WriteByte(',')
					}
					s.WriteString(`"ENABLED"`)
				}
				s.WriteString(`]}`)
				return s.String()
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var body string
			var send func() response
			switch {
			case c.json != nil:
				body = c.json()
				send = func() response { return h.sendJSON(t, c.op, c.k, body) }
			default:
				action, _, _ := strings.Cut(c.name, ":")
				f := iamForm(action)
				if c.service == "sts" {
					f = stsForm(action)
				}
				b := newFiller(f)
				c.build(b)
				body = f.Encode()
				send = func() response { return h.send(t, c.service, c.k, f) }
			}
			if len(body) > bodyLimit {
				t.Fatalf("body of %d bytes, over the limit", len(body))
			}
			r, elapsed, alloc := measure(send)
			t.Logf("%-80s body %7d B  HTTP %d  %9v  %7.1f MB allocated  answer %8d B", c.name, len(body), r.status,
				elapsed.Round(time.Millisecond), float64(alloc)/(1<<20), len(r.body))
			if c.status == 0 && r.status >= 500 || c.status != 0 && r.status != c.status {
				t.Errorf("HTTP %d, want %d: %.300s", r.status, c.status, r.body)
			}
			if elapsed > budgetTime || alloc > budgetAlloc {
				t.Errorf("took %v and allocated %.1f MB, want at most %v and %d MB", elapsed, float64(alloc)/(1<<20), budgetTime, budgetAlloc>>20)
			}
		})
	}
}

// What one request may cost. Generous for a loaded 2-core machine under
// the race detector; the simulator's answer to the finding took 14 s and
// 2.3 GB.
const (
	budgetTime  = 5 * time.Second
	budgetAlloc = 96 << 20
)

// measure sends one request and returns how long it took and how many
// bytes the process allocated meanwhile (client, server and encoding).
func measure(send func() response) (response, time.Duration, uint64) {
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	r := send()
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)
	return r, elapsed, after.TotalAlloc - before.TotalAlloc
}

func tagKey(i int) string { return "k" + strconv.Itoa(i) }

// tagList fills the body with Tags.member.N.Key/Value pairs.
func tagList(b *filler, list string) {
	for i := 1; b.add(fmt.Sprintf("%s.member.%d.Key", list, i), tagKey(i)) && b.add(fmt.Sprintf("%s.member.%d.Value", list, i), "v"); i++ {
	}
}

// BenchmarkSimulatePrincipalPolicyPage answers one page of the finding's
// simulation (1,000 actions × 6,000 resources, for a user with a managed
// and an inline policy) through the HTTP handler, signed.
func BenchmarkSimulatePrincipalPolicyPage(b *testing.B) {
	h := newHarness(b, nil)
	for _, f := range []url.Values{
		iamForm("CreateUser", "UserName", "bench"),
		iamForm("AttachUserPolicy", "UserName", "bench", "PolicyArn", "arn:aws:iam::aws:policy/IAMReadOnlyAccess"),
		iamForm("PutUserPolicy", "UserName", "bench", "PolicyName", "s3", "PolicyDocument", `{"Version":"2012-10-17","Statement":[
			{"Effect":"Allow","Action":"s3:GetObject*","Resource":"arn:aws:s3:::bucket/key-1*"},
			{"Effect":"Deny","Action":"s3:*","Resource":"arn:aws:s3:::bucket/key-2*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`),
	} {
		if r := h.send(b, "iam", rootKey, f); r.status != 200 {
			b.Fatalf("%s: %d %s", f.Get("Action"), r.status, r.body)
		}
	}
	for _, maxItems := range []string{"100", "1000"} {
		b.Run("MaxItems="+maxItems, func(b *testing.B) {
			f := iamForm("SimulatePrincipalPolicy", "PolicySourceArn", "arn:aws:iam::123456789012:user/bench", "MaxItems", maxItems)
			fill := newFiller(f)
			fill.list("ActionNames", 1, 1000, actionName)
			fill.list("ResourceArns", 1, 6000, func(i int) string { return fmt.Sprintf("arn:aws:s3:::bucket/key-%d", i) })
			b.ReportAllocs()
			for b.Loop() {
				if r := h.send(b, "iam", rootKey, f); r.status != 200 {
					b.Fatalf("%d %.300s", r.status, r.body)
				}
			}
		})
	}
}
