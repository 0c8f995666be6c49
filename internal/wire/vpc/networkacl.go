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
