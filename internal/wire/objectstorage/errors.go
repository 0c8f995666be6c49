package objectstorage

import (
	"encoding/xml"
	"net/http"
)

// S3 error codes, with the HTTP status each one is answered with (see
// HTTPStatus).
const (
	CodeAccessDenied                   = "AccessDenied"
	CodeAuthorizationHeaderMalformed   = "AuthorizationHeaderMalformed"
	CodeAuthorizationQueryParamsError  = "AuthorizationQueryParametersError"
	CodeBadDigest                      = "BadDigest"
	CodeBucketAlreadyExists            = "BucketAlreadyExists"
	CodeBucketAlreadyOwnedByYou        = "BucketAlreadyOwnedByYou"
	CodeBucketNotEmpty                 = "BucketNotEmpty"
	CodeEntityTooLarge                 = "EntityTooLarge"
	CodeEntityTooSmall                 = "EntityTooSmall"
	CodeIncompleteBody                 = "IncompleteBody"
	CodeInternalError                  = "InternalError"
	CodeInvalidAccessKeyID             = "InvalidAccessKeyId"
	CodeInvalidArgument                = "InvalidArgument"
	CodeInvalidBucketName              = "InvalidBucketName"
	CodeInvalidDigest                  = "InvalidDigest"
	CodeInvalidPart                    = "InvalidPart"
	CodeInvalidPartOrder               = "InvalidPartOrder"
	CodeInvalidPartNumber              = "InvalidPartNumber"
	CodeInvalidRange                   = "InvalidRange"
	CodeInvalidRequest                 = "InvalidRequest"
	CodeInvalidStorageClass            = "InvalidStorageClass"
	CodeKeyTooLong                     = "KeyTooLongError"
	CodeMalformedACLError              = "MalformedACLError"
	CodeMalformedXML                   = "MalformedXML"
	CodeMaxMessageLengthExceeded       = "MaxMessageLengthExceeded"
	CodeMetadataTooLarge               = "MetadataTooLarge"
	CodeMethodNotAllowed               = "MethodNotAllowed"
	CodeMissingContentLength           = "MissingContentLength"
	CodeMissingSecurityHeader          = "MissingSecurityHeader"
	CodeNoSuchBucket                   = "NoSuchBucket"
	CodeNoSuchCORSConfiguration        = "NoSuchCORSConfiguration"
	CodeNoSuchKey                      = "NoSuchKey"
	CodeNoSuchUpload                   = "NoSuchUpload"
	CodeNotImplemented                 = "NotImplemented"
	CodeNotModified                    = "NotModified"
	CodeOperationAborted               = "OperationAborted"
	CodePreconditionFailed             = "PreconditionFailed"
	CodeRequestTimeTooSkewed           = "RequestTimeTooSkewed"
	CodeSignatureDoesNotMatch          = "SignatureDoesNotMatch"
	CodeTooManyBuckets                 = "TooManyBuckets"
	CodeXAmzContentSHA256Mismatch      = "XAmzContentSHA256Mismatch"
	CodeInvalidLocationConstraint      = "InvalidLocationConstraint"
	CodeIllegalLocationConstraintError = "IllegalLocationConstraintException"
	CodeInvalidTag                     = "InvalidTag"
	CodeNoSuchBucketPolicy             = "NoSuchBucketPolicy"
	CodeNoSuchLifecycleConfiguration   = "NoSuchLifecycleConfiguration"
	CodeNoSuchTagSet                   = "NoSuchTagSet"
	CodeNoSuchWebsiteConfiguration     = "NoSuchWebsiteConfiguration"
	CodeNoSuchEncryptionConfiguration  = "ServerSideEncryptionConfigurationNotFoundError"
)

