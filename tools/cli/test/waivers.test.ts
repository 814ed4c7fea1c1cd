import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { CliError } from "../src/errors.ts";
import { EXIT } from "../src/types.ts";
import type { WaiverRef } from "../src/types.ts";
import { countFindings, summarize } from "../src/summary.ts";
import { applyWaivers, globToRegExp, loadWaivers, parseWaivers, waiverMatches } from "../src/waivers.ts";
import { AUDITOR, AUTHOR, OTHER_SENIOR, SENIOR, TEAM_MEMBER, testAuthority } from "./fixtures/authority.ts";
import { catalog, finding, stackResult } from "./fixtures/reporting/catalog.ts";

/** The verdict the check runner gives these stacks and waiver problems (src/summary.ts). */
const verdictOf = (...args: Parameters<typeof summarize>) => summarize(...args).summary.verdict;

const authority = testAuthority();

const NOW = "2026-11-24T09:30:00Z";
const FILE = "governance/waivers.json";

function waiver(extra: Partial<Record<keyof WaiverRef, unknown>> & Record<string, unknown> = {}): Record<string, unknown> {
  return {
    rule: "S3-001",
    target: "payments-prod/data/*/bucket",
    reason: "Invoices bucket is replicated to the archive account, which is versioned",
    ticket: "SEC-1234",
    requestedBy: AUTHOR,
    approvedBy: SENIOR,
    expires: "2027-01-15",
    ...extra,
  };
}

function parse(entries: unknown[], now: string = NOW) {
  return parseWaivers(JSON.stringify({ $schema: "./waivers.schema.json", waivers: entries }), FILE, { now, catalog, authority });
}

function thrown(fn: () => unknown): CliError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    return error as CliError;
  }
  throw new Error("expected a CliError");
}

const prodStack = () =>
  stackResult("payments-prod", [
    finding("S3-001", "payments-prod", "aws_s3_bucket.invoices_1A2B3C", { construct: "payments-prod/data/invoices/bucket" }),
    finding("S3-001", "payments-prod", "aws_s3_bucket.exports_9F8E7D", { construct: "payments-prod/data/exports/bucket" }),
    finding("S3-001", "payments-prod", "aws_s3_bucket.logs_5566", { construct: "payments-prod/logging/bucket" }),
    finding("NET-001", "payments-prod", "aws_security_group.api_44AA", { construct: "payments-prod/api/sg" }),
  ]);

