package catalog

import "bytes"

// DecodeEmbedded decodes the embedded data afresh, the way Default does on
// its first call.
func DecodeEmbedded() (*Catalog, error) {
	return decode(bytes.NewReader(embedded), gzipSize(embedded))
}
