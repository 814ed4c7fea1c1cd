import { describe, expect, it } from "vitest";
import { MANDATORY_TAG_KEYS } from "../../../modules/src/baseline/tags.ts";
import {
  buildInventory,
  effectiveTags,
  INVENTORY_SCHEMA,
  loadTaggableTypes,
  MANDATORY_TAGS,
} from "../src/report.ts";
import { renderInventoryJson, renderInventoryMarkdown, renderInventoryTerminal, REPORT_MARKER } from "../src/reporters/inventory.ts";
import { devEstate, prodEstate } from "./fixtures/reporting/estate.ts";

const inv = buildInventory([prodEstate, devEstate]);

describe("inventory", () => {
  it("uses the same mandatory tags as the baseline and the generated taggable list", () => {
    expect([...MANDATORY_TAGS]).toEqual([...MANDATORY_TAG_KEYS]);
    const taggable = loadTaggableTypes();
    expect(taggable.has("aws_s3_bucket")).toBe(true);
    expect(taggable.has("aws_s3_bucket_versioning")).toBe(false);
    expect(taggable.size).toBeGreaterThan(500);
  });

  it("merges provider default_tags under resource tags, per provider alias", () => {
    const byAddress = (i: typeof prodEstate, a: string) => Object.values(i.resources).flat().find((r) => r.address === a)!;
    const sessions = effectiveTags(byAddress(prodEstate, "aws_dynamodb_table.sessions_7A8B"), prodEstate.providers);
    expect(sessions["Owner"]).toBe("identity-team");
    expect(sessions["CostCenter"]).toBe("CC-1042");
    const cert = effectiveTags(byAddress(prodEstate, "aws_acm_certificate.api_9C0D"), prodEstate.providers);
    expect(cert["DataClassification"]).toBeUndefined();
    expect(cert["Owner"]).toBe("payments-team");
    const reporting = effectiveTags(byAddress(devEstate, "aws_rds_cluster.reporting_4444"), devEstate.providers);
    expect({ ...reporting }).toEqual({ Owner: "data-team", Environment: "dev" });
  });

  it("computes tag coverage per stack and overall", () => {
    expect(inv.schema).toBe(INVENTORY_SCHEMA);
    expect(inv.stacks.map((s) => [s.stack, s.resources, s.taggable, s.fullyTagged, s.coverage])).toEqual([
      ["payments-dev", 6, 4, 2, 50],
      ["payments-prod", 14, 10, 8, 80],
    ]);
    expect(inv.totals).toEqual({ resources: 20, taggable: 14, fullyTagged: 10, coverage: 71.4 });
    expect(inv.missingTags).toEqual({ Owner: 0, CostCenter: 1, Environment: 0, Service: 1, DataClassification: 4, ManagedBy: 1, Repository: 1 });
    expect(inv.untagged).toEqual([
      { stack: "payments-dev", address: "aws_rds_cluster.reporting_4444", missing: ["CostCenter", "Service", "DataClassification", "ManagedBy", "Repository"] },
      { stack: "payments-dev", address: "aws_sqs_queue.events_2222", missing: ["DataClassification"] },
      { stack: "payments-prod", address: "aws_acm_certificate.api_9C0D", missing: ["DataClassification"] },
      { stack: "payments-prod", address: "aws_cloudwatch_metric_alarm.cert_expiry_3A4B", missing: ["DataClassification"] },
    ]);
  });

  it("groups taggable resources by Owner, CostCenter and Environment", () => {
    expect(inv.byOwner).toEqual([
      { value: "payments-team", resources: 12, stacks: ["payments-dev", "payments-prod"] },
      { value: "data-team", resources: 1, stacks: ["payments-dev"] },
      { value: "identity-team", resources: 1, stacks: ["payments-prod"] },
    ]);
    expect(inv.byCostCenter.map((g) => [g.value, g.resources])).toEqual([
      ["CC-1042", 10],
      ["(computed)", 3],
      ["(missing)", 1],
    ]);
    expect(inv.byEnvironment.map((g) => [g.value, g.resources])).toEqual([
      ["prod", 10],
      ["dev", 4],
    ]);
  });

  it("finds certificates and their DaysToExpiry alarms", () => {
    expect(inv.certificates).toEqual([
      { stack: "payments-prod", address: "aws_acm_certificate.api_9C0D", domain: "api.pay.example.com", expiryAlarm: true, alarms: ["aws_cloudwatch_metric_alarm.cert_expiry_3A4B"] },
      { stack: "payments-prod", address: "aws_acm_certificate.legacy_1E2F", domain: "legacy.pay.example.com", expiryAlarm: false, alarms: [] },
    ]);
  });

  it("finds data stores and their AWS Backup coverage", () => {
    expect(inv.dataStores.map((d) => [d.address, d.backedUp, d.selections.map((s) => `${s.address}:${s.via}`), d.native])).toEqual([
      ["aws_rds_cluster.reporting_4444", false, [], "automated backups 1 day"],
      ["aws_efs_file_system.shared_3333", true, ["aws_backup_selection.all_5555:tag"], null],
      ["aws_s3_bucket.scratch_1111", false, [], null],
      ["aws_db_instance.main_5E6F", true, ["aws_backup_selection.explicit_5A6B:resource"], "automated backups 7 days"],
      ["aws_dynamodb_table.sessions_7A8B", false, [], "point-in-time recovery on"],
      ["aws_s3_bucket.invoices_1A2B", true, ["aws_backup_selection.tagged_3E4F:tag"], null],
    ]);
    expect(inv.dataStores.find((d) => d.address === "aws_db_instance.main_5E6F")?.selections[0]?.plan).toBe("aws_backup_plan.daily_7E8F");
  });

  it("a DynamoDB wildcard selection covers tables it does not exclude", () => {
    const sessions = Object.values(prodEstate.resources).flat().find((r) => r.address === "aws_dynamodb_table.sessions_7A8B")!;
    const other = { ...sessions, address: "aws_dynamodb_table.orders_0000" };
    const estate = { ...prodEstate, resources: { ...prodEstate.resources, aws_dynamodb_table: [other, sessions] } };
    const d = buildInventory([estate]).dataStores.filter((x) => x.type === "aws_dynamodb_table");
    expect(d.map((x) => [x.address, x.backedUp])).toEqual([
      ["aws_dynamodb_table.orders_0000", true],
      ["aws_dynamodb_table.sessions_7A8B", false],
    ]);
  });
});

