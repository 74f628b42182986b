trigger_input  = "v1"
schema_version = "1"
cert_serial    = "0001"
