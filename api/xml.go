package api

import (
	"encoding/xml"
	"strings"
	"time"
)

// members is a Query-protocol list: <Name><member>...</member></Name>.
// It always writes its element, so an empty list reads as empty (not
// missing) in every SDK.
type members[T any] []T

// MarshalXML writes the list and its member elements.
func (m members[T]) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	if err := e.EncodeToken(start); err != nil {
		return err
	}
	for _, item := range m {
		if err := e.EncodeElement(item, xml.StartElement{Name: xml.Name{Local: "member"}}); err != nil {
			return err
		}
	}
	return e.EncodeToken(start.End())
}

// awsTime formats as AWS's Query services do: 2006-01-02T15:04:05Z.
type awsTime time.Time

// MarshalText formats the time in UTC with second precision.
func (t awsTime) MarshalText() ([]byte, error) {
	return []byte(time.Time(t).UTC().Format("2006-01-02T15:04:05Z")), nil
}

// encodePolicyDocument URL-encodes a policy document as IAM returns it
// (RFC 3986: everything but unreserved characters is percent-encoded).
func encodePolicyDocument(doc string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(doc) * 2)
	for i := 0; i < len(doc); i++ {
		c := doc[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}
