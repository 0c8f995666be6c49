# Look a VPC up by its name...
data "ncp_vpc" "by_name" {
  name = "example-vpc"
}

# ...or by its number.
data "ncp_vpc" "by_no" {
  vpc_no = "12345"
}

output "vpc_cidr" {
  value = data.ncp_vpc.by_name.ipv4_cidr_block
}
