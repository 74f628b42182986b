# The "routine" change: move the environment to a new address range.
network_cidr = "10.1.0.0/16"
db_password  = "hunter2-incident-secret"
