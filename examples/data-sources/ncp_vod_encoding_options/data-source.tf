# Every audio-only encoding option.
data "ncp_vod_encoding_options" "audio" {
  type = "AUDIO"
}

# One option by name.
data "ncp_vod_encoding_options" "sd" {
  name = "AVC_SD_1Pass_30fps"
}
