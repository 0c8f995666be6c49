# A category is imported by its ID, a number.
terraform import ncp_vod_category.example 13814
