package objectstorage

import (
	"errors"
	"net/http"

	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/objectstorage"
)

// CodeNotFound is the code the SDK gives a 404 answer without a body: HEAD
// requests (HeadBucket, HeadObject) never carry an S3 error document.
const CodeNotFound = "NotFound"

// MapError turns an error returned by the S3 SDK for operation into a
// *client.Error (nil stays nil). The error keeps the S3 code, message, HTTP
// status and request id (and the host id, in Details) of the answer; when
// there was no answer it wraps the transport failure. idempotent tells
// whether the request could have been resent safely: a non-idempotent one
// that failed with HTTP 502/503/504 or a dropped connection may or may not
// have been carried out, which client.IsAmbiguous then reports.
//
// Kinds, by S3 code first and HTTP status second:
//
//   - NoSuchBucket, NotFound, any 404: client.KindNotFound;
//   - BucketAlreadyOwnedByYou, BucketAlreadyExists, BucketNotEmpty,
//     OperationAborted, any 409: client.KindConflict;
//   - InvalidBucketName and any other 400: client.KindValidation;
//   - AccessDenied, InvalidAccessKeyId, SignatureDoesNotMatch,
//     RequestTimeTooSkewed, any 401/403: client.KindAuth;
//   - SlowDown, any 429: client.KindThrottled;
//   - other 5xx: client.KindServer.
func MapError(operation string, idempotent bool, err error) error {
	return mapError(operation, idempotent, err)
}

func mapError(operation string, idempotent bool, err error) error {
	if err == nil {
		return nil
	}
	e := &client.Error{Service: ServiceName, Operation: operation}

	// The client core's transport classifies connection failures itself
	// (a non-idempotent request cut off after sending is ambiguous).
	var core *client.Error
	if errors.As(err, &core) {
		e.HTTPStatus, e.Code, e.Message, e.Details = core.HTTPStatus, core.Code, core.Message, core.Details
		e.RequestID, e.Kind, e.Err = core.RequestID, core.Kind, core.Err
		if e.Err == nil && e.Code == "" && e.Message == "" {
			e.Err = err
		}
		return e
	}

	var resp *smithyhttp.ResponseError
	if errors.As(err, &resp) {
		e.HTTPStatus = resp.HTTPStatusCode()
	}
	var reqID interface{ ServiceRequestID() string }
	if errors.As(err, &reqID) {
		e.RequestID = reqID.ServiceRequestID()
	}
	var hostID interface{ ServiceHostID() string }
	if errors.As(err, &hostID) && hostID.ServiceHostID() != "" {
		e.Details = "host id " + hostID.ServiceHostID()
	}
	var api smithy.APIError
	if errors.As(err, &api) {
		e.Code, e.Message = api.ErrorCode(), api.ErrorMessage()
	} else {
		// No S3 answer to quote (a transport, signing or decoding failure):
		// keep the cause.
		e.Err = err
	}
	e.Kind = kindOf(e.Code, e.HTTPStatus, idempotent)
	return e
}

// kindOf classifies an S3 failure; see MapError.
func kindOf(code string, status int, idempotent bool) client.Kind {
	// SlowDown refused the request; it is throttling, never ambiguous.
	if !idempotent && code != wire.CodeSlowDown && (status == http.StatusBadGateway || status == http.StatusServiceUnavailable ||
		status == http.StatusGatewayTimeout) {
		return client.KindAmbiguous
	}
	switch code {
	case wire.CodeNoSuchBucket, CodeNotFound:
		return client.KindNotFound
	case wire.CodeBucketAlreadyOwnedByYou, wire.CodeBucketAlreadyExists, wire.CodeBucketNotEmpty, wire.CodeOperationAborted:
		return client.KindConflict
	case wire.CodeInvalidBucketName:
		return client.KindValidation
	case wire.CodeAccessDenied, wire.CodeInvalidAccessKeyID, wire.CodeSignatureDoesNotMatch, wire.CodeRequestTimeTooSkewed:
		return client.KindAuth
	case wire.CodeSlowDown:
		return client.KindThrottled
	}
	switch {
	case status == http.StatusNotFound:
		return client.KindNotFound
	case status == http.StatusConflict:
		return client.KindConflict
	case status == http.StatusBadRequest:
		return client.KindValidation
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return client.KindAuth
	case status == http.StatusTooManyRequests:
		return client.KindThrottled
	case status >= 500:
		return client.KindServer
	}
	return client.KindUnknown
}

// HasCode reports whether err is (or wraps) a *client.Error with the given
// S3 error code, e.g. wire.CodeBucketNotEmpty.
func HasCode(err error, code string) bool {
	var e *client.Error
	return errors.As(err, &e) && e.Code == code
}
