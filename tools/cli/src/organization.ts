/**
 * The organization boundary: governance/organization.json, reviewed like the waivers.
 *
 * What to call:
 *   const org = loadOrganization("governance/organization.json");
 *       // reads + validates against governance/organization.schema.json; throws CliError
 *       // (exit 2) naming the file and the fix when it is unreadable or invalid
 *   parseOrganization(text, file)   // the pure core, for tests
 *
 * The result is what the gate passes to every rule as `input.organization` (policies/CONTRACT.md):
 * `{ "id": "o-...", "accounts": ["111111111111", ...], "repositories": ["owner/repo"] }`. The
 * policy library (policies/rego/lib/policy) reads it to decide which accounts are outside the
 * organization and which GitHub repositories may assume roles.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseJsonStrict } from "@baseplate/policies/json";
import { Ajv } from "ajv";
import type { ValidateFunction } from "ajv";
import { CliError } from "./errors.ts";
import { displayPath } from "./paths.ts";

/** input.organization as rules read it. */
export interface OrganizationInput {
  /** AWS Organizations id (o-...). */
  id: string;
  /** Member account ids. */
  accounts: string[];
  /** owner/repo of the repositories whose GitHub Actions workflows may assume roles. */
  repositories: string[];
}

const SCHEMA_FILE = fileURLToPath(new URL("../../../governance/organization.schema.json", import.meta.url));
let validator: ValidateFunction | undefined;

function schemaValidator(): ValidateFunction {
  if (validator) return validator;
  let schema: unknown;
  try {
    schema = JSON.parse(readFileSync(SCHEMA_FILE, "utf8"));
  } catch (error) {
    throw new CliError(
      `${displayPath(SCHEMA_FILE)}: cannot load the organization schema (${(error as Error).message}); restore the file from version control.`,
    );
  }
  validator = new Ajv({ allErrors: true, strict: true }).compile(schema as object);
  return validator;
}

interface OrganizationFile {
  organizationId: string;
  accounts: { id: string; name: string }[];
  github?: { repositories: string[] };
}

/** Reads and validates an organization file. */
export function loadOrganization(path: string): OrganizationInput {
  const file = displayPath(path);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "read error";
    throw new CliError(`${file}: cannot read the organization file (${code}); restore it from version control or pass the right path.`);
  }
  return parseOrganization(text, file);
}

/** Validates the text of an organization file and returns input.organization. */
export function parseOrganization(text: string, file: string): OrganizationInput {
  let doc: unknown;
  try {
    doc = parseJsonStrict(text, file);
  } catch (error) {
    throw new CliError(`${(error as Error).message} (the organization file must be strict JSON without repeated keys).`);
  }
  const validate = schemaValidator();
  if (!validate(doc)) {
    const problems = (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? "is invalid"}`);
    throw new CliError(`${file}: ${problems.join("; ")}; fix the file (schema: governance/organization.schema.json).`);
  }
  const org = doc as OrganizationFile;
  const ids = org.accounts.map((a) => a.id);
  const repeated = ids.find((id, i) => ids.indexOf(id) !== i);
  if (repeated !== undefined) throw new CliError(`${file}: account ${repeated} is listed twice; keep one entry per account.`);
  return { id: org.organizationId, accounts: ids, repositories: org.github?.repositories ?? [] };
}
