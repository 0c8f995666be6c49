package objectstorage

import "encoding/xml"

// VersioningConfiguration is the GetBucketVersioning response. A bucket on
// which versioning was never enabled has no Status.
type VersioningConfiguration struct {
	XMLName xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ VersioningConfiguration"`
	Status  string   `xml:"Status,omitempty"`
}

// Tag is one key-value pair of an object's tag set.
type Tag struct {
	Key   string `xml:"Key" json:"key"`
	Value string `xml:"Value" json:"value"`
}

// TagSet holds the tags of a Tagging document. It is always written, empty
// for an object without tags, as S3 does (botocore reads TagSet as given).
type TagSet struct {
	Tags []Tag `xml:"Tag"`
}

// Tagging is the body of PutObjectTagging and the GetObjectTagging response.
type Tagging struct {
	XMLName xml.Name `xml:"Tagging"`
	Xmlns   string   `xml:"xmlns,attr,omitempty"`
	TagSet  TagSet   `xml:"TagSet"`
}

// Object tag limits (S3's, which NCP follows [?]).
const (
	MaxObjectTags     = 10
	MaxTagKeyLength   = 128 // characters
	MaxTagValueLength = 256 // characters
)

// Checksums are the flexible checksums of a part or an object in the
// multipart documents (at most one is set). A composite checksum carries
// the part count: "<base64>-<parts>".
type Checksums struct {
	ChecksumCRC32     string `xml:"ChecksumCRC32,omitempty"`
	ChecksumCRC32C    string `xml:"ChecksumCRC32C,omitempty"`
	ChecksumCRC64NVME string `xml:"ChecksumCRC64NVME,omitempty"`
	ChecksumSHA1      string `xml:"ChecksumSHA1,omitempty"`
	ChecksumSHA256    string `xml:"ChecksumSHA256,omitempty"`
}

// Checksum type values (x-amz-checksum-type, ChecksumType).
const (
	ChecksumTypeComposite  = "COMPOSITE"
	ChecksumTypeFullObject = "FULL_OBJECT"
)
