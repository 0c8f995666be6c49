package vodstation

// Exports for the tests of package vodstation_test.
var (
	CreateChannelForTest = createChannel
	DeleteChannelForTest = deleteChannel
)
