package vpc

// Network ACL actions beyond the ones every subnet needs: the provider
// creates and deletes ACLs only to test in-place ACL changes and to sweep
// what tests left behind [C] DOC:networking-vpc-networkacl-createnetworkacl,
// DOC:networking-vpc-networkacl-deletenetworkacl. Both answer networkAclList
// (NetworkAclListResponse).
const (
	ActionCreateNetworkAcl = "createNetworkAcl"
	ActionDeleteNetworkAcl = "deleteNetworkAcl"

	// ParamNetworkAclDescription is createNetworkAcl's description, 0 to
	// 1000 bytes.
	ParamNetworkAclDescription = "networkAclDescription"
)

// StatusTermt is the status deleteNetworkAcl answers with, code "TERMT"
// and codeName "terminate", as the guide's response example shows it [C]
// DOC:networking-vpc-networkacl-deletenetworkacl; a list call made while
// the deletion is under way shows TERMTING like every VPC object [?].
const StatusTermt = "TERMT"

// MaxNetworkAclDescriptionBytes bounds createNetworkAcl's
// networkAclDescription ("0-1000", in bytes) [C]
// DOC:networking-vpc-networkacl-createnetworkacl.
const MaxNetworkAclDescriptionBytes = 1000
