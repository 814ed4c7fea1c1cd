import type { CheckReport } from "../types.ts";

/** The machine-readable report (`baseplate/report@1`), pretty-printed with a trailing newline. */
export function renderJson(report: CheckReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
