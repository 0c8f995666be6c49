# A Global Edge profile is imported by its ID.
terraform import ncp_global_edge_profile.example 1836
