package query

import (
	"encoding/xml"
	"time"
)

// List is a Query-protocol list: <Name><member>...</member></Name>.
// It always writes its element, so an empty list reads as empty (not
// missing) in every SDK.
type List[T any] []T

// MarshalXML writes the list and its member elements.
func (m List[T]) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
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

// Time formats as AWS's Query services do: 2006-01-02T15:04:05Z.
type Time time.Time

// MarshalText formats the time in UTC with second precision.
func (t Time) MarshalText() ([]byte, error) {
	return []byte(time.Time(t).UTC().Format("2006-01-02T15:04:05Z")), nil
}
