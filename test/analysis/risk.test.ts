import { describe, expect, it } from "vitest";
import { STATEFUL_TYPES } from "../../src/analysis/data-loss-table.js";
import { ACTION_REASONS, explainReason, renderPath } from "../../src/analysis/reasons.js";
import { assessRisk } from "../../src/analysis/risk.js";
import type { ResourceChange } from "../../src/plan/model.js";
import { SensitiveValues } from "../../src/plan/values.js";

function del(type: string, before: Record<string, unknown>, beforeSensitive: unknown = {}, kind: ResourceChange["kind"] = "delete"): ResourceChange {
  return { address: `${type}.x`, type, kind, values: new SensitiveValues({ before, after: null, before_sensitive: beforeSensitive }) } as unknown as ResourceChange;
}

describe("data-loss risk", () => {
  it.each([
    ["aws_db_instance", { skip_final_snapshot: true }, "certain"],
    ["aws_db_instance", { skip_final_snapshot: false, final_snapshot_identifier: "final" }, "avoidable"],
    ["aws_db_instance", { deletion_protection: true, skip_final_snapshot: true }, "avoidable"],
    ["aws_db_instance", { skip_final_snapshot: false, final_snapshot_identifier: null }, "likely"],
    ["aws_s3_bucket", { force_destroy: true }, "certain"],
    ["aws_s3_bucket", { force_destroy: false }, "avoidable"],
    ["aws_dynamodb_table", {}, "certain"],
    ["aws_dynamodb_table", { deletion_protection_enabled: true }, "avoidable"],
    ["google_sql_database_instance", { deletion_protection: true }, "avoidable"],
    ["google_sql_database_instance", { deletion_protection: false }, "likely"],
    ["google_storage_bucket", { force_destroy: true }, "certain"],
    ["google_bigquery_dataset", { delete_contents_on_destroy: true }, "certain"],
    ["aws_secretsmanager_secret", { recovery_window_in_days: 0 }, "certain"],
    ["aws_secretsmanager_secret", { recovery_window_in_days: 30 }, "likely"],
    ["aws_cloudwatch_log_group", { skip_destroy: true }, "avoidable"],
    ["aws_ebs_volume", { final_snapshot: true }, "avoidable"],
    ["azurerm_storage_account", {}, "certain"],
    ["azurerm_key_vault", { purge_protection_enabled: true }, "avoidable"],
    ["kubernetes_persistent_volume", { spec: [{ persistent_volume_reclaim_policy: "Retain" }] }, "avoidable"],
    ["kubernetes_namespace", {}, "certain"],
    ["github_repository", { archive_on_destroy: true }, "avoidable"],
    ["aws_security_group", {}, "none"],
    ["aws_iam_role", {}, "none"],
    ["terraform_data", {}, "none"],
    ["acme_unheard_of", {}, "unknown"],
  ])("%s with %j is %s", (type, before, risk) => {
    expect(assessRisk(del(type, before)).dataLoss).toBe(risk);
  });

  it("every table entry has a category and well-formed rules", () => {
    for (const [type, entry] of Object.entries(STATEFUL_TYPES)) {
      expect(entry.category, type).toBeTruthy();
      for (const r of entry.rules) {
        expect(r.path.length, type).toBeGreaterThan(0);
        expect(r.reason, type).toContain(String(r.path[r.path.length - 1]));
      }
    }
  });

  it("a sensitive protection attribute cannot be read, so the default stands and says why", () => {
    const r = assessRisk(del("aws_db_instance", { skip_final_snapshot: true }, { skip_final_snapshot: true }));
    expect(r.dataLoss).toBe("likely");
    expect(r.reasons.join(" ")).toMatch(/sensitive or unknown/);
  });

  it("a forget destroys nothing", () => {
    expect(assessRisk(del("aws_db_instance", { skip_final_snapshot: true }, {}, "forget")).dataLoss).toBe("none");
  });

  it("a replace loses the old object's data too", () => {
    expect(assessRisk(del("aws_s3_bucket", { force_destroy: true }, {}, "replace-create-first")).dataLoss).toBe("certain");
  });
});

describe("action reasons", () => {
  it.each(Object.keys(ACTION_REASONS))("%s has a plain-English explanation", (reason) => {
    const text = explainReason(reason)!;
    expect(text.length).toBeGreaterThan(30);
    expect(text).not.toContain("_because_");
  });
  it("an unknown reason is passed through, not dropped", () => {
    expect(explainReason("replace_because_moon_phase")).toContain("replace_because_moon_phase");
  });
  it("renders replace paths tags[\"Name\"]-style", () => {
    expect(renderPath(["tags", "Name"])).toBe('tags["Name"]');
    expect(renderPath(["ebs_block_device", 0, "volume_size"])).toBe("ebs_block_device[0].volume_size");
    expect(renderPath(["triggers_replace"])).toBe("triggers_replace");
  });
});
