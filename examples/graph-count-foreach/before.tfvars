revision = "r1"
