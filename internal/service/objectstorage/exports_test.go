package objectstorage

// Exports for the tests of package objectstorage_test.
var (
	CreateBucket        = createBucket
	DeleteBucket        = deleteBucket
	FormatCreationDate  = formatCreationDate
	AddCreateError      = addCreateError
	WaitBucketAvailable = waitBucketAvailable
)
