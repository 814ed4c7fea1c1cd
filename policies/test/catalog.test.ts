/**
 * The catalog built from METADATA, the generated README table and taggable list, and the case
 * file format: each fails loudly when wrong.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { catalogFromInspect } from "../scripts/catalog.ts";
import { parseCaseFile } from "../scripts/cases.ts";
import { README, renderRuleTable, replaceSection, START, END } from "../scripts/docs.ts";
import { loadCaseFiles } from "../scripts/cases.ts";
import { FORMS_END, FORMS_START, formProblems, policyForms, renderFormsTable } from "../scripts/forms.ts";
import { TAGGABLE_FILE, providerLib, renderTaggable, taggableTypes } from "../scripts/taggable.ts";
import { countResults } from "../scripts/test-rego.ts";
import { sharedBundle } from "./helpers.ts";

function annotation(custom: Record<string, unknown>, extra: Record<string, unknown> = {}, path = ["baseplate", "rules", "s3", "deny"]) {
  return {
    annotations: { scope: "rule", title: "T", description: "D", custom, ...extra },
    location: { file: "rules/s3/public_access_block.rego", row: 10 },
    path: [{ type: "var", value: "data" }, ...path.map((value) => ({ type: "string", value }))],
  };
}

const valid = {
  id: "S3-123",
  severity: "high",
  enforcement: "mandatory",
  controls: ["FSBP S3.8"],
  remediation: "Fix it.",
  message: "{address} is wrong ({observed}).",
  resource_types: ["aws_s3_bucket"],
  sources: "both",
};

describe("catalog", () => {
  it("every built rule is complete and ids are unique", async () => {
    const { catalog } = await sharedBundle();
    expect(catalog.schema).toBe("baseplate/catalog@1");
    expect(catalog.rules.length).toBeGreaterThanOrEqual(25);
    const ids = catalog.rules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of catalog.rules) {
      expect(r.title && r.description && r.remediation && r.message, r.id).toBeTruthy();
      expect(r.controls.length, r.id).toBeGreaterThan(0);
      expect(r.package, r.id).toMatch(/^baseplate\.rules\.[a-z0-9_]+$/);
      expect(["critical", "high", "medium", "low", "info"]).toContain(r.severity);
      expect(["mandatory", "advisory"]).toContain(r.enforcement);
    }
  });

  it("accepts a complete annotation", () => {
    const c = catalogFromInspect({ annotations: [annotation(valid)] }, "1.22.2");
    expect(c.rules).toEqual([
      {
        id: "S3-123",
        title: "T",
        description: "D",
        severity: "high",
        enforcement: "mandatory",
        controls: ["FSBP S3.8"],
        remediation: "Fix it.",
        message: "{address} is wrong ({observed}).",
        package: "baseplate.rules.s3",
        resource_types: ["aws_s3_bucket"],
        sources: "both",
      },
    ]);
    expect(c.opa_version).toBe("1.22.2");
  });

  it.each([
    ["a bad id", { ...valid, id: "s3-1" }, /custom\.id must look like/],
    ["a bad severity", { ...valid, severity: "urgent" }, /custom\.severity must be one of/],
    ["a bad enforcement", { ...valid, enforcement: "maybe" }, /custom\.enforcement must be one of/],
    ["no controls", { ...valid, controls: [] }, /custom\.controls must be a non-empty list/],
    ["no remediation", { ...valid, remediation: "" }, /custom\.remediation is missing/],
    ["an unknown placeholder", { ...valid, message: "{adress} bad" }, /unknown placeholder \{adress\}/],
    ["no resource types", { ...valid, resource_types: "aws_s3_bucket" }, /custom\.resource_types must be a non-empty list/],
    ["a bad source", { ...valid, sources: "apply" }, /custom\.sources must be one of/],
    ["a bad risk", { ...valid, risk: "scary" }, /custom\.risk must be one of/],
  ])("rejects %s", (_name, custom, message) => {
    expect(() => catalogFromInspect({ annotations: [annotation(custom)] }, "x")).toThrow(message);
  });

  it("rejects duplicate ids, a missing title and METADATA on a helper rule", () => {
    expect(() => catalogFromInspect({ annotations: [annotation(valid), annotation(valid)] }, "x")).toThrow(/S3-123 is already used/);
    expect(() => catalogFromInspect({ annotations: [annotation(valid, { title: "" })] }, "x")).toThrow(/title is missing/);
    expect(() => catalogFromInspect({ annotations: [annotation(valid, {}, ["baseplate", "rules", "s3", "helper"])] }, "x")).toThrow(
      /belongs on 'deny contains finding if'/,
    );
  });

  it("ignores annotations outside the rules packages", () => {
    const c = catalogFromInspect({ annotations: [annotation(valid, {}, ["baseplate", "lib", "x", "deny"])] }, "x");
    expect(c.rules).toEqual([]);
  });
});

describe("generated files", () => {
  it("the README rule table matches the catalog (run node policies/scripts/docs.ts)", async () => {
    const { catalog } = await sharedBundle();
    const text = readFileSync(README, "utf8");
    expect(text).toBe(replaceSection(text, renderRuleTable(catalog)));
  });

  it("the README table of policy-library forms matches the library and the cases (run node policies/scripts/docs.ts)", () => {
    const forms = policyForms();
    const files = loadCaseFiles();
    expect(formProblems(forms, files)).toEqual([]);
    const text = readFileSync(README, "utf8");
    expect(text).toBe(replaceSection(text, renderFormsTable(forms, files), README, [FORMS_START, FORMS_END]));
  });

  it("a form no case proves, or a case naming an unknown form, is a problem", () => {
    const forms = { principal: { "*": "anyone", CanonicalUser: "canonical" } };
    const file = { domain: "s3", set: "x", file: "x.json", description: "", cases: [{ name: "c", rules: ["S3-009"], input: {}, expect: [], forms: ["principal:*", "principal:Nobody"] }] };
    expect(formProblems(forms, [file])).toEqual(["principal:CanonicalUser: no case lists it under \"forms\"", "s3/x: c: names the unknown form principal:Nobody"]);
  });

  it("replaceSection refuses a README without markers", () => {
    expect(() => replaceSection("# no markers", "table", "README.md")).toThrow(/has no '<!-- rules:start -->'/);
    expect(replaceSection(`a\n${START}\nold\n${END}\nb`, "new")).toBe(`a\n${START}\nnew\n${END}\nb`);
  });

  it("the taggable type list matches the installed AWS provider (run node policies/scripts/taggable.ts)", () => {
    const { lib, version } = providerLib();
    const { types, terraformProvider } = taggableTypes(lib);
    expect(types.length).toBeGreaterThan(500);
    for (const t of ["aws_s3_bucket", "aws_iam_role", "aws_db_instance", "aws_kms_key", "aws_lambda_function", "aws_vpc_security_group_ingress_rule"]) {
      expect(types).toContain(t);
    }
    for (const t of ["aws_s3_bucket_policy", "aws_iam_role_policy_attachment", "aws_kms_alias"]) expect(types).not.toContain(t);
    expect(readFileSync(TAGGABLE_FILE, "utf8")).toBe(renderTaggable(types, version, terraformProvider));
  });
});

describe("case files", () => {
  const ok = { cases: [{ name: "a", rules: ["S3-001"], input: {}, expect: [] }] };
  it("parses a valid file", () => {
    const f = parseCaseFile(JSON.stringify(ok), "test/cases/s3/x.json", "s3", "x");
    expect(f.cases[0]?.rules).toEqual(["S3-001"]);
  });
  it.each([
    ["invalid JSON", "{", /is not valid JSON/],
    ["no cases", JSON.stringify({ cases: [] }), /'cases' must be a non-empty array/],
    ["a duplicate name", JSON.stringify({ cases: [ok.cases[0], ok.cases[0]] }), /case name 'a' is used twice/],
    ["no rules", JSON.stringify({ cases: [{ name: "a", input: {}, expect: [] }] }), /needs 'rules'/],
    ["no input", JSON.stringify({ cases: [{ name: "a", rules: ["S3-001"], expect: [] }] }), /needs an 'input'/],
    ["a bad expectation", JSON.stringify({ cases: [{ name: "a", rules: ["S3-001"], input: {}, expect: ["S3-001"] }] }), /must be \{"rule"/],
    [
      "an expectation outside rules",
      JSON.stringify({ cases: [{ name: "a", rules: ["S3-001"], input: {}, expect: [{ rule: "S3-002", address: "x" }] }] }),
      /expects rule S3-002, which is not in its 'rules'/,
    ],
  ])("rejects %s, naming the file", (_n, text, message) => {
    expect(() => parseCaseFile(text, "test/cases/s3/x.json", "s3", "x")).toThrow(message);
    expect(() => parseCaseFile(text, "test/cases/s3/x.json", "s3", "x")).toThrow(/^test\/cases\/s3\/x\.json: /);
  });
});

describe("opa test result counting", () => {
  it("counts sub-tests as tests and lists failures", () => {
    const counts = countResults([
      { package: "data.a", name: "test_x" },
      { package: "data.a", name: "test_y", fail: true },
      { package: "data.b", name: "test_cases", fail: true, sub_results: { one: { name: "one" }, two: { name: "two", fail: true } } },
      { package: "data.c", name: "test_z", skip: true },
    ]);
    expect(counts).toEqual({ passed: 2, failed: 2, failures: ["data.a.test_y", "data.b.test_cases[two]"] });
  });
});
