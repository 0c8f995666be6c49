package objectstorage

// The bucket naming rules (ncp-api.md §6) as data, for checks written
// independently of ValidateBucketName (the provider's plan-time validator),
// besides MinBucketNameLength and MaxBucketNameLength.
const (
	// BucketNameChars are the characters a bucket name may hold.
	BucketNameChars = "abcdefghijklmnopqrstuvwxyz0123456789-."
	// BucketNameEdgeChars are the characters a bucket name may start and
	// end with.
	BucketNameEdgeChars = "abcdefghijklmnopqrstuvwxyz0123456789"
	// BucketNameIPPattern matches names shaped like an IPv4 address, which
	// are refused.
	BucketNameIPPattern = `^[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}$`
)

// BucketNameForbiddenPairs are character pairs a bucket name must not hold:
// two adjacent periods, or a period next to a hyphen.
var BucketNameForbiddenPairs = []string{"..", ".-", "-."}
