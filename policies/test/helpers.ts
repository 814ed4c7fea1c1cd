import { loadBundle } from "../src/index.ts";
import type { Bundle } from "../src/index.ts";

let bundle: Promise<Bundle> | undefined;

/** The bundle in policies/build, loaded once per test file. */
export function sharedBundle(): Promise<Bundle> {
  bundle ??= loadBundle();
  return bundle;
}
