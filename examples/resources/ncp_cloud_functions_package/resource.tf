variable "ncp_access_key" {
  type = string
}

variable "ncp_secret_key" {
  type      = string
  sensitive = true
}

# A package whose actions share the API settings. The secret key is a
# sensitive parameter: it reaches every action of the package but never
# appears in plans or logs.
resource "ncp_cloud_functions_package" "media" {
  name        = "media"
  description = "Video upload automation"

  parameters = {
    api_url    = "https://vodstation.apigw.ntruss.com"
    region     = "KR"
    access_key = var.ncp_access_key
  }

  sensitive_parameters = {
    secret_key = var.ncp_secret_key
  }
}

# Changes whenever a sensitive parameter changes, without showing it.
output "media_secrets_version" {
  value = ncp_cloud_functions_package.media.sensitive_parameters_hash
}
