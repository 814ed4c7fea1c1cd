/**
 * `baseplate report`: an inventory of the synthesized estate, for FinOps and audit evidence.
 *
 * What to call:
 *   const inventory = buildInventory(synthInputs);            // PolicyInput[] (normalized synth)
 *   renderInventory(format, inventory)   // reporters/: terminal, markdown (PR comment) or json
 *   buildInventory(inputs, { taggable })   // taggable types default to loadTaggableTypes(),
 *                                          // which reads policies/rego/lib/taggable.rego
 *
 * Contents:
 * - resources by Owner, CostCenter and Environment, from effective tags: the provider's
 *   `default_tags` (input.providers[resource.provider].default_tags), then `tags_all`, then the
 *   resource's own `tags`, later ones winning, as the AWS provider merges them;
 * - tag coverage: the share of taggable resources (types with a top-level `tags` argument) that
 *   carry every mandatory tag with a non-empty value (a `${...}` reference counts as present:
 *   its value is decided at apply time and shows as "(computed)");
 * - certificates (aws_acm_certificate) and whether an expiry alarm exists: an
 *   aws_cloudwatch_metric_alarm on metric DaysToExpiry that references the certificate;
 * - data stores (aws_db_instance, aws_rds_cluster, aws_dynamodb_table, aws_efs_file_system,
 *   aws_s3_bucket) and their AWS Backup coverage: an aws_backup_selection that lists the store
 *   in `resources` (by `${...}` reference or a wildcard ARN for its service) or selects it by
 *   `selection_tag`, passes its `condition` blocks, and does not list it in `not_resources`.
 *   Native backup settings (RDS retention, DynamoDB point-in-time recovery) are shown alongside
 *   but are not AWS Backup coverage.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { CliError } from "./errors.ts";
import type { EnvironmentInfo, PolicyInput, PolicyResource } from "./types.ts";
import { displayPath } from "./paths.ts";
import { isObject } from "@baseplate/policies/input";

export const INVENTORY_SCHEMA = "baseplate/inventory@1";
/** The mandatory tags (same list and order as modules/src/baseline/tags.ts MANDATORY_TAG_KEYS). */
export const MANDATORY_TAGS = ["Owner", "CostCenter", "Environment", "Service", "DataClassification", "ManagedBy", "Repository"] as const;
export const DATA_STORE_TYPES = ["aws_db_instance", "aws_rds_cluster", "aws_dynamodb_table", "aws_efs_file_system", "aws_s3_bucket"] as const;
const TAGGABLE_FILE = fileURLToPath(new URL("../../../policies/rego/lib/taggable.rego", import.meta.url));
const MISSING = "(missing)";
const COMPUTED = "(computed)";

export interface TagGroup {
  value: string;
  resources: number;
  stacks: string[];
}

export interface Inventory {
  schema: typeof INVENTORY_SCHEMA;
  generatedFor: string | null;
  stacks: {
    stack: string;
    environment: EnvironmentInfo;
    /** Managed resources (data sources are not counted). */
    resources: number;
    taggable: number;
    fullyTagged: number;
    /** Percent, one decimal; 100 when nothing is taggable. */
    coverage: number;
  }[];
  totals: { resources: number; taggable: number; fullyTagged: number; coverage: number };
  /** Taggable resources lacking each mandatory tag. */
  missingTags: Record<string, number>;
  byOwner: TagGroup[];
  byCostCenter: TagGroup[];
  byEnvironment: TagGroup[];
  /** Taggable resources missing at least one mandatory tag. */
  untagged: { stack: string; address: string; missing: string[] }[];
  certificates: { stack: string; address: string; domain: string | null; expiryAlarm: boolean; alarms: string[] }[];
  dataStores: {
    stack: string;
    address: string;
    type: string;
    backedUp: boolean;
    selections: { address: string; via: "resource" | "tag"; plan: string | null }[];
    native: string | null;
  }[];
}

let taggableCache: ReadonlySet<string> | undefined;

/** Taggable resource types, from the generated policies/rego/lib/taggable.rego. */
export function loadTaggableTypes(path: string = TAGGABLE_FILE): ReadonlySet<string> {
  if (path === TAGGABLE_FILE && taggableCache) return taggableCache;
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new CliError(
      `${displayPath(path)}: cannot read the taggable type list (${(error as NodeJS.ErrnoException).code ?? "read error"}); regenerate it with 'node policies/scripts/taggable.ts'.`,
    );
  }
  const block = /types := \{([\s\S]*?)\}/.exec(text)?.[1] ?? "";
  const types = new Set([...block.matchAll(/"(aws_[a-z0-9_]+)"/g)].map((m) => m[1] ?? ""));
  if (types.size === 0) {
    throw new CliError(`${displayPath(path)}: no taggable types found; regenerate it with 'node policies/scripts/taggable.ts'.`);
  }
  if (path === TAGGABLE_FILE) taggableCache = types;
  return types;
}

function asArray(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  return value === null || value === undefined ? [] : [value];
}


