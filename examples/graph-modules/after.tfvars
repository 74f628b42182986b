revision = "r2"
