terraform {
  required_version = ">= 1.5"

  required_providers {
    ncp = {
      source = "ncplabs/ncp"
    }
  }
}
