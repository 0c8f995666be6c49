data "ncp_global_edge_profile" "example" {
  name = "video-pipeline"
}

output "profile_id" {
  value = data.ncp_global_edge_profile.example.id
}
