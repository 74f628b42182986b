# One team's policy, in HCL. The same rules are in ../yaml/team.yaml and ../json/team.json.
version       = 1
allow_destroy = ["module.sandbox"]
ai_assistants = ["our-internal-agent"]

rule "no-database-deletes" {
  severity         = "fail"
  description      = "Databases are never deleted or replaced by a routine change; snapshot first and get a sign-off."
  require_approval = true

  when {
    action        = ["delete", "replace-delete-first", "replace-create-first"]
    resource_type = ["aws_db_*", "aws_rds_*", "google_sql_*", "azurerm_*sql*"]
  }

  waiver {
    addresses = ["module.staging"]
    reason    = "staging databases are rebuilt nightly"
    expires   = "2099-12-31"
  }
}

rule "protect-prod-tagged" {
  severity    = "fail"
  description = "Resources tagged env = prod are never destroyed, even when their block was deleted."

  when {
    action = "destroy"
    before = {
      "tags.env" = "prod"
    }
  }
}

rule "removed-blocks" {
  severity    = "warn"
  description = "A resource block was removed; if it was renamed, add a moved block instead."

  when {
    action_reason = ["delete_because_no_resource_config", "delete_because_no_module"]
  }
}

rule "aws-provider-deletes" {
  severity    = "warn"
  description = "Count AWS deletes; more than three in one plan deserve a second look."

  when {
    provider = "aws"
    action   = "delete"
  }

  limits {
    max_changes = 3
  }
}

rule "contained-blast-radius" {
  severity    = "fail"
  description = "No destroy may take more than 20 dependents down with it, nor score above 80."

  when {
    address = ["module.*", "aws_*"]
  }

  limits {
    max_blast_radius    = 20
    max_score           = 80
    max_destroyed_share = 0.6
  }
}
