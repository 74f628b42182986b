engine_version = "15"
app_version    = "2.0.0"
