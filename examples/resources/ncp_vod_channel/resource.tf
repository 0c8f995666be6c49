resource "ncp_global_edge_profile" "vod" {
  name = "vod-profile"
}

# Streams the videos of the output bucket over HLS through a Global Edge CDN.
resource "ncp_vod_channel" "movies" {
  name                = "movies"
  storage_bucket_name = "my-vod-output"
  protocols           = ["HLS"]
  segment_duration    = 5

  cdn = {
    profile_id  = ncp_global_edge_profile.vod.id
    region_type = "KOREA"
  }
  # NCP keeps a deleted channel's edge; destroying this resource stops and
  # deletes it too, so the profile can go. Set false to keep the edge.
  delete_cdn_on_destroy = true

  timeouts {
    create = "30m"
    delete = "30m"
  }
}

output "play_url" {
  value = ncp_vod_channel.movies.play_url
}
