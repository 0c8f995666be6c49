package vpc

// Exports for the tests of package vpc_test (terraform-provider-aws style).
var (
	CreateVpc     = createVpc
	CreateSubnet  = createSubnet
	GenerateName  = generateName
	NameValidator = nameValidator{}
	CidrValidator = cidrValidator{}
	ZoneValidator = zoneValidator
	CheckZone     = checkZone
)
