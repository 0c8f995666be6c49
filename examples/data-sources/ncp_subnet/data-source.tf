# Look a subnet up by its number...
data "ncp_subnet" "by_no" {
  subnet_no = "23456"
}

# ...or by its VPC and any of name, subnet, zone and subnet_type.
data "ncp_subnet" "private_kr2" {
  vpc_no      = "12345"
  zone        = "KR-2"
  subnet_type = "PRIVATE"
}

output "private_subnet_cidr" {
  value = data.ncp_subnet.private_kr2.subnet
}
