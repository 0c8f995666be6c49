// Package objectstorage holds the wire formats of NCP Object Storage, the
// S3-compatible service (ncp-api.md §1.2, §6): the S3 XML documents of the
// bucket, object, listing and multipart operations, the S3 error document and
// its codes, and the bucket-name rules. The provider's client and ncplocal
// both use these types.
//
// Response documents carry the S3 namespace on their root element. Request
// documents (CompleteMultipartUpload, Delete, CORSConfiguration,
// CreateBucketConfiguration, AccessControlPolicy) match their root element by
// local name only, because clients differ in whether they send the namespace.
package objectstorage

import (
	"encoding/xml"
	"time"
)

// Namespace is the XML namespace of every S3 document.
const Namespace = "http://s3.amazonaws.com/doc/2006-03-01/"

// XMLHeader starts every XML body the service writes.
const XMLHeader = `<?xml version="1.0" encoding="UTF-8"?>` + "\n"

// TimeFormat is the ISO 8601 form, with milliseconds, of every timestamp in an
// S3 XML document (CreationDate, LastModified, Initiated).
const TimeFormat = "2006-01-02T15:04:05.000Z"

// FormatTime formats t in UTC as TimeFormat.
func FormatTime(t time.Time) string { return t.UTC().Format(TimeFormat) }

// ParseTime reads a TimeFormat timestamp.
func ParseTime(s string) (time.Time, error) { return time.Parse(TimeFormat, s) }

// DefaultRegion is the region name of the KR Object Storage endpoint
// (kr.object.ncloudstorage.com).
const DefaultRegion = "kr-standard"

// Service limits.
const (
	// MaxBucketsPerAccount is how many buckets one account may own (§6).
	MaxBucketsPerAccount = 1000
	// MaxKeys is the largest page of a listing, and the default size.
	MaxKeys = 1000
	// MaxKeyLength is the longest object key, in bytes of UTF-8.
	MaxKeyLength = 1024
	// MaxObjectSize is the largest body of a single PUT or of one part.
	MaxObjectSize = 5 << 30
	// MinPartSize is the smallest size of every part but the last of a
	// multipart upload.
	MinPartSize = 5 << 20
	// MaxPartNumber is the highest part number of a multipart upload.
	MaxPartNumber = 10000
	// MaxUserMetadataSize bounds the total size of the x-amz-meta-* names
	// and values of one object.
	MaxUserMetadataSize = 2 << 10
	// MaxCORSRules is how many rules one CORS configuration may hold.
	MaxCORSRules = 100
	// MaxDeleteObjects is how many keys one multi-object delete may name.
	MaxDeleteObjects = 1000
)

// Canned ACLs accepted in x-amz-acl (§6).
const (
	ACLPrivate           = "private"
	ACLPublicRead        = "public-read"
	ACLPublicReadWrite   = "public-read-write"
	ACLAuthenticatedRead = "authenticated-read"
)

// ValidCannedACL reports whether acl is one of the canned ACLs NCP accepts.
func ValidCannedACL(acl string) bool {
	switch acl {
	case ACLPrivate, ACLPublicRead, ACLPublicReadWrite, ACLAuthenticatedRead:
		return true
	}
	return false
}

// Grantee groups and permissions of an AccessControlPolicy.
const (
	GroupAllUsers           = "http://acs.amazonaws.com/groups/global/AllUsers"
	GroupAuthenticatedUsers = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"

	GranteeCanonicalUser = "CanonicalUser"
	GranteeGroup         = "Group"

	PermissionFullControl = "FULL_CONTROL"
	PermissionRead        = "READ"
	PermissionWrite       = "WRITE"
	PermissionReadACP     = "READ_ACP"
	PermissionWriteACP    = "WRITE_ACP"
)

// StorageClassStandard is the only storage class of NCP Object Storage.
const StorageClassStandard = "STANDARD"

// Owner is the owner of a bucket, object or upload. ID and DisplayName are
// both the account ID.
type Owner struct {
	ID          string `xml:"ID"`
	DisplayName string `xml:"DisplayName,omitempty"`
}

// Bucket is one entry of ListAllMyBucketsResult.
type Bucket struct {
	Name         string `xml:"Name"`
	CreationDate string `xml:"CreationDate"`
}

// ListAllMyBucketsResult is the ListBuckets (GET /) response.
type ListAllMyBucketsResult struct {
	XMLName xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ListAllMyBucketsResult"`
	Owner   Owner    `xml:"Owner"`
	Buckets []Bucket `xml:"Buckets>Bucket"`
	// ContinuationToken is the token of the next page, set only when the
	// listing was cut at max-buckets.
	ContinuationToken string `xml:"ContinuationToken,omitempty"`
	Prefix            string `xml:"Prefix,omitempty"`
}

