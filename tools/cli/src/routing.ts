/**
 * Risk categories of a planned change from the decision rights' attribute-level predicates
 * (governance/decision-rights.json, `categories.<name>.changes`). `baseplate review` adds them to
 * the categories the policy findings carry, so routing follows the decision rights even where no
 * rule fires.
 *
 * What to call:
 *   const route = compileRouting(rights);         // once: predicates indexed by resource type
 *   route(resource, action)                        // [{ category, why }] for one changed resource
 *
 * Predicates (`when`), on the plan's `before` and after (`values`; for deletes, `before`):
 * - changed: any create, update, delete or replace.
 * - deleted: delete or replace (the old object is destroyed).
 * - attribute-changed: the attribute differs between before and after (a create with a value,
 *   a delete of a value, or an update). A value known only after apply counts as changed.
 * - turned-off: an update or replace takes the attribute from true to anything else (unknown
 *   included).
 * - turned-on: the attribute becomes true (a create with true counts).
 * - decreased: an update or replace lowers a number (an unknown result counts).
 * - became: the attribute takes `value` (a create counts; an unknown result counts).
 * Attribute paths are '.'-separated; a number indexes a block list (`access_logs.0.enabled`).
 * Every unknown is read as the risky outcome: a predicate never passes silently.
 */
import type { ChangeAction, DecisionRights } from "./review.ts";
import type { PolicyResource } from "./types.ts";

export type When = "changed" | "deleted" | "attribute-changed" | "turned-off" | "turned-on" | "decreased" | "became";

export interface ChangePredicate {
  types: string[];
  when: When;
  attribute?: string;
  value?: unknown;
  why: string;
}

export interface RoutedCategory {
  category: string;
  why: string;
}

const UNKNOWN = Symbol("unknown");
type Read = unknown;

function read(root: unknown, path: readonly string[]): Read {
  let v: unknown = root;
  for (const key of path) {
    if (v === null || typeof v !== "object") return undefined;
    if (Array.isArray(v)) {
      const i = Number(key);
      v = Number.isInteger(i) ? v[i] : undefined;
    } else {
      v = Object.hasOwn(v, key) ? (v as Record<string, unknown>)[key] : undefined;
    }
  }
  return v;
}

/** The after value, or UNKNOWN when the plan marks it (or a parent) known only after apply. */
function after(r: PolicyResource, path: readonly string[]): Read {
  for (let i = path.length; i > 0; i--) {
    if (read(r.unknown, path.slice(0, i)) === true) return UNKNOWN;
  }
  return read(r.values, path);
}

const isEmpty = (v: unknown): boolean => v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0);

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (isEmpty(a) && isEmpty(b)) return true;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Whether a predicate holds for a changed resource. */
export function predicateHolds(p: ChangePredicate, r: PolicyResource, action: ChangeAction): boolean {
  const created = action === "create";
  const destroyed = action === "delete";
  const updated = action === "update" || action === "replace";
  if (p.when === "changed") return created || destroyed || updated;
  if (p.when === "deleted") return action === "delete" || action === "replace";
  const path = (p.attribute ?? "").split(".");
  const before = created ? undefined : read(r.before, path);
  const now = destroyed ? undefined : after(r, path);
  switch (p.when) {
    case "attribute-changed":
      if (destroyed) return !isEmpty(before);
      return now === UNKNOWN || !same(before, now);
    case "turned-off":
      return updated && before === true && now !== true;
    case "turned-on":
      return (created || updated) && before !== true && (now === true || now === UNKNOWN);
    case "decreased":
      return updated && typeof before === "number" && (now === UNKNOWN || (typeof now === "number" && now < before) || now === null);
    case "became":
      return (created || updated) && (now === UNKNOWN || (same(now, p.value) && (created || !same(before, p.value))));
    default:
      return false;
  }
}

/** Indexes the predicates of every category by resource type; returns the router. */
export function compileRouting(rights: DecisionRights): (r: PolicyResource, action: ChangeAction) => RoutedCategory[] {
  const byType = new Map<string, { category: string; predicate: ChangePredicate }[]>();
  for (const [category, def] of Object.entries(rights.categories)) {
    for (const predicate of def.changes ?? []) {
      for (const type of predicate.types) {
        const list = byType.get(type) ?? [];
        list.push({ category, predicate });
        byType.set(type, list);
      }
    }
  }
  return (r, action) => {
    const list = byType.get(r.type);
    if (!list) return [];
    const out: RoutedCategory[] = [];
    for (const { category, predicate } of list) {
      if (predicateHolds(predicate, r, action)) out.push({ category, why: predicate.attribute ? `${predicate.why}: ${predicate.attribute}` : predicate.why });
    }
    return out;
  };
}
