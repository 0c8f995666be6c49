data "ncp_cloud_functions_package" "media" {
  name = "media"
}

output "media_actions" {
  value = data.ncp_cloud_functions_package.media.actions
}