describe("loading and validating waivers", () => {
  it("accepts a complete, current waiver", () => {
    const set = parse([waiver()]);
    expect(set.problems).toEqual([]);
    expect(set.waivers).toHaveLength(1);
    expect(set.waivers[0]).toMatchObject({ rule: "S3-001", index: 0, expires: "2027-01-15" });
  });

  it("loads the repository's governance/waivers.json (an empty, valid list)", () => {
    const set = loadWaivers(resolve(import.meta.dirname, "../../../governance/waivers.json"), { now: NOW, catalog, authority });
    expect(set.waivers).toEqual([]);
    expect(set.problems).toEqual([]);
  });

  it("reports an expired waiver as a mandatory problem naming the file and the fix", () => {
    const set = parse([waiver({ expires: "2026-11-01" })]);
    expect(set.waivers).toEqual([]);
    expect(set.problems).toHaveLength(1);
    const p = set.problems[0]!;
    expect(p.enforcement).toBe("mandatory");
    expect(p.file).toBe(FILE);
    expect(p.index).toBe(0);
    expect(p.problem).toContain("governance/waivers.json waivers[0] (S3-001 on payments-prod/data/*/bucket)");
    expect(p.problem).toContain("expired on 2026-11-01");
    expect(p.problem).toMatch(/renew it .* or remove it and fix the finding/);
  });

  it("treats expires as 00:00 UTC of that day", () => {
    expect(parse([waiver({ expires: "2026-12-01" })], "2026-11-30T23:59:59Z").problems).toEqual([]);
    expect(parse([waiver({ expires: "2026-12-01" })], "2026-12-01T00:00:00Z").problems[0]?.problem).toContain("expired on 2026-12-01");
  });

  it("reports an incomplete waiver with every missing field", () => {
    const { ticket: _t, approvedBy: _a, ...partial } = waiver();
    const set = parse([partial]);
    expect(set.waivers).toEqual([]);
    const text = set.problems[0]?.problem ?? "";
    expect(text).toContain('missing "ticket"');
    expect(text).toContain('missing "approvedBy"');
    expect(set.problems[0]?.enforcement).toBe("mandatory");
  });

  it("rejects malformed tickets, handles and dates", () => {
    const set = parse([waiver({ ticket: "see slack", approvedBy: "bob", expires: "2027-02-30" })]);
    const text = set.problems[0]?.problem ?? "";
    expect(text).toContain('"ticket" is malformed');
    expect(text).toContain('"approvedBy" is malformed');
    expect(text).toContain('"expires" is malformed');
    expect(parse([waiver({ ticket: "https://tracker.example.com/browse/SEC-1" })]).problems).toEqual([]);
  });

  it("rejects a trivial reason", () => {
    expect(parse([waiver({ reason: "needed" })]).problems[0]?.problem).toContain('"reason" is too short');
    expect(parse([waiver({ reason: "temporaryexceptionforrelease" })]).problems[0]?.problem).toContain("is not an explanation");
  });

  it("rejects a target that matches everything", () => {
    expect(parse([waiver({ target: "**/*" })]).problems[0]?.problem).toContain('target "**/*" matches every construct');
  });

  it("rejects an unknown rule id, including prototype names", () => {
    for (const rule of ["S3-999", "__proto__", "constructor"]) {
      const set = parse([waiver({ rule })]);
      expect(set.waivers).toEqual([]);
      expect(set.problems[0]?.problem).toMatch(/unknown rule|"rule" is malformed/);
    }
    expect(parse([waiver({ rule: "S3-999" })]).problems[0]?.problem).toContain('unknown rule "S3-999"');
  });

  it("rejects an expiry more than 90 days after the evaluation date when created is absent", () => {
    const set = parse([waiver({ expires: "2027-02-23" })]); // 91 days after 2026-11-24
    expect(set.problems[0]?.problem).toContain("more than 90 days after 2026-11-24");
    expect(set.problems[0]?.problem).toContain("set expires to 2027-02-22 or earlier");
    expect(parse([waiver({ expires: "2027-02-22" })]).problems).toEqual([]);
  });

  it("measures the 90 days from created when it is given", () => {
    // approved 60 days ago for 90 days: still valid today
    expect(parse([waiver({ created: "2026-09-25", expires: "2026-12-24" })]).problems).toEqual([]);
    // created + 91 days
    expect(parse([waiver({ created: "2026-11-01", expires: "2027-01-31" })]).problems[0]?.problem).toContain(
      "more than 90 days after created 2026-11-01",
    );
    // created in the future
    expect(parse([waiver({ created: "2026-12-01", expires: "2027-01-15" })]).problems[0]?.problem).toContain("is in the future");
  });

  it("keeps valid entries when another entry is invalid", () => {
    const set = parse([waiver(), waiver({ rule: "S3-999" }), waiver({ rule: "NET-001", target: "payments-prod/api/sg" })]);
    expect(set.waivers.map((w) => w.index)).toEqual([0, 2]);
    expect(set.problems.map((p) => p.index)).toEqual([1]);
  });

  it("rejects __proto__ and constructor keys without polluting any prototype", () => {
    const text = `{"waivers": [{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}},
      "rule": "S3-001", "target": "payments-prod/data/*/bucket",
      "reason": "Invoices bucket is replicated to the archive account, which is versioned",
      "ticket": "SEC-1", "approvedBy": "@jdoe", "expires": "2027-01-01"}]}`;
    const set = parseWaivers(text, FILE, { now: NOW, catalog, authority });
    expect(set.waivers).toEqual([]);
    expect(set.problems[0]?.problem).toContain('unknown field "__proto__"');
    expect(set.problems[0]?.problem).toContain('unknown field "constructor"');
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty("polluted");
    expect(Object.getPrototypeOf(set.problems[0]?.waiver)).toBe(Object.prototype);
    expect(() => parseWaivers(`{"waivers": [], "__proto__": {"polluted": true}}`, FILE, { now: NOW, catalog, authority })).toThrow(
      /unknown key "__proto__"/,
    );
    expect(Object.prototype).not.toHaveProperty("polluted");
  });
});

