package vpc

// Exports for the tests of package vpc_test (terraform-provider-aws style).
var (
	CreateVpc        = createVpc
	CreateSubnet     = createSubnet
	DeleteVpc        = deleteVpc
	NameValidator    = nameValidator{}
	CidrValidator    = cidrValidator{}
	ZoneValidator    = zoneValidator
	CheckZone        = checkZone
	VpcNamePrefix    = vpcNamePrefix
	SubnetNamePrefix = subnetNamePrefix
)

// FindVpcDefaults reads the numbers of a VPC's default objects.
var FindVpcDefaults = findVpcDefaults
