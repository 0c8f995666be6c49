# A custom encoding option is imported by its ID, a number.
terraform import ncp_vod_encoding_option.example 1001
