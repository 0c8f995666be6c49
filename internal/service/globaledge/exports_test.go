package globaledge

// Exports for the tests of package globaledge_test.
var DeleteEdge = deleteEdge

var (
	CreateEdge    = createEdge
	CreateProfile = createProfile
	EditEdge      = editEdge
)
