package legacy

// Fields, parameters and return codes every legacy service shares (VPC at
// /vpc/v2, VServer at /vserver/v2; ncp-api.md §5.1-§5.5).

// Response holds the fields every successful legacy response carries.
type Response struct {
	RequestID     string `json:"requestId" xml:"requestId"`
	ReturnCode    string `json:"returnCode" xml:"returnCode"`
	ReturnMessage string `json:"returnMessage" xml:"returnMessage"`
	TotalRows     int    `json:"totalRows" xml:"totalRows"`
}

// CommonCode is NCP's {code, codeName} pair (statuses, types).
type CommonCode struct {
	Code     string `json:"code" xml:"code"`
	CodeName string `json:"codeName" xml:"codeName"`
}

// Paging parameters of the list actions (ncp-api.md §5.3): pageSize is
// required when pageNo is given; without pageNo everything is returned.
const (
	ParamPageNo   = "pageNo"
	ParamPageSize = "pageSize"
)

// MaxPageSize is the largest pageSize the list actions accept. The guide
// states 1-1000 for vserver getAccessControlGroupList; the VPC list actions
// are assumed to share it [?].
const MaxPageSize = 1000

// MaxPageNo is the largest pageNo: the guide types pageNo as Integer and the
// official SDK sends it as an int32, so a larger value cannot be a page
// number.
const MaxPageNo = 1<<31 - 1

// Return codes shared by the legacy services. "0" is success. Codes marked
// [C] come from the official provider; the rest are [?]: NCP does not
// document them, so ncplocal and the client agree on these values and both
// treat them only through the names below.
const (
	ReturnCodeSuccess = "0"

	CodeAuthority        = "800"     // [C] authority parameter
	CodeUnknown          = "1300"    // [C] unknown error
	CodeInvalidParameter = "1000036" // [?] a parameter is missing or malformed
)
