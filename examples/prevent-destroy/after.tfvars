engine_version = "16"
app_version    = "2.0.1"
