# State the environment was applied with.
network_cidr = "10.0.0.0/16"
db_password  = "hunter2-incident-secret"
