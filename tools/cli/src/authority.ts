/**
 * Who holds which approver role: governance/teams.json (the declared teams and their members)
 * joined with governance/decision-rights.json (which team holds which role, and which role a
 * tier and a risk category require). Used by waivers (an approver must hold the role the
 * finding's tier and category require) and by `baseplate review`.
 *
 * What to call:
 *   const authority = loadAuthority();                 // the repository's governance files
 *   authority.required(tier, category)                 // the role a change or waiver needs
 *   authority.holds(handle)                            // roles a person holds (empty: unknown)
 *
 * Rules:
 * - Handles are GitHub logins and teams, compared case-insensitively (GitHub's own rule).
 * - A role with `handle: null` (any reviewer) is held by every declared person; a role whose
 *   handle is a team is held by its members. Every team handle in decision-rights.json must be
 *   declared in teams.json (a CliError otherwise), so an approver list cannot drift from the
 *   roles.
 * - A role of higher rank satisfies a requirement of lower rank.
 * - required(): the `change` rows of the tier, plus the rows of the category (or `*`) when
 *   there is one; the highest-ranked role wins. A tier without a `change` row, or a category
 *   without a row, needs the highest-ranked senior role (fail closed).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseJsonStrict } from "@baseplate/policies/json";
import { Ajv } from "ajv";
import { CliError } from "./errors.ts";
import { DECISION_RIGHTS_FILE, loadDecisionRights } from "./review.ts";
import type { DecisionRights } from "./review.ts";
import { displayPath } from "./paths.ts";

/** The repository's declared teams. */
export const TEAMS_FILE = fileURLToPath(new URL("../../../governance/teams.json", import.meta.url));
const TEAMS_SCHEMA_FILE = fileURLToPath(new URL("../../../governance/teams.schema.json", import.meta.url));

export interface Teams {
  /** Team handle (lower case) to its members (lower case). */
  teams: Map<string, Set<string>>;
  /** Every declared person (lower case). */
  people: Set<string>;
}

export interface RoleNeed {
  role: string;
  rank: number;
  senior: boolean;
  /** The decision-rights reasons behind the need. */
  reasons: string[];
}

export interface Authority {
  rights: DecisionRights;
  teams: Teams;
  /** The role a change (or a waiver of a finding) in `tier` with `category` needs. */
  required(tier: string, category: string | null): RoleNeed;
  /** Roles `handle` holds, highest rank first; empty when the handle is not a declared person. */
  holds(handle: string): RoleNeed[];
  /** Whether `handle` holds `need`'s role or one of higher rank. */
  satisfies(handle: string, need: RoleNeed): boolean;
  /** Whether `handle` is a declared team (a team cannot sign an approval: a person does). */
  isTeam(handle: string): boolean;
}

let teamsValidator: ReturnType<Ajv["compile"]> | undefined;

/** Validates the text of governance/teams.json. */
export function parseTeams(text: string, file: string): Teams {
  let doc: unknown;
  try {
    doc = parseJsonStrict(text, file);
  } catch (error) {
    throw new CliError(`${(error as Error).message} (the teams file must be strict JSON without repeated keys).`);
  }
  if (!teamsValidator) {
    let schema: unknown;
    try {
      schema = JSON.parse(readFileSync(TEAMS_SCHEMA_FILE, "utf8"));
    } catch (error) {
      throw new CliError(`${displayPath(TEAMS_SCHEMA_FILE)}: cannot load the schema (${(error as Error).message}); restore it from version control.`);
    }
    teamsValidator = new Ajv({ allErrors: true, strict: true }).compile(schema as object);
  }
  if (!teamsValidator(doc)) {
    const what = (teamsValidator.errors ?? [])
      .slice(0, 3)
      .map((e) => `${e.instancePath || "top level"} ${e.message ?? "is invalid"}${e.keyword === "additionalProperties" ? ` (${String(e.params["additionalProperty"])})` : ""}`)
      .join("; ");
    throw new CliError(`${file}: ${what}; see governance/README.md for the format.`);
  }
  const teams = new Map<string, Set<string>>();
  const people = new Set<string>();
  for (const [handle, team] of Object.entries((doc as { teams: Record<string, { members: string[] }> }).teams)) {
    const key = handle.toLowerCase();
    if (teams.has(key)) throw new CliError(`${file}: team ${handle} is declared twice (handles are case-insensitive); merge the entries.`);
    const members = new Set(team.members.map((m) => m.toLowerCase()));
    if (members.size !== team.members.length) throw new CliError(`${file}: team ${handle} lists a member twice (handles are case-insensitive); remove the repeat.`);
    teams.set(key, members);
    for (const m of members) people.add(m);
  }
  return { teams, people };
}