var statusOf = map[string]int{
	CodeAccessDenied:                   http.StatusForbidden,
	CodeAuthorizationHeaderMalformed:   http.StatusBadRequest,
	CodeAuthorizationQueryParamsError:  http.StatusBadRequest,
	CodeBadDigest:                      http.StatusBadRequest,
	CodeBucketAlreadyExists:            http.StatusConflict,
	CodeBucketAlreadyOwnedByYou:        http.StatusConflict,
	CodeBucketNotEmpty:                 http.StatusConflict,
	CodeEntityTooLarge:                 http.StatusBadRequest,
	CodeEntityTooSmall:                 http.StatusBadRequest,
	CodeIncompleteBody:                 http.StatusBadRequest,
	CodeInternalError:                  http.StatusInternalServerError,
	CodeInvalidAccessKeyID:             http.StatusForbidden,
	CodeInvalidArgument:                http.StatusBadRequest,
	CodeInvalidBucketName:              http.StatusBadRequest,
	CodeInvalidDigest:                  http.StatusBadRequest,
	CodeInvalidPart:                    http.StatusBadRequest,
	CodeInvalidPartOrder:               http.StatusBadRequest,
	CodeInvalidPartNumber:              http.StatusRequestedRangeNotSatisfiable,
	CodeInvalidRange:                   http.StatusRequestedRangeNotSatisfiable,
	CodeInvalidRequest:                 http.StatusBadRequest,
	CodeInvalidStorageClass:            http.StatusBadRequest,
	CodeKeyTooLong:                     http.StatusBadRequest,
	CodeMalformedACLError:              http.StatusBadRequest,
	CodeMalformedXML:                   http.StatusBadRequest,
	CodeMaxMessageLengthExceeded:       http.StatusBadRequest,
	CodeMetadataTooLarge:               http.StatusBadRequest,
	CodeMethodNotAllowed:               http.StatusMethodNotAllowed,
	CodeMissingContentLength:           http.StatusLengthRequired,
	CodeMissingSecurityHeader:          http.StatusBadRequest,
	CodeNoSuchBucket:                   http.StatusNotFound,
	CodeNoSuchCORSConfiguration:        http.StatusNotFound,
	CodeNoSuchKey:                      http.StatusNotFound,
	CodeNoSuchUpload:                   http.StatusNotFound,
	CodeNotImplemented:                 http.StatusNotImplemented,
	CodeNotModified:                    http.StatusNotModified,
	CodeOperationAborted:               http.StatusConflict,
	CodePreconditionFailed:             http.StatusPreconditionFailed,
	CodeRequestTimeTooSkewed:           http.StatusForbidden,
	CodeSignatureDoesNotMatch:          http.StatusForbidden,
	CodeTooManyBuckets:                 http.StatusBadRequest,
	CodeXAmzContentSHA256Mismatch:      http.StatusBadRequest,
	CodeInvalidLocationConstraint:      http.StatusBadRequest,
	CodeIllegalLocationConstraintError: http.StatusBadRequest,
	CodeInvalidTag:                     http.StatusBadRequest,
	CodeNoSuchBucketPolicy:             http.StatusNotFound,
	CodeNoSuchLifecycleConfiguration:   http.StatusNotFound,
	CodeNoSuchTagSet:                   http.StatusNotFound,
	CodeNoSuchWebsiteConfiguration:     http.StatusNotFound,
	CodeNoSuchEncryptionConfiguration:  http.StatusNotFound,
}

// HTTPStatus returns the HTTP status S3 answers code with; unknown codes are
// 500.
func HTTPStatus(code string) int {
	if s, ok := statusOf[code]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// Error is the S3 error document:
// <Error><Code/><Message/><Resource/><RequestId/></Error>. The signature
// Throttling answers. S3 never sends HTTP 429: it throttles with a 503
// whose code is SlowDown, which means the request was refused, not run.
const (
	CodeSlowDown           = "SlowDown"
	CodeServiceUnavailable = "ServiceUnavailable"
)

// fields are filled only for SignatureDoesNotMatch, to help debug a client.
type Error struct {
	XMLName           xml.Name `xml:"Error"`
	Code              string   `xml:"Code"`
	Message           string   `xml:"Message"`
	BucketName        string   `xml:"BucketName,omitempty"`
	Key               string   `xml:"Key,omitempty"`
	Resource          string   `xml:"Resource,omitempty"`
	RequestID         string   `xml:"RequestId"`
	AWSAccessKeyID    string   `xml:"AWSAccessKeyId,omitempty"`
	StringToSign      string   `xml:"StringToSign,omitempty"`
	SignatureProvided string   `xml:"SignatureProvided,omitempty"`
	CanonicalRequest  string   `xml:"CanonicalRequest,omitempty"`

	// Region is the region the endpoint expects, set for a request signed
	// for another one (AuthorizationHeaderMalformed), as S3 does.
	Region string `xml:"Region,omitempty"`
}

// Error implements error.
func (e *Error) Error() string { return e.Code + ": " + e.Message }