// Object is one entry (Contents) of an object listing.
type Object struct {
	Key          string `xml:"Key"`
	LastModified string `xml:"LastModified"`
	ETag         string `xml:"ETag"`
	Size         int64  `xml:"Size"`
	Owner        *Owner `xml:"Owner,omitempty"`
	StorageClass string `xml:"StorageClass"`
}

// CommonPrefix is a key prefix rolled up by a delimiter.
type CommonPrefix struct {
	Prefix string `xml:"Prefix"`
}

// ListBucketResult is the ListObjects (v1) response.
type ListBucketResult struct {
	XMLName        xml.Name       `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ListBucketResult"`
	Name           string         `xml:"Name"`
	Prefix         string         `xml:"Prefix"`
	Marker         string         `xml:"Marker"`
	MaxKeys        int            `xml:"MaxKeys"`
	Delimiter      string         `xml:"Delimiter,omitempty"`
	IsTruncated    bool           `xml:"IsTruncated"`
	NextMarker     string         `xml:"NextMarker,omitempty"`
	EncodingType   string         `xml:"EncodingType,omitempty"`
	Contents       []Object       `xml:"Contents"`
	CommonPrefixes []CommonPrefix `xml:"CommonPrefixes"`
}

// ListBucketResultV2 is the ListObjectsV2 (list-type=2) response.
type ListBucketResultV2 struct {
	XMLName               xml.Name       `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ListBucketResult"`
	Name                  string         `xml:"Name"`
	Prefix                string         `xml:"Prefix"`
	MaxKeys               int            `xml:"MaxKeys"`
	KeyCount              int            `xml:"KeyCount"`
	Delimiter             string         `xml:"Delimiter,omitempty"`
	IsTruncated           bool           `xml:"IsTruncated"`
	ContinuationToken     string         `xml:"ContinuationToken,omitempty"`
	NextContinuationToken string         `xml:"NextContinuationToken,omitempty"`
	StartAfter            string         `xml:"StartAfter,omitempty"`
	EncodingType          string         `xml:"EncodingType,omitempty"`
	Contents              []Object       `xml:"Contents"`
	CommonPrefixes        []CommonPrefix `xml:"CommonPrefixes"`
}

// CopyObjectResult is the CopyObject response.
type CopyObjectResult struct {
	XMLName      xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ CopyObjectResult"`
	LastModified string   `xml:"LastModified"`
	ETag         string   `xml:"ETag"`
}

// CopyPartResult is the UploadPartCopy response.
type CopyPartResult struct {
	XMLName      xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ CopyPartResult"`
	LastModified string   `xml:"LastModified"`
	ETag         string   `xml:"ETag"`
	Checksums
}

// InitiateMultipartUploadResult is the CreateMultipartUpload response.
type InitiateMultipartUploadResult struct {
	XMLName  xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ InitiateMultipartUploadResult"`
	Bucket   string   `xml:"Bucket"`
	Key      string   `xml:"Key"`
	UploadID string   `xml:"UploadId"`
}

// CompletedPart names one part in a CompleteMultipartUpload request.
type CompletedPart struct {
	PartNumber int    `xml:"PartNumber"`
	ETag       string `xml:"ETag"`
	Checksums
}

// CompleteMultipartUpload is the CompleteMultipartUpload request body.
type CompleteMultipartUpload struct {
	XMLName xml.Name        `xml:"CompleteMultipartUpload"`
	Parts   []CompletedPart `xml:"Part"`
}

// CompleteMultipartUploadResult is the CompleteMultipartUpload response.
type CompleteMultipartUploadResult struct {
	XMLName  xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ CompleteMultipartUploadResult"`
	Location string   `xml:"Location"`
	Bucket   string   `xml:"Bucket"`
	Key      string   `xml:"Key"`
	ETag     string   `xml:"ETag"`
	Checksums
	ChecksumType string `xml:"ChecksumType,omitempty"`
}

// Part is one entry of ListPartsResult.
type Part struct {
	PartNumber   int    `xml:"PartNumber"`
	LastModified string `xml:"LastModified"`
	ETag         string `xml:"ETag"`
	Size         int64  `xml:"Size"`
	Checksums
}