/** Copies own string-keyed entries into a null-prototype map (no `__proto__` surprises). */
function mergeInto(target: Record<string, unknown>, source: unknown): void {
  if (!isObject(source)) return;
  for (const key of Object.keys(source)) target[key] = source[key];
}

/** The tags AWS will apply: provider default_tags, then tags_all, then tags. */
export function effectiveTags(r: PolicyResource, providers: PolicyInput["providers"]): Record<string, unknown> {
  const tags: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  // resources without an explicit provider use the default configuration ("aws")
  const key = typeof r.provider === "string" && r.provider ? r.provider : "aws";
  const provider = providers && Object.hasOwn(providers, key) ? providers[key] : undefined;
  if (isObject(provider)) {
    for (const block of asArray(provider["default_tags"])) if (isObject(block)) mergeInto(tags, block["tags"]);
  }
  mergeInto(tags, r.values["tags_all"]);
  mergeInto(tags, r.values["tags"]);
  return tags;
}

function tagValue(tags: Record<string, unknown>, key: string): string {
  const v = tags[key];
  if (typeof v === "string" && v !== "") return v.includes("${") ? COMPUTED : v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return MISSING;
}

const refersTo = (text: string, address: string): boolean => text.includes(`\${${address}.`) || text.includes(`\${${address}}`);

/** A representative ARN per data-store type, to test wildcard entries of a selection's resources. */
const SAMPLE_ARN: Record<string, string> = {
  aws_db_instance: "arn:aws:rds:eu-west-1:123456789012:db:name",
  aws_rds_cluster: "arn:aws:rds:eu-west-1:123456789012:cluster:name",
  aws_dynamodb_table: "arn:aws:dynamodb:eu-west-1:123456789012:table/name",
  aws_efs_file_system: "arn:aws:elasticfilesystem:eu-west-1:123456789012:file-system/fs-0123",
  aws_s3_bucket: "arn:aws:s3:::name",
};

/** Whether a wildcard entry ("*", "arn:aws:rds:*:*:db:*") can select a store of this type. */
function wildcardCovers(entry: string, type: string): boolean {
  if (!entry.includes("*") || entry.includes("${")) return false;
  const sample = SAMPLE_ARN[type];
  return entry === "*" || (sample !== undefined && likeMatch(entry, sample));
}

function likeMatch(pattern: string, value: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[\\^$.|+()[\]{}]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "s");
  return re.test(value);
}