describe("inventory renderers", () => {
  it("JSON round-trips", () => {
    expect(JSON.parse(renderInventoryJson(inv))).toEqual(JSON.parse(JSON.stringify(inv)));
  });

  it("terminal shows coverage, groups, certificates and backups", () => {
    const text = renderInventoryTerminal(inv);
    expect(text).toContain("tag coverage: 71.4% (10/14 taggable resources carry all of Owner, CostCenter");
    expect(text).toContain("missing tags: CostCenter 1, Service 1, DataClassification 4, ManagedBy 1, Repository 1");
    expect(text).toContain("certificates with an expiry alarm: 1/2");
    expect(text).toContain("  MISSING payments-prod aws_acm_certificate.legacy_1E2F (legacy.pay.example.com)");
    expect(text).toContain("data stores covered by AWS Backup: 3/6");
    expect(text).toMatch(/ok {5} payments-prod aws_db_instance\.main_5E6F via aws_backup_selection\.explicit_5A6B by resource \[automated backups 7 days\]/);
  });

  it("Markdown has the marker, coverage, tables, and escapes values", () => {
    const md = renderInventoryMarkdown(inv);
    expect(md.split("\n")[0]).toBe(REPORT_MARKER);
    expect(md).toContain("**Tag coverage 71.4%**: 10 of 14 taggable resources");
    expect(md).toContain("| payments\\-prod | prod | 14 | 10 | 8 | 80% |");
    expect(md).toContain("| DataClassification | 4 |");
    expect(md).toContain("| payments\\-team | 12 | payments\\-dev, payments\\-prod |");
    expect(md).toContain("### Certificates: 1/2 with an expiry alarm");
    expect(md).toContain("### Data stores: 3/6 covered by AWS Backup");
    expect(md).toContain("<summary>4 taggable resources missing mandatory tags</summary>");
    const evil = buildInventory([{ ...devEstate, stack: "dev|<script>" }]);
    const evilMd = renderInventoryMarkdown(evil);
    expect(evilMd).not.toContain("<script>");
    expect(evilMd).toContain("dev\\|&lt;script&gt;");
  });

  it("shrinks tables to stay within a length limit", () => {
    const full = renderInventoryMarkdown(inv);
    const small = renderInventoryMarkdown(inv, { maxLength: full.length - 200 });
    expect(small.length).toBeLessThanOrEqual(full.length - 200);
    expect(small).toContain("more (see the JSON report)");
  });

  it("caps long Markdown tables", () => {
    const md = renderInventoryMarkdown(inv, { maxRows: 2 });
    expect(md).toContain("… 4 more (see the JSON report)");
    expect(md).toContain("… 2 more (see the JSON report)");
  });
});
