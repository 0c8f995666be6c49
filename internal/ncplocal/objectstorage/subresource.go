package objectstorage

import (
	"net/http"
	"net/url"
	"strings"

	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/objectstorage"
)

// unconfigured is a bucket sub-resource that NCP supports but ncplocal never
// configures: its GET answers what S3 answers for a bucket without that
// configuration (sync and purge tools read these and expect exactly that),
// its DELETE removes nothing and succeeds, and its PUT is NotImplemented.
type unconfigured struct {
	name        string // the query parameter
	get, delete string // operation names; delete is "" when S3 has none
	// code is the "not configured" error of the GET; "" means the GET
	// succeeds with an empty document (versioning).
	code    string
	message string
}

// unconfiguredSubResources are answered as "not configured". [?] NCP's
// operation list names these sub-resources; that NCP answers a bucket
// without them exactly as S3 does (codes and messages below) is assumed.
var unconfiguredSubResources = []unconfigured{
	{name: "versioning", get: "GetBucketVersioning"},
	{name: "lifecycle", get: "GetBucketLifecycleConfiguration", delete: "DeleteBucketLifecycle",
		code: wire.CodeNoSuchLifecycleConfiguration, message: "The lifecycle configuration does not exist"},
	{name: "policy", get: "GetBucketPolicy", delete: "DeleteBucketPolicy",
		code: wire.CodeNoSuchBucketPolicy, message: "The bucket policy does not exist"},
	{name: "tagging", get: "GetBucketTagging", delete: "DeleteBucketTagging",
		code: wire.CodeNoSuchTagSet, message: "The TagSet does not exist"},
	{name: "encryption", get: "GetBucketEncryption", delete: "DeleteBucketEncryption",
		code: wire.CodeNoSuchEncryptionConfiguration, message: "The server side encryption configuration was not found"},
	{name: "website", get: "GetBucketWebsite", delete: "DeleteBucketWebsite",
		code: wire.CodeNoSuchWebsiteConfiguration, message: "The specified bucket does not have a website configuration"},
}

// unconfiguredSubResource returns the unconfigured sub-resource a bucket
// request names, or nil.
func unconfiguredSubResource(q url.Values) *unconfigured {
	for i := range unconfiguredSubResources {
		if q.Has(unconfiguredSubResources[i].name) {
			return &unconfiguredSubResources[i]
		}
	}
	return nil
}

// answerGet answers the GET of an unconfigured sub-resource of a bucket the
// caller owns.
func (sr *unconfigured) answerGet(req *request) error {
	if err := req.s.checkOwnBucket(req.c, req.bucket); err != nil {
		return err
	}
	if sr.code != "" {
		return errorf(sr.code, "%s", sr.message)
	}
	writeXML(req.w, http.StatusOK, &wire.VersioningConfiguration{})
	return nil
}

// deleteUnconfigured answers the DELETE of an unconfigured sub-resource:
// there is nothing to remove, which S3 answers with 204.
func (req *request) deleteUnconfigured() error {
	if err := req.s.checkOwnBucket(req.c, req.bucket); err != nil {
		return err
	}
	req.w.WriteHeader(http.StatusNoContent)
	return nil
}

// subResourceNames are the parts of S3's operation names that stand for a
// sub-resource (PutBucket<Name>, GetObject<Name>, ...).
var subResourceNames = map[string]string{
	"accelerate":          "AccelerateConfiguration",
	"acl":                 "Acl",
	"analytics":           "AnalyticsConfiguration",
	"attributes":          "Attributes",
	"cors":                "Cors",
	"encryption":          "Encryption",
	"intelligent-tiering": "IntelligentTieringConfiguration",
	"inventory":           "InventoryConfiguration",
	"legal-hold":          "LegalHold",
	"lifecycle":           "LifecycleConfiguration",
	"logging":             "Logging",
	"metadataTable":       "MetadataTableConfiguration",
	"metrics":             "MetricsConfiguration",
	"notification":        "NotificationConfiguration",
	"ownershipControls":   "OwnershipControls",
	"policy":              "Policy",
	"policyStatus":        "PolicyStatus",
	"publicAccessBlock":   "PublicAccessBlock",
	"replication":         "Replication",
	"requestPayment":      "RequestPayment",
	"retention":           "Retention",
	"tagging":             "Tagging",
	"torrent":             "Torrent",
	"versioning":          "Versioning",
	"website":             "Website",
}

// subResourceOp names the S3 operation of a request for sub-resource sr,
// for the call counts and the request log of requests ncplocal does not
// serve (GetBucketReplication rather than the ListObjects the bare path
// would be).
func subResourceOp(method string, onObject bool, sr string) string {
	verb := strings.ToUpper(method[:1]) + strings.ToLower(method[1:])
	switch sr {
	case "versions":
		return "ListObjectVersions"
	case "session":
		return "CreateSession"
	case "restore":
		return "RestoreObject"
	case "select":
		return "SelectObjectContent"
	case "object-lock":
		return verb + "ObjectLockConfiguration"
	}
	// The query parameters of the routed operations (uploads, uploadId,
	// partNumber, ...) have no name of their own: "".
	name := subResourceNames[sr]
	if onObject {
		return verb + "Object" + name
	}
	return verb + "Bucket" + name
}
