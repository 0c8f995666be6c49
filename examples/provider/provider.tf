# Every attribute is optional: `provider "ncp" {}` takes the credentials and
# the region from NCLOUD_ACCESS_KEY, NCLOUD_SECRET_KEY and NCLOUD_REGION, or
# else from the ncloud CLI configuration file ~/.ncloud/configure.
# To use ncplocal instead of NCP, set NCP_ENDPOINT_URL=http://127.0.0.1:4510.

# Keep the keys out of the configuration: pass them as sensitive variables
# (for example TF_VAR_ncp_access_key) or through the environment.
variable "ncp_access_key" {
  type      = string
  sensitive = true
}

variable "ncp_secret_key" {
  type      = string
  sensitive = true
}

provider "ncp" {
  access_key = var.ncp_access_key
  secret_key = var.ncp_secret_key
  region     = "KR"     # or NCLOUD_REGION; defaults to the site's first region
  site       = "public" # public, gov or fin; or NCLOUD_SITE

  # Section of ~/.ncloud/configure to read (or NCLOUD_PROFILE).
  # profile = "DEFAULT"

  # Retries of one API request (throttling, connection failures, ...).
  # max_retries = 8

  # Address buckets as https://host/bucket instead of https://bucket.host.
  # Defaults to true when an endpoint is overridden (local emulators).
  # object_storage_path_style = true

  # Endpoint overrides, for example for a local emulator. NCP_ENDPOINT_URL
  # sets every endpoint that is not listed here to one base URL.
  # endpoints {
  #   ncloud          = "http://127.0.0.1:4510"
  #   object_storage  = "http://127.0.0.1:4510"
  #   vod_station     = "http://127.0.0.1:4510"
  #   global_edge     = "http://127.0.0.1:4510"
  #   cloud_functions = "http://127.0.0.1:4510"
  # }
}
