# A subnet is imported by its number, subnet_no (the ID shown in the NCP console).
terraform import ncp_subnet.private 23456
