# A VPC is imported by its number, vpc_no (the ID shown in the NCP console).
terraform import ncp_vpc.example 12345
