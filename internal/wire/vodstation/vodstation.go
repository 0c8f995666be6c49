// Package vodstation holds the wire facts of NCP's VOD Station API v2
// (ncp-api.md §2): where it lives and its error codes. Answers are JSON,
// wrapped as {"content": ...} (lists also carry "total"); errors use the API
// Gateway envelope {"error":{"errorCode","message","details"}}.
package vodstation

// PathPrefix is where the API lives on the VOD Station gateway host.
const PathPrefix = "/api/v2"

// Error codes [C] (ncp-api.md §2.6, the VOD Station error page). NCP does not
// document the HTTP status of each code [?]; the client classifies them by
// code, not by status.
const (
	CodeUnexpected             = "260000" // unexpected error
	CodeInvalidInput           = "260002" // input value error
	CodeMissingHeader          = "260003" // a required header is missing
	CodeNotFound               = "260004" // not found
	CodeNoPermission           = "260006" // the resource is not the caller's
	CodeRequestFailed          = "260008" // request failed
	CodeInternal               = "260009" // internal error
	CodeSubAccountNoPermission = "260010" // a sub-account lacks the permission
	CodeInvalidValue           = "260011" // must have a valid value
	CodeUnsupportedProtocol    = "260012" // unsupported protocol
	CodeInvalidSegmentDuration = "260013" // segmentDuration outside 5-20 s
	CodeInvalidChannelID       = "260017" // no channel has this ID
	CodeInvalidBucketName      = "260021" // invalid bucket name
	CodeStartOnlyWhenStopped   = "260022" // start needs a STOPPED channel
	CodeStopOnlyWhenReady      = "260023" // stop needs a READY channel
	CodeDeleteOnlyWhenStopped  = "260024" // delete needs a STOPPED channel
	CodeInvalidPageNo          = "260025" // pageNo must be 1 or more
	CodeInvalidDate            = "260026" // invalid date format
	CodeUnsupportedCdnType     = "260028" // unsupported CDN type
	CodeEmptyProtocolList      = "260029" // protocolList must not be empty
	CodeCdnPlusOnly            = "260030" // the CDN type must be CDN+
	CodeInvalidChannelName     = "260032" // channel name: 3-20 letters, digits or '-'
	CodeInvalidRequestData     = "260033" // invalid request data
)

// Further codes of the error page [C] that ncplocal does not answer yet.
const (
	CodeDrmValidationFirst = "260034" // 260034-260041: encryption and DRM validation
)
