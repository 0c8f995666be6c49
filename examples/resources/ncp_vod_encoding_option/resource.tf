resource "ncp_vod_encoding_option" "hd" {
  name = "my_720p"

  video = {
    codec        = "AVC"
    profile      = "HIGH"
    bitrate      = 2500
    width        = 1280
    height       = 720
    framerate    = 30
    rate_control = "VBR"
  }

  audio = {
    codec         = "AAC"
    channel       = "2"
    bitrate       = 128
    sampling_rate = 48000
  }
}
