import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Ajv } from "ajv";
import addFormatsModule from "ajv-formats";
import type * as sarif from "sarif";
import { describe, expect, it } from "vitest";
import { buildSarif, fingerprint, parseLocation, renderSarif } from "../src/reporters/sarif.ts";
import { catalog, checkReport, finding, sampleReport, stackResult } from "./fixtures/reporting/catalog.ts";

/**
 * The SARIF 2.1.0 JSON schema, resolved from node_modules (@microsoft/jest-sarif ships the
 * final 2.1.0 schema as lib/schemas/sarif-2.1.0-rtm.5.json); BASEPLATE_SARIF_SCHEMA overrides.
 */
function sarifSchemaPath(): string | null {
  if (process.env["BASEPLATE_SARIF_SCHEMA"]) return process.env["BASEPLATE_SARIF_SCHEMA"];
  const require = createRequire(import.meta.url);
  try {
    return require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json");
  } catch {
    return null;
  }
}

function schemaValidator(path: string) {
  const schema = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  // The schema is written for draft-04 but uses no keyword whose meaning changed since; drop the
  // draft-04 meta-schema reference and its "id" so Ajv (draft-07) compiles it as is.
  delete schema["$schema"];
  delete schema["id"];
  // unicodeRegExp off: the schema's language pattern is not valid with the u flag.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormatsModule.default(ajv);
  return ajv.compile(schema);
}

const schemaPath = sarifSchemaPath();
const errors = (v: object): string => JSON.stringify((v as { errors?: unknown }).errors ?? null, null, 2);
const report = sampleReport();
const log = buildSarif(report, catalog, { root: "/repo", version: "0.1.0" });
const run = log.runs[0]!;
const results = run.results ?? [];
const resultFor = (ruleId: string, address: string): sarif.Result => {
  const r = results.find((x) => x.ruleId === ruleId && x.properties?.["address"] === address);
  if (!r) throw new Error(`no result for ${ruleId} ${address}`);
  return r;
};

describe.skipIf(schemaPath === null)("SARIF schema validation (skipped when no SARIF 2.1.0 schema is installed)", () => {
  // compiled only when the suite runs: the body of a skipped suite is still collected
  const validate = schemaPath === null ? () => false : schemaValidator(schemaPath);

  it("the sample report's log is valid SARIF 2.1.0", () => {
    const withHelp = buildSarif(report, catalog, { helpBaseUri: "https://github.com/acme/infra/blob/main/" });
    expect(validate(log), errors(validate)).toBe(true);
    expect(validate(withHelp), errors(validate)).toBe(true);
  });

  it("a log with waiver problems and no findings is valid", () => {
    const problems = buildSarif(
      checkReport(
        [stackResult("payments-dev", [])],
        [
          { waiver: null, problem: "governance/waivers.json waivers[0] (S3-001 on x) expired on 2026-01-01.", enforcement: "mandatory", file: "governance/waivers.json", index: 0 },
        ],
      ),
      catalog,
    );
    expect(validate(problems), errors(validate)).toBe(true);
  });

  it("the validator rejects a broken log (so the checks above can fail)", () => {
    const broken = structuredClone(log) as unknown as { runs: { results: { level: string }[] }[] };
    broken.runs[0]!.results[0]!.level = "fatal";
    expect(validate(broken)).toBe(false);
  });
});

