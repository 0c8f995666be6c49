package objectstorage

// Exports for the tests of package objectstorage_test.
var (
	CreateBucket           = createBucket
	DeleteBucket           = deleteBucket
	FormatCreationDate     = formatCreationDate
	AddCreateError         = addCreateError
	WaitBucketAvailable    = waitBucketAvailable
	WaitBucketCreationDate = waitBucketCreationDate
	NewCreatedBucket       = newCreatedBucket
	BucketMissingGrace     = bucketMissingGrace
)

// BucketNameValidator is the plan-time check of bucket_name.
var BucketNameValidator = bucketNameValidator{}
