# Example: protect production by what the resource *was* (its prior attributes and tags), so the protection still
# holds when the resource block - and any prevent_destroy in it - is deleted.

rule "protect-prod-tagged" {
  severity    = "fail"
  description = "Resources tagged env = prod are never destroyed by a plan. Remove the tag in a reviewed change first, or waive the address with a reason and an expiry."

  when {
    action = "destroy"
    before = {
      "tags.env" = "prod"
    }
  }

  # Exempt an address for a while, with a reason; after the date the waiver stops working and the result says so:
  # waiver {
  #   addresses = ["module.legacy_reports"]
  #   reason    = "reports stack retired in TICKET-1234"
  #   expires   = "2026-03-31"
  # }
}

rule "deletion-protection-on" {
  severity    = "fail"
  description = "The provider's own deletion protection is on for these resources; the apply would fail half-way. Turn protection off in a separate, reviewed change."

  when {
    action = "destroy"
    before = {
      deletion_protection = true
    }
  }
}
