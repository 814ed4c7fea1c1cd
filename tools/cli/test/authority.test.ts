/**
 * Who holds which role (src/authority.ts): teams.json joined with decision-rights.json.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { loadAuthority, makeAuthority, parseTeams } from "../src/authority.ts";
import { CliError } from "../src/errors.ts";
import { loadDecisionRights, parseDecisionRights } from "../src/review.ts";
import { AUDITOR, SENIOR, TEAM_MEMBER, TEST_TEAMS, testAuthority } from "./fixtures/authority.ts";

const ROOT = resolve(import.meta.dirname, "../../..");

describe("teams and roles", () => {
  const authority = testAuthority();

  it("a team's members hold its role, and every declared person holds the any-reviewer role", () => {
    expect(authority.holds(SENIOR).map((r) => r.role)).toEqual(["senior", "team", "pr-review"]);
    expect(authority.holds(TEAM_MEMBER).map((r) => r.role)).toEqual(["team", "pr-review"]);
    expect(authority.holds(AUDITOR).map((r) => r.role)).toEqual(["pr-review"]);
    expect(authority.holds("@stranger")).toEqual([]);
    expect(authority.holds("@SAM-SENIOR").map((r) => r.role)).toContain("senior");
  });

  it.each([
    ["prod", null, "senior"],
    ["stage", null, "team"],
    ["dev", null, "pr-review"],
    ["unknown", null, "senior"],
    ["qa", null, "senior"], // a tier with no "change" row fails closed
    ["dev", "iam", "senior"],
    ["stage", "compliance-posture", "senior"],
    ["dev", "cost", "senior"], // a category without a row fails closed
  ])("tier %s, category %s needs %s", (tier, category, role) => {
    expect(authority.required(tier, category).role).toBe(role);
  });

  it("refuses a role whose team is not declared", () => {
    const rights = loadDecisionRights();
    const teams = parseTeams(JSON.stringify({ teams: { "@acme/platform": TEST_TEAMS.teams["@acme/platform"] } }), "governance/teams.json");
    expect(() => makeAuthority(rights, teams)).toThrow(CliError);
    expect(() => makeAuthority(rights, teams)).toThrow(/approver role "senior" names @acme\/platform-seniors, which is not a team declared in governance\/teams\.json/);
  });

  it.each([
    ['{"teams": {"@acme/a": {"description": "x", "members": ["@p"]},\n "@acme/a": {"description": "y", "members": ["@q"]}}}', /teams\.json:2:2: duplicate key "@acme\/a"/],
    ['{"teams": {"@acme/a": {"description": "x", "members": ["@p"]}, "@ACME/A": {"description": "y", "members": ["@q"]}}}', /declared twice \(handles are case-insensitive\)/],
    ['{"teams": {"@acme/a": {"description": "x", "members": ["@p", "@P"]}}}', /lists a member twice/],
    ['{"teams": {"@acme/a": {"description": "x", "members": ["@acme/b"]}}}', /members\/0 must match pattern/],
    ['{"teams": {"acme": {"description": "x", "members": ["@p"]}}}', /property name must be valid|must match pattern/],
  ])("refuses a malformed teams file: %s", (text, message) => {
    expect(() => parseTeams(text, "governance/teams.json")).toThrow(message);
  });
});

describe("the repository's governance files", () => {
  it("declare every team the decision rights name, so the repository's authority loads", () => {
    const authority = loadAuthority();
    for (const role of Object.values(authority.rights.approvers)) {
      if (typeof role.handle === "string") expect(authority.isTeam(role.handle), role.handle).toBe(true);
    }
    expect(Object.values(authority.rights.approvers).some((r) => r.senior)).toBe(true);
  });

  it("declare every team CODEOWNERS names", () => {
    const text = readFileSync(resolve(ROOT, ".github/CODEOWNERS"), "utf8");
    const owners = new Set(text.split("\n").filter((l) => l.trim() && !l.startsWith("#")).flatMap((l) => l.trim().split(/\s+/).slice(1)));
    const authority = loadAuthority();
    for (const owner of owners) expect(authority.isTeam(owner), `${owner} in CODEOWNERS is not in governance/teams.json`).toBe(true);
  });

  it("teams.json names its schema, so editors validate it", () => {
    const doc = JSON.parse(readFileSync(resolve(ROOT, "governance/teams.json"), "utf8")) as { $schema?: string };
    expect(doc.$schema).toBe("./teams.schema.json");
    expect(() => parseDecisionRights(readFileSync(resolve(ROOT, "governance/decision-rights.json"), "utf8"), "governance/decision-rights.json")).not.toThrow();
  });
});
