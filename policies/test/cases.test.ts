/**
 * Runs every shared case file (test/cases/<domain>/<set>.json) against the compiled
 * policy.wasm: the bundle the CLI ships is the bundle these cases prove.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadCaseFiles } from "../scripts/cases.ts";
import { REGO_DIR } from "../scripts/opa.ts";
import { evaluate } from "../src/index.ts";
import { indexedCase, sharedBundle } from "./helpers.ts";

const files = loadCaseFiles();

function key(f: { rule: string; address: string }): string {
  return `${f.rule} ${f.address}`;
}

for (const file of files) {
  describe(file.file, () => {
    for (const c of file.cases) {
      it(c.name, async () => {
        const { policy, rules } = await sharedBundle();
        for (const id of c.rules) expect(rules.has(id), `rule ${id} is not in the catalog`).toBe(true);
        const findings = evaluate(policy, c.input === null ? "null" : c.input);
        const actual = [...new Set(findings.filter((f) => c.rules.includes(f.rule)).map(key))].sort();
        const expected = [...new Set(c.expect.map(key))].sort();
        expect(actual).toEqual(expected);
      });
      const indexed = indexedCase(c.input);
      if (indexed !== undefined) {
        it(`${c.name} (with referenced_by and index)`, async () => {
          const { policy } = await sharedBundle();
          const findings = evaluate(policy, indexed);
          const actual = [...new Set(findings.filter((f) => c.rules.includes(f.rule)).map(key))].sort();
          expect(actual).toEqual([...new Set(c.expect.map(key))].sort());
        });
      }
    }
  });
}

describe("case coverage", () => {
  it("every catalog rule has a case that reports it and a case that does not", async () => {
    const { catalog } = await sharedBundle();
    const all = files.flatMap((f) => f.cases);
    const missing: string[] = [];
    for (const rule of catalog.rules) {
      const underTest = all.filter((c) => c.rules.includes(rule.id));
      const failing = underTest.some((c) => c.expect.some((e) => e.rule === rule.id));
      const passing = underTest.some((c) => !c.expect.some((e) => e.rule === rule.id));
      if (!failing) missing.push(`${rule.id}: no case expects a finding`);
      if (!passing) missing.push(`${rule.id}: no case expects it to pass`);
    }
    expect(missing).toEqual([]);
  });

  it("every rule id named by a case exists", async () => {
    const { rules } = await sharedBundle();
    const unknown = files.flatMap((f) => f.cases.flatMap((c) => c.rules.filter((id) => !rules.has(id)).map((id) => `${f.file}: ${c.name}: ${id}`)));
    expect(unknown).toEqual([]);
  });

  it("every domain with case files has a _test.rego that runs them", () => {
    const domains = [...new Set(files.map((f) => f.domain))];
    expect(domains.filter((d) => !existsSync(join(REGO_DIR, "rules", d, `${d}_test.rego`)))).toEqual([]);
  });
});
