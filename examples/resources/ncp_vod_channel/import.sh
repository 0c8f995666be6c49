# A channel is imported by its ID.
terraform import ncp_vod_channel.example vs-20250821095732-abcdefg