// ListPartsResult is the ListParts (GET ?uploadId) response.
type ListPartsResult struct {
	XMLName              xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ListPartsResult"`
	Bucket               string   `xml:"Bucket"`
	Key                  string   `xml:"Key"`
	UploadID             string   `xml:"UploadId"`
	Initiator            Owner    `xml:"Initiator"`
	Owner                Owner    `xml:"Owner"`
	StorageClass         string   `xml:"StorageClass"`
	PartNumberMarker     int      `xml:"PartNumberMarker"`
	NextPartNumberMarker int      `xml:"NextPartNumberMarker"`
	MaxParts             int      `xml:"MaxParts"`
	IsTruncated          bool     `xml:"IsTruncated"`
	Parts                []Part   `xml:"Part"`
}

// Upload is one entry of ListMultipartUploadsResult.
type Upload struct {
	Key          string `xml:"Key"`
	UploadID     string `xml:"UploadId"`
	Initiator    Owner  `xml:"Initiator"`
	Owner        Owner  `xml:"Owner"`
	StorageClass string `xml:"StorageClass"`
	Initiated    string `xml:"Initiated"`
}

// ListMultipartUploadsResult is the ListMultipartUploads (GET ?uploads)
// response.
type ListMultipartUploadsResult struct {
	XMLName            xml.Name       `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ListMultipartUploadsResult"`
	Bucket             string         `xml:"Bucket"`
	KeyMarker          string         `xml:"KeyMarker"`
	UploadIDMarker     string         `xml:"UploadIdMarker"`
	NextKeyMarker      string         `xml:"NextKeyMarker,omitempty"`
	NextUploadIDMarker string         `xml:"NextUploadIdMarker,omitempty"`
	Prefix             string         `xml:"Prefix"`
	Delimiter          string         `xml:"Delimiter,omitempty"`
	MaxUploads         int            `xml:"MaxUploads"`
	IsTruncated        bool           `xml:"IsTruncated"`
	EncodingType       string         `xml:"EncodingType,omitempty"`
	Uploads            []Upload       `xml:"Upload"`
	CommonPrefixes     []CommonPrefix `xml:"CommonPrefixes"`
}

// ObjectIdentifier names one object of a multi-object delete.
type ObjectIdentifier struct {
	Key       string `xml:"Key"`
	VersionID string `xml:"VersionId,omitempty"`
}

// Delete is the DeleteObjects (POST ?delete) request body.
type Delete struct {
	XMLName xml.Name           `xml:"Delete"`
	Quiet   bool               `xml:"Quiet,omitempty"`
	Objects []ObjectIdentifier `xml:"Object"`
}

// DeletedObject reports one key removed by a multi-object delete.
type DeletedObject struct {
	Key       string `xml:"Key"`
	VersionID string `xml:"VersionId,omitempty"`
}

// DeleteError reports one key a multi-object delete could not remove.
type DeleteError struct {
	Key     string `xml:"Key"`
	Code    string `xml:"Code"`
	Message string `xml:"Message"`
}

// DeleteResult is the DeleteObjects response. In quiet mode it lists only
// the errors.
type DeleteResult struct {
	XMLName xml.Name        `xml:"http://s3.amazonaws.com/doc/2006-03-01/ DeleteResult"`
	Deleted []DeletedObject `xml:"Deleted"`
	Errors  []DeleteError   `xml:"Error"`
}

// CreateBucketConfiguration is the optional CreateBucket request body.
type CreateBucketConfiguration struct {
	XMLName            xml.Name `xml:"CreateBucketConfiguration"`
	LocationConstraint string   `xml:"LocationConstraint,omitempty"`
}

// LocationConstraint is the GetBucketLocation response.
type LocationConstraint struct {
	XMLName xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ LocationConstraint"`
	Region  string   `xml:",chardata"`
}

// CORSRule is one rule of a bucket CORS configuration.
type CORSRule struct {
	ID             string   `xml:"ID,omitempty" json:"id,omitempty"`
	AllowedHeaders []string `xml:"AllowedHeader" json:"allowedHeaders,omitempty"`
	AllowedMethods []string `xml:"AllowedMethod" json:"allowedMethods"`
	AllowedOrigins []string `xml:"AllowedOrigin" json:"allowedOrigins"`
	ExposeHeaders  []string `xml:"ExposeHeader" json:"exposeHeaders,omitempty"`
	MaxAgeSeconds  *int     `xml:"MaxAgeSeconds,omitempty" json:"maxAgeSeconds,omitempty"`
}

// CORSConfiguration is the body of PutBucketCors and GetBucketCors.
type CORSConfiguration struct {
	XMLName   xml.Name   `xml:"CORSConfiguration" json:"-"`
	Xmlns     string     `xml:"xmlns,attr,omitempty" json:"-"`
	CORSRules []CORSRule `xml:"CORSRule" json:"rules"`
}

