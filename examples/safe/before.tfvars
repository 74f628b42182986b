app_version = "1.4.2"
dns_names   = ["app"]
