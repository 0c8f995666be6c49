resource "ncp_global_edge_profile" "example" {
  name = "video-pipeline"
}
