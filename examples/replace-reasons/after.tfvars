trigger_input  = "v2"
schema_version = "2"
cert_serial    = "0002"