describe("a malformed waivers file is an input error (exit 2)", () => {
  it("refuses a waiver whose fields are written twice, naming the line a reviewer would miss", () => {
    const text = [
      "{",
      '  "waivers": [',
      "    {",
      '      "rule": "S3-001",',
      '      "target": "payments-prod/data/invoices/bucket",',
      '      "reason": "Invoices bucket is replicated to the archive account, which is versioned",',
      '      "ticket": "SEC-1234",',
      '      "requestedBy": "@jo-junior",',
      '      "approvedBy": "@sam-senior",',
      '      "expires": "2027-01-15",',
      '      "target": "**"',
      "    }",
      "  ]",
      "}",
    ].join("\n");
    const error = thrown(() => parseWaivers(text, FILE, { now: NOW, catalog, authority }));
    expect(error.exitCode).toBe(EXIT.USAGE);
    expect(error.message).toContain('governance/waivers.json:11:7: duplicate key "target" (first at line 5, column 7)');
  });

  const cases: [string, string, RegExp][] = [
    ["bad JSON", `{"waivers": [`, /governance\/waivers\.json:1:14: .*strict JSON/],
    ["duplicate key", `{"waivers": [],\n "waivers": [{"rule": "S3-001"}]}`, /governance\/waivers\.json:2:2: duplicate key "waivers" \(first at line 1, column 2\)/],
    ["top-level array", `[]`, /governance\/waivers\.json: the top level must be object/],
    ["no waivers list", `{"exceptions": []}`, /unknown key "exceptions"|has no "waivers" list/],
    ["waivers not a list", `{"waivers": {"rule": "S3-001"}}`, /waivers must be array/],
    ["entry not an object", `{"waivers": ["S3-001"]}`, /waivers\.0 must be object/],
  ];
  for (const [name, text, message] of cases) {
    it(name, () => {
      const error = thrown(() => parseWaivers(text, FILE, { now: NOW, catalog, authority }));
      expect(error.exitCode).toBe(EXIT.USAGE);
      expect(error.message).toMatch(message);
      expect(error.message).toContain(FILE);
    });
  }

  it("a missing file names the path and how to create it", () => {
    const dir = mkdtempSync(join(tmpdir(), "waivers-"));
    const error = thrown(() => loadWaivers(join(dir, "nope.json"), { now: NOW, catalog, authority }));
    expect(error.exitCode).toBe(EXIT.USAGE);
    expect(error.message).toContain("nope.json");
    expect(error.message).toContain("ENOENT");
    expect(error.message).toContain('{"waivers": []}');
  });

  it("loadWaivers reads a file from disk", () => {
    const dir = mkdtempSync(join(tmpdir(), "waivers-"));
    const path = join(dir, "waivers.json");
    writeFileSync(path, JSON.stringify({ waivers: [waiver()] }));
    expect(loadWaivers(path, { now: NOW, catalog, authority }).waivers).toHaveLength(1);
  });

  it("an invalid evaluation time is an input error", () => {
    expect(() => parseWaivers(`{"waivers": []}`, FILE, { now: "yesterday", catalog, authority })).toThrow(/not a valid RFC 3339/);
  });
});

describe("target globs", () => {
  it("'*' stays within one construct-path segment, '**' crosses them", () => {
    expect(globToRegExp("payments-prod/data/*").test("payments-prod/data/invoices")).toBe(true);
    expect(globToRegExp("payments-prod/data/*").test("payments-prod/data/invoices/bucket")).toBe(false);
    expect(globToRegExp("payments-prod/data/**").test("payments-prod/data/invoices/bucket")).toBe(true);
    expect(globToRegExp("payments-?rod/api/sg").test("payments-prod/api/sg")).toBe(true);
  });

  it("treats regular-expression characters literally", () => {
    const re = globToRegExp('module.net.aws_subnet.private["a"]');
    expect(re.test('module.net.aws_subnet.private["a"]')).toBe(true);
    expect(re.test('moduleXnetXaws_subnet.private["a"]')).toBe(false);
    expect(globToRegExp("a+b/(c)").test("aab/c")).toBe(false);
  });

  it("matches construct paths, addresses and the optional stack", () => {
    const f = finding("S3-001", "payments-prod", "aws_s3_bucket.invoices_1A2B3C", { construct: "payments-prod/data/invoices/bucket" });
    const base = waiver() as unknown as WaiverRef;
    expect(waiverMatches(base, f)).toBe(true);
    expect(waiverMatches({ ...base, target: "aws_s3_bucket.invoices_*" }, f)).toBe(true);
    expect(waiverMatches({ ...base, target: "aws_s3_bucket.exports_*" }, f)).toBe(false);
    expect(waiverMatches({ ...base, stack: "payments-dev" }, f)).toBe(false);
    expect(waiverMatches({ ...base, rule: "S3-002" }, f)).toBe(false);
    // a construct-path target never matches a finding without a construct path (plans)
    expect(waiverMatches(base, { ...f, construct: null })).toBe(false);
  });
});

