package globaledge

// Exports for the tests of package globaledge_test.
var DeleteEdge = deleteEdge
