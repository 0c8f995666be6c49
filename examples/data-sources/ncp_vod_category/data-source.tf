data "ncp_vod_category" "movies" {
  id = "13814"
}
