/**
 * One rule per file, and a rule's id written only where its METADATA declares it
 * (scripts/rule-files.ts, checked by the build).
 */
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { build } from "../scripts/build.ts";
import { REGO_DIR } from "../scripts/opa.ts";
import { type RuleAnnotation, bundleSources, lexRego, ruleFileProblems } from "../scripts/rule-files.ts";

const RULES = "/r/rules";

function problems(files: Record<string, string>, rules: RuleAnnotation[]): string[] {
  const paths = Object.keys(files).map((f) => join(RULES, f));
  return ruleFileProblems(RULES, paths, rules, (p) => files[p.slice(RULES.length + 1)] ?? "");
}

const s3001: RuleAnnotation = { id: "S3-001", file: join(RULES, "s3", "public_access_block.rego"), row: 7, domain: "s3" };

const ruleText = (id: string, extra = ""): string => `package baseplate.rules.s3

# METADATA
# custom:
#   id: ${id}
deny contains finding if {
	some b in input.buckets
	finding := {"rule": "${id}", "address": b}
}
${extra}`;

describe("lexRego", () => {
  it("separates string literals from comments and code, raw strings included", () => {
    const { code, strings } = lexRego('x := "a#b" # "S3-001"\ny := `raw\n"q"` # c\nz := "e\\"s"\n');
    expect(strings).toEqual([
      { value: "a#b", line: 1 },
      { value: 'raw\n"q"', line: 2 },
      { value: 'e"s', line: 4 },
    ]);
    expect(code).toEqual(['x := "" ', "y := ", "`` ", 'z := ""', ""]);
  });
});

describe("ruleFileProblems", () => {
  it("accepts a rule file that writes only its own id, in any position", () => {
    const text = ruleText("S3-001", '\ntag_rules contains "S3-001"\n\n_fails("S3-001", x) := x\n# mentions S3-002 in a comment are fine: "S3-002"\n');
    expect(problems({ "s3/public_access_block.rego": text }, [s3001])).toEqual([]);
  });

  it("refuses a body that carries another rule's id", () => {
    const text = ruleText("S3-001").replace('"rule": "S3-001"', '"rule": "S3-002"');
    expect(problems({ "s3/public_access_block.rego": text }, [s3001])).toEqual([
      'policies/rego/rules/s3/public_access_block.rego:8: writes the rule id "S3-002", but the file\'s rule is S3-001 (METADATA custom.id, line 7); a file writes only its own rule\'s id',
    ]);
  });

  it("refuses a second body without METADATA that writes a neighbouring id", () => {
    const text = ruleText("S3-001", '\ndeny contains finding if {\n\tfinding := {"rule": "S3-010", "address": "x"}\n}\n');
    expect(problems({ "s3/public_access_block.rego": text }, [s3001])).toEqual([expect.stringContaining(':12: writes the rule id "S3-010"')]);
  });

  it("refuses a raw-string id too", () => {
    const text = ruleText("S3-001", "\nother := `S3-002`\n");
    expect(problems({ "s3/public_access_block.rego": text }, [s3001])).toEqual([expect.stringContaining('writes the rule id "S3-002"')]);
  });

  it("refuses two rules in one file", () => {
    const second: RuleAnnotation = { ...s3001, id: "S3-002", row: 12 };
    const text = ruleText("S3-001", ruleText("S3-002").replace(/^package .*\n/, ""));
    expect(problems({ "s3/public_access_block.rego": text }, [s3001, second])).toEqual([
      "policies/rego/rules/s3/public_access_block.rego: holds the rules S3-001 (line 7), S3-002 (line 12); move each rule into a file of its own (one rule per file)",
    ]);
  });

  it("refuses ids and deny definitions in helper files", () => {
    const helpers = 'package baseplate.rules.s3\n\nids := ["S3-001"]\n\ndeny contains x if x := input.y\n';
    expect(problems({ "s3/helpers.rego": helpers }, [])).toEqual([
      expect.stringContaining('policies/rego/rules/s3/helpers.rego:3: writes the rule id "S3-001" outside a rule file'),
      expect.stringContaining("policies/rego/rules/s3/helpers.rego:5: defines deny without a rule METADATA block"),
    ]);
  });

  it("refuses a rule outside the folder of its package", () => {
    const misplaced: RuleAnnotation = { ...s3001, file: join(RULES, "kms", "public_access_block.rego") };
    expect(problems({ "kms/public_access_block.rego": ruleText("S3-001") }, [misplaced])).toEqual([
      expect.stringContaining("rule S3-001 of package baseplate.rules.s3 belongs in policies/rego/rules/s3/<rule>.rego"),
    ]);
  });

  it("every rule file of the repository declares exactly one rule id", () => {
    const files = bundleSources(join(REGO_DIR, "rules")).filter((f) => !f.endsWith("helpers.rego"));
    const counts = files.map((f) => [f, [...readFileSync(f, "utf8").matchAll(/^#\s+id:/gm)].length] as const);
    expect(files.length).toBeGreaterThan(70);
    expect(counts.filter(([, n]) => n !== 1)).toEqual([]);
  });
});

describe("the build", () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  function copy(): { rego: string; out: string } {
    const d = mkdtempSync(join(tmpdir(), "baseplate-rule-files-"));
    dirs.push(d);
    const rego = join(d, "rego");
    cpSync(REGO_DIR, rego, { recursive: true });
    return { rego, out: join(d, "build") };
  }

  it("refuses a body whose id disagrees with its METADATA, and writes nothing", async () => {
    const { rego, out } = copy();
    const file = join(rego, "rules", "s3", "versioning.rego");
    const text = readFileSync(file, "utf8");
    const lines = text.split("\n");
    const at = lines.findIndex((l) => l.includes('"rule": "S3-004"'));
    expect(at).toBeGreaterThan(0);
    lines[at] = (lines[at] ?? "").replace('"rule": "S3-004"', '"rule": "S3-003"');
    writeFileSync(file, lines.join("\n"));
    await expect(build({ force: true, regoDir: rego, buildDir: out })).rejects.toThrow(
      `policies/rego/rules/s3/versioning.rego:${at + 1}: writes the rule id "S3-003", but the file's rule is S3-004`,
    );
    expect(() => readdirSync(out)).toThrow();
  });

  it("refuses a second rule pasted into a rule file", async () => {
    const { rego, out } = copy();
    const target = join(rego, "rules", "s3", "no_force_destroy.rego");
    const donor = readFileSync(join(rego, "rules", "s3", "access_logging.rego"), "utf8");
    const body = donor.slice(donor.indexOf("# METADATA"));
    writeFileSync(target, `${readFileSync(target, "utf8")}\n${body}`);
    rmSync(join(rego, "rules", "s3", "access_logging.rego"));
    await expect(build({ force: true, regoDir: rego, buildDir: out })).rejects.toThrow(/no_force_destroy\.rego: holds the rules S3-010 \(line \d+\), S3-006 \(line \d+\)|S3-006 \(line \d+\), S3-010/);
  });
});