/** Whether every condition block of a selection holds for these tags. */
function conditionsHold(selection: PolicyResource, tags: Record<string, unknown>): boolean {
  for (const block of asArray(selection.values["condition"])) {
    if (!isObject(block)) continue;
    const checks: [string, (actual: string | undefined, expected: string) => boolean][] = [
      ["string_equals", (a, e) => a === e],
      ["string_not_equals", (a, e) => a !== e],
      ["string_like", (a, e) => a !== undefined && likeMatch(e, a)],
      ["string_not_like", (a, e) => a === undefined || !likeMatch(e, a)],
    ];
    for (const [name, test] of checks) {
      for (const c of asArray(block[name])) {
        if (!isObject(c) || typeof c["key"] !== "string" || typeof c["value"] !== "string") continue;
        const tagKey = c["key"].replace(/^aws:ResourceTag\//, "");
        const raw = tags[tagKey];
        const actual = typeof raw === "string" ? raw : undefined;
        if (!test(actual, c["value"])) return false;
      }
    }
  }
  return true;
}

function backupCoverage(
  store: PolicyResource,
  tags: Record<string, unknown>,
  selections: readonly PolicyResource[],
  source: PolicyInput["source"],
): { address: string; via: "resource" | "tag"; plan: string | null }[] {
  const out: { address: string; via: "resource" | "tag"; plan: string | null }[] = [];
  for (const sel of selections) {
    const listed = asArray(sel.values["resources"]).filter((x): x is string => typeof x === "string");
    const excluded = asArray(sel.values["not_resources"]).filter((x): x is string => typeof x === "string");
    if (excluded.some((x) => refersTo(x, store.address))) continue;
    let via: "resource" | "tag" | null = null;
    if (listed.some((x) => refersTo(x, store.address))) via = "resource";
    else if (source === "plan" && sel.references.includes(store.address)) via = "resource";
    else if (listed.some((x) => wildcardCovers(x, store.type))) via = "tag";
    else {
      for (const t of asArray(sel.values["selection_tag"])) {
        if (!isObject(t) || typeof t["key"] !== "string") continue;
        const type = typeof t["type"] === "string" ? t["type"].toUpperCase() : "STRINGEQUALS";
        if (type === "STRINGEQUALS" && tags[t["key"]] === t["value"]) via = "tag";
      }
    }
    if (via && conditionsHold(sel, tags)) {
      const plan = sel.references.find((a) => a.startsWith("aws_backup_plan.")) ?? null;
      out.push({ address: sel.address, via, plan });
    }
  }
  return out;
}

function nativeBackup(store: PolicyResource): string | null {
  const v = store.values;
  if (store.type === "aws_db_instance" || store.type === "aws_rds_cluster") {
    const days = v["backup_retention_period"];
    return typeof days === "number" ? `automated backups ${days} day${days === 1 ? "" : "s"}` : null;
  }
  if (store.type === "aws_dynamodb_table") {
    const pitr = asArray(v["point_in_time_recovery"])[0];
    if (isObject(pitr)) return pitr["enabled"] === true ? "point-in-time recovery on" : "point-in-time recovery off";
  }
  return null;
}

function percent(part: number, whole: number): number {
  return whole === 0 ? 100 : Math.round((part / whole) * 1000) / 10;
}

function groups(map: Map<string, { resources: number; stacks: Set<string> }>): TagGroup[] {
  return [...map.entries()]
    .map(([value, g]) => ({ value, resources: g.resources, stacks: [...g.stacks].sort() }))
    .sort((a, b) => b.resources - a.resources || a.value.localeCompare(b.value));
}

/** Builds the inventory from normalized synth (or plan) inputs. Pure given `taggable`. */
export function buildInventory(inputs: readonly PolicyInput[], options: { taggable?: ReadonlySet<string> } = {}): Inventory {
  const taggable = options.taggable ?? loadTaggableTypes();
  const missingTags: Record<string, number> = Object.fromEntries(MANDATORY_TAGS.map((t) => [t, 0]));
  const byKey = {
    Owner: new Map<string, { resources: number; stacks: Set<string> }>(),
    CostCenter: new Map<string, { resources: number; stacks: Set<string> }>(),
    Environment: new Map<string, { resources: number; stacks: Set<string> }>(),
  };
  const inv: Inventory = {
    schema: INVENTORY_SCHEMA,
    generatedFor: inputs[0]?.now ?? null,
    stacks: [],
    totals: { resources: 0, taggable: 0, fullyTagged: 0, coverage: 100 },
    missingTags,
    byOwner: [],
    byCostCenter: [],
    byEnvironment: [],
    untagged: [],
    certificates: [],
    dataStores: [],
  };
  for (const input of [...inputs].sort((a, b) => a.stack.localeCompare(b.stack))) {
    const res = input.resources;
    const list = (type: string): PolicyResource[] => (Object.hasOwn(res, type) ? (res[type] ?? []) : []);
    let resources = 0;
    let taggableCount = 0;
    let fully = 0;
    const tagsOf = new Map<string, Record<string, unknown>>();
    for (const type of Object.keys(res).sort()) {
      for (const r of list(type)) {
        if (r.mode !== "managed") continue;
        resources++;
        if (!taggable.has(r.type)) continue;
        taggableCount++;
        const tags = effectiveTags(r, input.providers);
        tagsOf.set(r.address, tags);
        const missing = MANDATORY_TAGS.filter((k) => tagValue(tags, k) === MISSING);
        for (const k of missing) missingTags[k] = (missingTags[k] ?? 0) + 1;
        if (missing.length === 0) fully++;
        else inv.untagged.push({ stack: input.stack, address: r.address, missing });
        for (const key of ["Owner", "CostCenter", "Environment"] as const) {
          const value = tagValue(tags, key);
          const g = byKey[key].get(value) ?? { resources: 0, stacks: new Set<string>() };
          g.resources++;
          g.stacks.add(input.stack);
          byKey[key].set(value, g);
        }
      }
    }
    inv.stacks.push({ stack: input.stack, environment: input.environment, resources, taggable: taggableCount, fullyTagged: fully, coverage: percent(fully, taggableCount) });
    inv.totals.resources += resources;
    inv.totals.taggable += taggableCount;
    inv.totals.fullyTagged += fully;

    const alarms = list("aws_cloudwatch_metric_alarm").filter((a) => a.values["metric_name"] === "DaysToExpiry");
    for (const cert of list("aws_acm_certificate")) {
      if (cert.mode !== "managed") continue;
      const matching = alarms.filter((a) => a.references.includes(cert.address)).map((a) => a.address);
      const domain = cert.values["domain_name"];
      inv.certificates.push({
        stack: input.stack,
        address: cert.address,
        domain: typeof domain === "string" ? domain : null,
        expiryAlarm: matching.length > 0,
        alarms: matching,
      });
    }

    const selections = list("aws_backup_selection");
    for (const type of DATA_STORE_TYPES) {
      for (const store of list(type)) {
        if (store.mode !== "managed") continue;
        const tags = tagsOf.get(store.address) ?? effectiveTags(store, input.providers);
        const covered = backupCoverage(store, tags, selections, input.source);
        inv.dataStores.push({
          stack: input.stack,
          address: store.address,
          type,
          backedUp: covered.length > 0,
          selections: covered,
          native: nativeBackup(store),
        });
      }
    }
  }
  inv.totals.coverage = percent(inv.totals.fullyTagged, inv.totals.taggable);
  inv.byOwner = groups(byKey.Owner);
  inv.byCostCenter = groups(byKey.CostCenter);
  inv.byEnvironment = groups(byKey.Environment);
  return inv;
}
