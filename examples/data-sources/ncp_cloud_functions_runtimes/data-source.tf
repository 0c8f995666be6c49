data "ncp_cloud_functions_runtimes" "all" {}

output "python_runtimes" {
  value = [for r in data.ncp_cloud_functions_runtimes.all.runtimes : r if startswith(r, "python")]
}
