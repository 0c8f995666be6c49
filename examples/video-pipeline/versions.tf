terraform {
  required_version = ">= 1.5"

  required_providers {
    ncp = {
      source = "ncplabs/ncp"
    }
  }
}

# Configured from the environment: NCLOUD_ACCESS_KEY, NCLOUD_SECRET_KEY,
# NCLOUD_REGION (or ~/.ncloud/configure) and, for ncplocal, NCP_ENDPOINT_URL.
provider "ncp" {}
