# A subnet is imported by its number, subnet_no.
import {
  to = ncp_subnet.private
  id = "23456"
}
