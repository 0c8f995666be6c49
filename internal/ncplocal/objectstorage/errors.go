package objectstorage

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"

	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/objectstorage"
)

// s3Error is a failure answered with the S3 error document.
type s3Error struct {
	code    string
	message string
	// header holds extra response headers (Content-Range of InvalidRange).
	header http.Header
	// sig carries the details of a SignatureDoesNotMatch.
	sig *sigDetail
	// region is the region the endpoint expects, for a request signed for
	// another.
	region string
}

// sigDetail is what S3 reveals about a signature mismatch, to help debug a
// client: never the secret or the expected signature.
type sigDetail struct {
	accessKey, stringToSign, provided, canonicalRequest string
}

func (e *s3Error) Error() string { return e.code + ": " + e.message }

// defaultMessages are S3's usual texts for codes raised without one.
var defaultMessages = map[string]string{
	wire.CodeAccessDenied:              "Access Denied",
	wire.CodeBadDigest:                 "The Content-MD5 you specified did not match what we received.",
	wire.CodeBucketAlreadyExists:       "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.",
	wire.CodeBucketAlreadyOwnedByYou:   "Your previous request to create the named bucket succeeded and you already own it.",
	wire.CodeBucketNotEmpty:            "The bucket you tried to delete is not empty",
	wire.CodeEntityTooLarge:            "Your proposed upload exceeds the maximum allowed object size.",
	wire.CodeEntityTooSmall:            "Your proposed upload is smaller than the minimum allowed object size.",
	wire.CodeIncompleteBody:            "You did not provide the number of bytes specified by the Content-Length HTTP header.",
	wire.CodeInternalError:             "We encountered an internal error. Please try again.",
	wire.CodeInvalidAccessKeyID:        "The AWS Access Key Id you provided does not exist in our records.",
	wire.CodeInvalidPart:               "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
	wire.CodeInvalidPartOrder:          "The list of parts was not in ascending order. Parts must be ordered by part number.",
	wire.CodeInvalidRange:              "The requested range is not satisfiable",
	wire.CodeKeyTooLong:                "Your key is too long",
	wire.CodeMalformedXML:              "The XML you provided was not well-formed or did not validate against our published schema.",
	wire.CodeMetadataTooLarge:          "Your metadata headers exceed the maximum allowed metadata size.",
	wire.CodeMethodNotAllowed:          "The specified method is not allowed against this resource.",
	wire.CodeMissingContentLength:      "You must provide the Content-Length HTTP header.",
	wire.CodeNoSuchBucket:              "The specified bucket does not exist",
	wire.CodeNoSuchCORSConfiguration:   "The CORS configuration does not exist",
	wire.CodeNoSuchKey:                 "The specified key does not exist.",
	wire.CodeNoSuchUpload:              "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.",
	wire.CodePreconditionFailed:        "At least one of the pre-conditions you specified did not hold",
	wire.CodeRequestTimeTooSkewed:      "The difference between the request time and the current time is too large.",
	wire.CodeSignatureDoesNotMatch:     "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
	wire.CodeTooManyBuckets:            "You have attempted to create more buckets than allowed",
	wire.CodeXAmzContentSHA256Mismatch: "The provided 'x-amz-content-sha256' header does not match what was computed.",
}

// errCode returns an error with code and S3's usual message for it.
func errCode(code string) *s3Error {
	return &s3Error{code: code, message: defaultMessages[code]}
}

// errorf returns an error with code and a formatted message.
func errorf(code, format string, args ...any) *s3Error {
	return &s3Error{code: code, message: fmt.Sprintf(format, args...)}
}

// notImplemented answers a feature ncplocal does not emulate.
func notImplemented(format string, args ...any) *s3Error {
	return errorf(wire.CodeNotImplemented, "ncplocal does not implement "+format, args...)
}

// asS3Error turns any error into an S3 error; unexpected ones become
// InternalError carrying their text.
func asS3Error(err error) *s3Error {
	var e *s3Error
	if errors.As(err, &e) {
		return e
	}
	return errorf(wire.CodeInternalError, "We encountered an internal error: %v", err)
}

// writeError answers err as an S3 error document. HEAD answers and 304 carry
// no body.
func writeError(w http.ResponseWriter, r *http.Request, requestID string, err error) {
	e := asS3Error(err)
	status := wire.HTTPStatus(e.code)
	for k, vs := range e.header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	if r.Method == http.MethodHead || status == http.StatusNotModified {
		w.WriteHeader(status)
		return
	}
	doc := wire.Error{
		Code:      e.code,
		Message:   e.message,
		Resource:  r.URL.Path,
		RequestID: requestID,
		Region:    e.region,
	}
	if e.sig != nil {
		doc.AWSAccessKeyID = e.sig.accessKey
		doc.StringToSign = e.sig.stringToSign
		doc.SignatureProvided = e.sig.provided
		doc.CanonicalRequest = e.sig.canonicalRequest
	}
	writeXML(w, status, &doc)
}

// writeXML answers v as an XML document with status.
func writeXML(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	buf.WriteString(wire.XMLHeader)
	if err := xml.NewEncoder(&buf).Encode(v); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/xml")
	w.Header().Set("Content-Length", fmt.Sprint(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}
