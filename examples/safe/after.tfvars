app_version = "1.4.3"
dns_names   = ["app", "status"]
