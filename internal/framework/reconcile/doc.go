// Package reconcile holds what every resource needs to create and delete NCP
// objects safely when a request's outcome is unknown: a create or delete
// whose connection failed after the request was sent (client.IsAmbiguous)
// may or may not have been carried out, and sending it again blindly would
// make a second object or fail on a gone one.
//
//   - CreateReconciled sends a create at most Create.Attempts times. Before
//     the first attempt it looks the request's unique key up (a name, a
//     block, a bucket name): an object that already holds it was not made by
//     this create and is reported as an *ExistsError with an import hint,
//     never adopted, unless the create journal proves that an interrupted
//     earlier create made it (package journal). After an uncertain attempt it looks the key up again
//     and adopts only an object that matches the request; a mismatch is an
//     error, nothing found means nothing was created and the create is sent
//     again.
//   - DeleteReconciled sends a delete and, when the answer leaves the outcome
//     open, decides by the object's status: gone or being deleted is
//     success, still being created is waited out, untouched is sent again.
//   - ImportByID, GenerateName, RenameOnReplace, AssertSingle and HasCode
//     are the small pieces around them.
//
// The helpers know nothing of a service: the object type, its ID (a number
// such as a vpcNo, or a string such as a bucket, channel or action name),
// the look-up and the statuses are the caller's. A service's resource wires
// its client calls and finders into a Create or Delete; see
// docs/contributing/service-template.md.
package reconcile