describe("SARIF structure", () => {
  it("declares version 2.1.0, one run, and the baseplate driver with every catalog rule", () => {
    expect(log.version).toBe("2.1.0");
    expect(log.$schema).toContain("sarif-2.1.0");
    expect(log.runs).toHaveLength(1);
    expect(run.tool.driver.name).toBe("baseplate");
    expect(run.tool.driver.version).toBe("0.1.0");
    expect(run.tool.driver.rules?.map((r) => r.id)).toEqual([...catalog.rules.map((r) => r.id)].sort());
    expect(run.properties?.["bundleSha256"]).toBe(report.bundle.sha256);
  });

  it("describes rules with help, controls and a default level from enforcement", () => {
    const rules = run.tool.driver.rules ?? [];
    const s3 = rules.find((r) => r.id === "S3-001")!;
    expect(s3.name).toBe("S3BucketVersioningIsEnabled");
    expect(s3.shortDescription?.text).toBe("S3 bucket versioning is enabled");
    expect(s3.help?.text).toContain("Enable versioning with an aws_s3_bucket_versioning resource");
    expect(s3.help?.text).toContain("policies/README.md#s3-001");
    expect(s3.defaultConfiguration?.level).toBe("error");
    expect(s3.properties?.tags).toEqual(expect.arrayContaining(["FSBP S3.14", "SOC 2 A1.2", "security"]));
    expect(s3.properties?.["security-severity"]).toBe("5.5");
    expect(s3.helpUri).toBeUndefined();
    expect(rules.find((r) => r.id === "TAG-002")?.defaultConfiguration?.level).toBe("warning");
    const withBase = buildSarif(report, catalog, { helpBaseUri: "https://github.com/acme/infra/blob/main/" });
    expect(withBase.runs[0]!.tool.driver.rules?.find((r) => r.id === "S3-001")?.helpUri).toBe(
      "https://github.com/acme/infra/blob/main/policies/README.md#s3-001",
    );
  });

  it("points a finding at the TypeScript file and line that declared the resource", () => {
    const r = resultFor("S3-001", "aws_s3_bucket.invoices_1A2B3C");
    expect(r.level).toBe("error");
    expect(r.message.text).toBe("aws_s3_bucket.invoices_1A2B3C violates the rule.");
    expect(r.locations?.[0]?.physicalLocation).toEqual({
      artifactLocation: { uri: "stacks/src/payments.ts", uriBaseId: "%SRCROOT%" },
      region: { startLine: 42 },
    });
    expect(r.locations?.[0]?.logicalLocations?.[0]).toEqual({
      name: "aws_s3_bucket.invoices_1A2B3C",
      fullyQualifiedName: "payments-prod/data/invoices/bucket",
      kind: "resource",
    });
    expect(r.ruleIndex).toBe(run.tool.driver.rules?.findIndex((x) => x.id === "S3-001"));
  });

  it("falls back to the synthesized file and the construct path", () => {
    const r = resultFor("S3-002", "aws_s3_bucket.exports_9F8E7D");
    expect(r.locations?.[0]?.physicalLocation?.artifactLocation?.uri).toBe("cdktf.out/stacks/payments-prod/cdk.tf.json");
    expect(r.locations?.[0]?.physicalLocation?.region).toBeUndefined();
    expect(r.locations?.[0]?.logicalLocations?.[0]?.fullyQualifiedName).toBe("payments-prod/data/exports/bucket");
    const abs = buildSarif(
      checkReport([stackResult("api-dev", [finding("S3-002", "api-dev", "aws_s3_bucket.b")], { file: "/repo/cdktf.out/stacks/api-dev/cdk.tf.json" })]),
      catalog,
      { root: "/repo" },
    );
    expect(abs.runs[0]!.results?.[0]?.locations?.[0]?.physicalLocation?.artifactLocation?.uri).toBe("cdktf.out/stacks/api-dev/cdk.tf.json");
  });

  it("reports waived findings as accepted suppressions with the justification", () => {
    const r = resultFor("NET-001", "aws_security_group.api_44AA");
    expect(r.suppressions).toHaveLength(1);
    expect(r.suppressions?.[0]).toMatchObject({ kind: "external", status: "accepted" });
    expect(r.suppressions?.[0]?.justification).toBe(
      "Public partner callback endpoint on port 8443, fronted by WAF allow-list (ticket SEC-4211, approved by @acme/platform-seniors, expires 2027-01-31)",
    );
    expect(resultFor("S3-002", "aws_s3_bucket.exports_9F8E7D").suppressions).toBeUndefined();
  });

  it("advisory findings are warnings", () => {
    expect(resultFor("TAG-002", "aws_sqs_queue.events_77").level).toBe("warning");
    expect(results).toHaveLength(5);
  });

  it("fingerprints are stable across runs, order and line moves, and distinct per finding", () => {
    const again = buildSarif(report, catalog, { root: "/repo" });
    const shuffled = sampleReport();
    shuffled.stacks.reverse();
    shuffled.stacks.forEach((s) => s.findings.reverse());
    const moved = shuffled.stacks.find((s) => s.stack === "payments-prod")!.findings.find((f) => f.rule === "S3-001")!;
    moved.location = "stacks/src/payments.ts:57";
    const third = buildSarif(shuffled, catalog, { root: "/repo" });
    const prints = (l: sarif.Log) => (l.runs[0]!.results ?? []).map((r) => r.partialFingerprints?.["baseplate/v1"]);
    expect(prints(again)).toEqual(prints(log));
    expect(prints(third)).toEqual(prints(log));
    expect(new Set(prints(log)).size).toBe(results.length);
    expect(fingerprint({ rule: "S3-001", stack: "a", construct: null, address: "x", attribute: null })).toMatch(/^[0-9a-f]{32}$/);
  });

  it("reports waiver problems against the waivers file", () => {
    const l = buildSarif(
      checkReport(
        [stackResult("payments-dev", [])],
        [
          { waiver: null, problem: "governance/waivers.json waivers[3] (S3-001 on x) expired on 2026-01-01.", enforcement: "mandatory", file: "governance/waivers.json", index: 3 },
          { waiver: null, problem: "governance/waivers.json waivers[4] matched no finding.", enforcement: "advisory", file: "governance/waivers.json", index: 4 },
        ],
      ),
      catalog,
    );
    const rs = l.runs[0]!.results ?? [];
    expect(rs.map((r) => [r.ruleId, r.level])).toEqual([
      ["WAIVER-001", "error"],
      ["WAIVER-002", "warning"],
    ]);
    expect(rs[0]?.locations?.[0]?.physicalLocation?.artifactLocation?.uri).toBe("governance/waivers.json");
    expect(rs[0]?.locations?.[0]?.logicalLocations?.[0]?.name).toBe("waivers[3]");
    expect(l.runs[0]!.tool.driver.rules?.map((r) => r.id)).toContain("WAIVER-001");
  });

  it("parses file:line locations", () => {
    expect(parseLocation("modules/src/a.ts:12")).toEqual({ file: "modules/src/a.ts", line: 12 });
    expect(parseLocation("modules/src/a.ts:12:5")).toEqual({ file: "modules/src/a.ts", line: 12, column: 5 });
    expect(parseLocation("modules/src/a.ts")).toBeNull();
    expect(parseLocation(null)).toBeNull();
  });

  it("renders JSON text that round-trips", () => {
    expect(JSON.parse(renderSarif(report, catalog, { root: "/repo", version: "0.1.0" }))).toEqual(log);
  });
});
