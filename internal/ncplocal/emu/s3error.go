package emu

import (
	"encoding/xml"
	"net/http"
)

// S3Error is the XML error body of S3-compatible Object Storage
// (ncp-api.md §0.3): <Error><Code>…</Code><Message>…</Message>….
type S3Error struct {
	XMLName   xml.Name `xml:"Error"`
	Code      string   `xml:"Code"`
	Message   string   `xml:"Message"`
	Resource  string   `xml:"Resource,omitempty"`
	RequestID string   `xml:"RequestId,omitempty"`
}

// WriteS3Error writes an S3 XML error with status for request r. The
// resource is r's path and a fresh request id is sent both in the body and
// in the x-amz-request-id header. A HEAD request gets the status only, as
// S3 sends no body for HEAD.
func WriteS3Error(w http.ResponseWriter, r *http.Request, status int, code, message string) {
	e := S3Error{Code: code, Message: message, Resource: r.URL.Path, RequestID: NewS3RequestID()}
	w.Header().Set("x-amz-request-id", e.RequestID)
	b, err := xml.Marshal(e)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	if r.Method == http.MethodHead {
		return
	}
	_, _ = w.Write([]byte(xml.Header))
	_, _ = w.Write(b)
}
