# A VPC is imported by its number, vpc_no.
import {
  to = ncp_vpc.example
  id = "12345"
}
