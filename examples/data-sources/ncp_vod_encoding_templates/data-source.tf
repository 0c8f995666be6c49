data "ncp_vod_encoding_templates" "all" {}

output "templates" {
  value = { for t in data.ncp_vod_encoding_templates.all.templates : t.name => t.encoding_option_ids }
}