describe("applying waivers", () => {
  it("marks matched findings waived, keeps them in the report, and they stop failing the gate", () => {
    const set = parse([waiver(), waiver({ rule: "NET-001", target: "payments-prod/api/sg", stack: "payments-prod" }), waiver({ target: "payments-prod/logging/bucket" })]);
    const input = [prodStack()];
    const { stacks, waiverProblems } = applyWaivers(input, set);
    const findings = stacks[0]!.findings;
    expect(findings).toHaveLength(4);
    expect(findings.map((f) => f.waived?.target ?? null)).toEqual([
      "payments-prod/data/*/bucket",
      "payments-prod/data/*/bucket",
      "payments-prod/logging/bucket",
      "payments-prod/api/sg",
    ]);
    expect(findings[0]!.waived).not.toHaveProperty("index");
    expect(countFindings(findings)).toEqual({ mandatory: 0, advisory: 0, waived: 4 });
    expect(verdictOf(stacks, waiverProblems)).toBe("pass");
    // the input is not mutated
    expect(input[0]!.findings.every((f) => f.waived === null)).toBe(true);
    expect(verdictOf(input, [])).toBe("fail");
  });

  it("reports unused waivers as advisory and invalid ones as mandatory", () => {
    const set = parse([
      waiver(),
      waiver({ rule: "S3-002", target: "payments-prod/data/*/bucket" }),
      waiver({ expires: "2026-01-01" }),
    ]);
    const { stacks, waiverProblems } = applyWaivers([prodStack()], set);
    expect(waiverProblems.map((p) => [p.index, p.enforcement])).toEqual([
      [2, "mandatory"],
      [1, "advisory"],
    ]);
    expect(waiverProblems[1]!.problem).toContain("waivers[1] (S3-002 on payments-prod/data/*/bucket) matched no finding");
    // two S3-001 findings waived, the logging bucket and NET-001 still fail; plus the expired waiver
    expect(countFindings(stacks[0]!.findings)).toEqual({ mandatory: 2, advisory: 0, waived: 2 });
    expect(verdictOf(stacks, waiverProblems)).toBe("fail");
    expect(summarize(stacks, waiverProblems).summary).toMatchObject({ mandatory: 3, advisory: 1, waived: 2 });
    // an expired waiver alone fails the gate
    const onlyExpired = applyWaivers([stackResult("payments-prod", [])], parse([waiver({ expires: "2026-01-01" })]));
    expect(verdictOf(onlyExpired.stacks, onlyExpired.waiverProblems)).toBe("fail");
  });

  it("records the first matching waiver in file order, whatever it is bound to", () => {
    const set = parse([
      waiver({ target: "aws_s3_bucket.invoices_*" }),
      waiver({ target: "payments-prod/data/invoices/bucket", stack: "payments-prod" }),
      waiver({ target: "payments-prod/data/invoices/*" }),
    ]);
    const { stacks, waiverProblems } = applyWaivers([prodStack()], set);
    expect(stacks[0]!.findings[0]!.waived?.target).toBe("aws_s3_bucket.invoices_*");
    expect(waiverProblems.map((p) => p.index)).toEqual([1, 2]);
    const later = applyWaivers([prodStack()], parse([waiver({ target: "payments-prod/data/invoices/*" }), waiver({ target: "aws_s3_bucket.invoices_*" })]));
    expect(later.stacks[0]!.findings[0]!.waived?.target).toBe("payments-prod/data/invoices/*");
  });

  it("does not call a waiver unused when its stack was not checked", () => {
    const set = parse([
      waiver({ target: "payments-stage/data/*/bucket" }),
      waiver({ target: "aws_s3_bucket.x", stack: "payments-stage" }),
      waiver({ target: "*/data/*/bucket", rule: "S3-002" }),
    ]);
    const { waiverProblems } = applyWaivers([prodStack()], set);
    expect(waiverProblems.map((p) => p.index)).toEqual([2]);
  });
});