export function loadTeams(path: string = TEAMS_FILE): Teams {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new CliError(
      `${displayPath(path)}: cannot read the teams file (${(error as NodeJS.ErrnoException).code ?? "read error"}); restore governance/teams.json from version control.`,
    );
  }
  return parseTeams(text, displayPath(path));
}

/** Joins decision rights and teams; refuses a role whose team is not declared. */
export function makeAuthority(rights: DecisionRights, teams: Teams, rightsFile = "governance/decision-rights.json"): Authority {
  const roles = Object.entries(rights.approvers).map(([role, def]) => ({ role, def, rank: def.rank ?? 0 }));
  for (const { role, def } of roles) {
    if (typeof def.handle === "string" && !teams.teams.has(def.handle.toLowerCase())) {
      throw new CliError(
        `${rightsFile}: approver role "${role}" names ${def.handle}, which is not a team declared in governance/teams.json; declare the team and its members, or fix the handle.`,
      );
    }
  }
  const bySeniority = [...roles].sort((a, b) => b.rank - a.rank || Number(b.def.senior) - Number(a.def.senior) || a.role.localeCompare(b.role));
  const topSenior = bySeniority.find((r) => r.def.senior);
  if (!topSenior) throw new CliError(`${rightsFile}: no approver role has "senior": true; mark the senior role so unmatched risks can fail closed.`);
  const need = (r: (typeof roles)[number], reasons: string[]): RoleNeed => ({ role: r.role, rank: r.rank, senior: r.def.senior, reasons });

  const holds = (handle: string): RoleNeed[] => {
    const who = handle.toLowerCase();
    if (!teams.people.has(who)) return [];
    return bySeniority
      .filter(({ def }) => typeof def.handle !== "string" || (teams.teams.get(def.handle.toLowerCase())?.has(who) ?? false))
      .map((r) => need(r, []));
  };

  return {
    rights,
    teams,
    required(tier, category) {
      const tierMatches = (t: string): boolean => t === tier || t === "*";
      const reasons: string[] = [];
      const candidates: (typeof roles)[number][] = [];
      const take = (rows: DecisionRights["requirements"], fallback: string): void => {
        if (rows.length === 0) {
          candidates.push(topSenior);
          reasons.push(fallback);
        }
        for (const row of rows) {
          const r = roles.find((x) => x.role === row.approver);
          if (r) candidates.push(r);
          reasons.push(row.reason);
        }
      };
      take(
        rights.requirements.filter((r) => r.risk === "change" && tierMatches(r.tier)),
        `tier "${tier}" has no "change" requirement in decision-rights.json, so a senior approves (fail closed).`,
      );
      if (category !== null) {
        take(
          rights.requirements.filter((r) => (r.risk === category || r.risk === "*") && tierMatches(r.tier)),
          `${category}: no requirement in decision-rights.json for tier "${tier}", so a senior approves (fail closed).`,
        );
      }
      const top = [...candidates].sort((a, b) => b.rank - a.rank || Number(b.def.senior) - Number(a.def.senior))[0] ?? topSenior;
      return need(top, reasons);
    },
    holds,
    satisfies(handle, required) {
      return holds(handle).some((r) => r.rank > required.rank || r.role === required.role || (r.rank === required.rank && (r.senior || !required.senior)));
    },
    isTeam(handle) {
      return teams.teams.has(handle.toLowerCase());
    },
  };
}

let cached: Authority | undefined;

/** The repository's authority (governance/decision-rights.json + governance/teams.json), loaded once. */
export function loadAuthority(): Authority {
  cached ??= makeAuthority(loadDecisionRights(DECISION_RIGHTS_FILE), loadTeams(TEAMS_FILE), displayPath(DECISION_RIGHTS_FILE));
  return cached;
}
