data "ncp_vod_channel" "movies" {
  id = "vs-20250821095732-abcdefg"
}

output "cdn_domain" {
  value = data.ncp_vod_channel.movies.cdn_domain
}
