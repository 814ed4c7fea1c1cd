import { readFileSync } from "node:fs";
import { join } from "node:path";

export const NOW = "2026-11-24T00:00:00Z";

/** policies/test/input/fixtures: synthesized stacks and plans the normalizer tests read. */
export const FIXTURES = join(import.meta.dirname, "fixtures");

export function readFixtureJson(...parts: string[]): Record<string, unknown> {
  return JSON.parse(readFileSync(join(FIXTURES, ...parts), "utf8")) as Record<string, unknown>;
}
