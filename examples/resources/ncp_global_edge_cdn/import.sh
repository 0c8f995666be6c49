# A Global Edge CDN edge is imported by its ID.
terraform import ncp_global_edge_cdn.example 5707
