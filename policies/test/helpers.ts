import { loadBundle } from "../src/index.ts";
import type { Bundle } from "../src/index.ts";
import { isObject } from "../src/input/common.ts";

let bundle: Promise<Bundle> | undefined;

/** The bundle in policies/build, loaded once per test file. */
export function sharedBundle(): Promise<Bundle> {
  bundle ??= loadBundle();
  return bundle;
}


/** Reference strings that name address: itself and each prefix before an instance key (res.address_keys). */
function addressKeys(address: string): string[] {
  const keys = [address];
  for (let at = address.indexOf("["); at > 0; at = address.indexOf("[", at + 1)) keys.push(address.slice(0, at));
  return keys;
}

/**
 * A copy of a (hand-written) case input with what the normalizer adds in policy-input 1.1: each
 * resource's `referenced_by` and the top-level `index`, so the rules' indexed path runs on every
 * case too. Undefined for inputs the normalizer could never produce (resources not grouped in
 * lists, repeated addresses): those cases prove the rules' tolerance, not the index.
 */
export function withIndex(input: unknown): Record<string, unknown> | undefined {
  if (!isObject(input) || !isObject(input.resources)) return undefined;
  const resources: Record<string, unknown[]> = {};
  const index: Record<string, [string, number]> = {};
  const named = new Map<string, Record<string, unknown>[]>();
  const copies: Record<string, unknown>[] = [];
  for (const [type, list] of Object.entries(input.resources)) {
    if (!Array.isArray(list)) return undefined;
    resources[type] = list.map((r: unknown, position) => {
      if (!isObject(r) || typeof r.address !== "string") return r;
      if (Object.hasOwn(index, r.address)) throw new Error("repeated address");
      const copy = { ...r };
      copies.push(copy);
      index[r.address] = [type, position];
      for (const k of addressKeys(r.address)) named.set(k, [...(named.get(k) ?? []), copy]);
      return copy;
    });
  }
  const referrers = new Map<Record<string, unknown>, Set<string>>();
  for (const r of copies) {
    const refs = Array.isArray(r.references) ? r.references : [];
    for (const ref of refs) {
      if (typeof ref !== "string") continue;
      for (const target of named.get(ref) ?? []) {
        if (target === r) continue;
        referrers.set(target, (referrers.get(target) ?? new Set()).add(r.address as string));
      }
    }
  }
  for (const r of copies) r.referenced_by = [...(referrers.get(r) ?? [])].sort();
  return { ...input, resources, index };
}

/** withIndex, or undefined when the input repeats an address. */
export function indexedCase(input: unknown): Record<string, unknown> | undefined {
  try {
    return withIndex(input);
  } catch {
    return undefined;
  }
}
