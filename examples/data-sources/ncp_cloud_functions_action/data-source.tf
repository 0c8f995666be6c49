data "ncp_cloud_functions_action" "register" {
  package = "media"
  name    = "register"
}

output "register_runtime" {
  value = data.ncp_cloud_functions_action.register.runtime # e.g. "python:3.13"
}