// Grantee is the subject of an ACL grant. Type is the xsi:type attribute,
// CanonicalUser (with ID) or Group (with URI).
type Grantee struct {
	Type         string `xml:"-"`
	ID           string `xml:"ID,omitempty"`
	DisplayName  string `xml:"DisplayName,omitempty"`
	URI          string `xml:"URI,omitempty"`
	EmailAddress string `xml:"EmailAddress,omitempty"`
}

// xsiNamespace is the namespace of the xsi:type attribute.
const xsiNamespace = "http://www.w3.org/2001/XMLSchema-instance"

// granteeXML is Grantee as it is read from a document.
type granteeXML struct {
	Type         string `xml:"type,attr"`
	ID           string `xml:"ID"`
	DisplayName  string `xml:"DisplayName"`
	URI          string `xml:"URI"`
	EmailAddress string `xml:"EmailAddress"`
}

// MarshalXML writes the grantee with xmlns:xsi and xsi:type attributes, as
// S3 does.
func (g Grantee) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	start.Attr = append(start.Attr,
		xml.Attr{Name: xml.Name{Local: "xmlns:xsi"}, Value: xsiNamespace},
		xml.Attr{Name: xml.Name{Local: "xsi:type"}, Value: g.Type})
	type plain struct {
		ID           string `xml:"ID,omitempty"`
		DisplayName  string `xml:"DisplayName,omitempty"`
		URI          string `xml:"URI,omitempty"`
		EmailAddress string `xml:"EmailAddress,omitempty"`
	}
	return e.EncodeElement(plain{g.ID, g.DisplayName, g.URI, g.EmailAddress}, start)
}

// UnmarshalXML reads a grantee; the type attribute is matched in any
// namespace.
func (g *Grantee) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	var x granteeXML
	if err := d.DecodeElement(&x, &start); err != nil {
		return err
	}
	*g = Grantee(x)
	return nil
}

// Grant is one entry of an access control list.
type Grant struct {
	Grantee    Grantee `xml:"Grantee"`
	Permission string  `xml:"Permission"`
}

// AccessControlPolicy is the body of GetBucketAcl / GetObjectAcl, and the
// optional body of PutBucketAcl / PutObjectAcl.
type AccessControlPolicy struct {
	XMLName xml.Name `xml:"AccessControlPolicy"`
	Xmlns   string   `xml:"xmlns,attr,omitempty"`
	Owner   Owner    `xml:"Owner"`
	Grants  []Grant  `xml:"AccessControlList>Grant"`
}

// CannedGrants returns the grants a canned ACL stands for, for owner.
func CannedGrants(acl string, owner Owner) []Grant {
	grants := []Grant{{
		Grantee:    Grantee{Type: GranteeCanonicalUser, ID: owner.ID, DisplayName: owner.DisplayName},
		Permission: PermissionFullControl,
	}}
	group := func(uri, perm string) Grant {
		return Grant{Grantee: Grantee{Type: GranteeGroup, URI: uri}, Permission: perm}
	}
	switch acl {
	case ACLPublicRead:
		grants = append(grants, group(GroupAllUsers, PermissionRead))
	case ACLPublicReadWrite:
		grants = append(grants, group(GroupAllUsers, PermissionRead), group(GroupAllUsers, PermissionWrite))
	case ACLAuthenticatedRead:
		grants = append(grants, group(GroupAuthenticatedUsers, PermissionRead))
	}
	return grants
}

// CannedACLOf returns the canned ACL whose grants equal grants for owner,
// ignoring order and display names, or "" when no canned ACL matches. A
// grantee without a type is a Group when it has a URI, else a CanonicalUser.
func CannedACLOf(grants []Grant, owner Owner) string {
	type key struct{ typ, id, uri, perm string }
	norm := func(gs []Grant) map[key]bool {
		m := make(map[key]bool, len(gs))
		for _, g := range gs {
			typ := g.Grantee.Type
			if typ == "" && g.Grantee.URI != "" {
				typ = GranteeGroup
			} else if typ == "" {
				typ = GranteeCanonicalUser
			}
			m[key{typ, g.Grantee.ID, g.Grantee.URI, g.Permission}] = true
		}
		return m
	}
	got := norm(grants)
	for _, acl := range []string{ACLPrivate, ACLPublicRead, ACLPublicReadWrite, ACLAuthenticatedRead} {
		want := norm(CannedGrants(acl, owner))
		if len(want) != len(got) {
			continue
		}
		same := true
		for k := range want {
			if !got[k] {
				same = false
				break
			}
		}
		if same {
			return acl
		}
	}
	return ""
}