describe("governance/README.md", () => {
  it("its waiver example is valid under the repository's teams and decision rights", () => {
    const readme = readFileSync(resolve(import.meta.dirname, "../../../governance/README.md"), "utf8");
    const example = /```json\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
    const set = parseWaivers(example, "governance/README.md", { now: NOW, catalog });
    expect(set.problems).toEqual([]);
    expect(set.waivers).toHaveLength(1);
  });
});

describe("waivers that hold: who asked, who approved, what they cover", () => {
  it("accepts a waiver approved by a declared senior who is not the requester", () => {
    const set = parse([waiver()]);
    expect(set.problems).toEqual([]);
    expect(set.waivers[0]).toMatchObject({ requestedBy: AUTHOR, approvedBy: SENIOR });
  });

  it.each([
    ["the same login", SENIOR, SENIOR],
    ["the same login in other case", "@Sam-Senior", SENIOR],
    ["the same login, approver in upper case", SENIOR, "@SAM-SENIOR"],
  ])("refuses self-approval: %s", (_what, requestedBy, approvedBy) => {
    const set = parse([waiver({ requestedBy, approvedBy })]);
    expect(set.waivers).toEqual([]);
    expect(set.problems[0]?.enforcement).toBe("mandatory");
    expect(set.problems[0]?.problem).toContain(`approvedBy ${approvedBy} is also the requester (requestedBy ${requestedBy}); self-approval is not allowed`);
  });

  it("refuses a waiver that does not say who asked for it", () => {
    const { requestedBy: _r, ...noRequester } = waiver();
    expect(parse([noRequester]).problems[0]?.problem).toContain('missing "requestedBy"');
  });

  it.each([
    ["an unknown login", "@mallory", /approvedBy @mallory is not a member of any team in governance\/teams\.json \(unknown approver\)/],
    ["a team handle", "@acme/platform-seniors", /approvedBy @acme\/platform-seniors is a team; a person approves: name the member of @acme\/platform-seniors/],
    ["an undeclared team", "@acme/everyone", /approvedBy @acme\/everyone is not a member of any team/],
    ["a login without @", "sam-senior", /"approvedBy" is malformed/],
  ])("refuses an approver that is %s", (_what, approvedBy, message) => {
    const set = parse([waiver({ approvedBy })]);
    expect(set.waivers).toEqual([]);
    expect(set.problems[0]?.problem).toMatch(message);
  });

  it("refuses a team as the requester", () => {
    expect(parse([waiver({ requestedBy: "@acme/platform" })]).problems[0]?.problem).toContain('"requestedBy" is malformed');
  });

  // Targets are judged by what they match: every construct of a stack, every resource of a type
  // the rule checks, or every address, however the pattern is spelled.
  it.each([
    ["*", "S3-001"],
    ["**", "S3-001"],
    ["*_*", "S3-001"],
    ["*.*", "S3-001"],
    ["aws_*", "S3-001"],
    ["a*", "S3-001"],
    ["*_bucket.*", "S3-001"],
    ["aws_s3_bucket.*", "S3-001"],
    ["aws_s3_bucket*", "S3-001"],
    ["module.*", "S3-001"],
    ["*/**", "S3-001"],
    ["**/*", "S3-001"],
    ["p*/**", "S3-001"],
    ["payments-prod/**", "S3-001"],
    ["payments-prod/*/**", "S3-001"],
    ["payments-prod/**/*", "S3-001"],
    ["payments-?rod/**", "S3-001"],
    ["aws_security_group.*", "NET-001"],
  ])("refuses a target that matches everything: %s (%s)", (target, rule) => {
    const set = parse([waiver({ target, rule })]);
    expect(set.waivers, target).toEqual([]);
    // Targets shorter than 3 characters are refused by the schema before their meaning is judged.
    expect(set.problems[0]?.problem).toMatch(target.length < 3 ? /"target" is too short/ : new RegExp(`target "${target.replace(/[*?.]/g, "\\$&")}" matches every`));
  });

  it.each([
    ["payments-prod/data/*/bucket", "S3-001"],
    ["payments-prod/data/invoices/bucket", "S3-001"],
    ["payments-prod/data/**", "S3-001"],
    ["*/data/invoices/bucket", "S3-001"],
    ["aws_s3_bucket.invoices_1A2B3C", "S3-001"],
    ["aws_s3_bucket.invoices_*", "S3-001"],
    ['module.net.aws_s3_bucket.logs["a"]', "S3-001"],
    ["aws_security_group.api_*", "NET-001"],
  ])("accepts a target that names what it waives: %s", (target, rule) => {
    expect(parse([waiver({ target, rule })]).problems).toEqual([]);
  });

  const inTier = (tier: "dev" | "stage" | "prod" | null, findings = [finding("S3-001", "payments-x", "aws_s3_bucket.invoices_1A2B3C", { construct: "payments-x/data/invoices/bucket" })]) =>
    stackResult("payments-x", findings, { environment: { name: tier, tier, account: "123456789012", region: "eu-west-1" } });

  it.each([
    // [tier, rule, approver, applied?]
    ["prod", "S3-001", SENIOR, true],
    ["prod", "S3-001", OTHER_SENIOR, true],
    ["prod", "S3-001", TEAM_MEMBER, false],
    ["prod", "S3-001", AUDITOR, false],
    ["stage", "S3-001", TEAM_MEMBER, true],
    ["stage", "S3-001", AUDITOR, false],
    ["dev", "S3-001", AUDITOR, true],
    ["dev", "S3-001", TEAM_MEMBER, true],
    [null, "S3-001", TEAM_MEMBER, false],
    [null, "S3-001", SENIOR, true],
    // change rules carry a risk category; every category needs a senior in every tier
    ["dev", "CHG-002", TEAM_MEMBER, false],
    ["dev", "CHG-002", SENIOR, true],
    ["stage", "CHG-001", TEAM_MEMBER, false],
    ["stage", "CHG-003", SENIOR, true],
    ["dev", "CHG-004", AUDITOR, false],
  ] as const)("tier %s, rule %s, approved by %s: applied %s", (tier, rule, approvedBy, applied) => {
    const set = parse([waiver({ rule, target: "payments-x/data/invoices/bucket", approvedBy })]);
    expect(set.problems).toEqual([]);
    const stack = inTier(tier, [finding(rule, "payments-x", "aws_s3_bucket.invoices_1A2B3C", { construct: "payments-x/data/invoices/bucket" })]);
    const { stacks, waiverProblems } = applyWaivers([stack], set);
    expect(stacks[0]!.findings[0]!.waived !== null).toBe(applied);
    if (applied) {
      expect(waiverProblems).toEqual([]);
    } else {
      expect(waiverProblems).toHaveLength(1);
      const p = waiverProblems[0]!;
      expect(p.enforcement).toBe("mandatory");
      expect(p.problem).toContain(`governance/waivers.json waivers[0] (${rule} on payments-x/data/invoices/bucket): approvedBy ${approvedBy}`);
      expect(p.problem).toContain(`cannot waive it in tier ${tier ?? "unknown"}: governance/decision-rights.json requires the`);
      expect(p.problem).toContain("not applied to aws_s3_bucket.invoices_1A2B3C");
      expect(verdictOf(stacks, waiverProblems)).toBe("fail");
    }
  });

  it("a refused approval does not hide a later waiver whose approver holds the role", () => {
    const set = parse([waiver({ approvedBy: TEAM_MEMBER }), waiver({ approvedBy: OTHER_SENIOR })]);
    const { stacks, waiverProblems } = applyWaivers([prodStack()], set);
    expect(stacks[0]!.findings[0]!.waived?.approvedBy).toBe(OTHER_SENIOR);
    expect(waiverProblems.map((p) => [p.index, p.enforcement])).toEqual([[0, "mandatory"]]);
  });

  it("reads the tier from the stack result, never from the finding's address or construct", () => {
    // A prod stack whose construct path says "dev" still needs a senior.
    const stack = stackResult("payments-dev", [finding("S3-001", "payments-dev", "aws_s3_bucket.dev_1", { construct: "payments-dev/data/x/bucket" })]);
    const { stacks } = applyWaivers([stack], parse([waiver({ target: "payments-dev/data/x/bucket", approvedBy: TEAM_MEMBER })]));
    expect(stacks[0]!.findings[0]!.waived).toBeNull();
  });
});

describe("the repository's governance files", () => {
  it("waivers.json names its schema, so editors validate it", () => {
    const text = readFileSync(resolve(import.meta.dirname, "../../../governance/waivers.json"), "utf8");
    expect((JSON.parse(text) as { $schema?: string }).$schema).toBe("./waivers.schema.json");
  });
});
