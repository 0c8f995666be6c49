resource "ncp_global_edge_profile" "example" {
  name = "video-pipeline"
}

# An edge serving an Object Storage bucket over HTTPS in Korea; the blocks
# left out (caching, managed_rules, optimization, access_control) take
# NCP's documented defaults.
resource "ncp_global_edge_cdn" "example" {
  profile_id  = ncp_global_edge_profile.example.id
  name        = "video-output"
  region_type = "KOREA"

  origin {
    bucket_name = "video-output"
    region      = "KR"
  }

  caching {
    age_type = "HOURS"
    age      = 6
  }

  caching_rule {
    name       = "playlists"
    type       = "FILE_EXTENSION"
    conditions = ["m3u8", "mpd"]
    definition = "CACHING"
    revalidate = "ALWAYS"
    age_type   = "SECONDS"
    age        = 10
  }

  managed_rules {
    cors = true
  }

  header_policy {
    target = "RESPONSE"
    action = "ADD"
    name   = "X-Served-By"
    value  = "global-edge"
  }
}

output "cdn_domain" {
  value = ncp_global_edge_cdn.example.domain_name
}
