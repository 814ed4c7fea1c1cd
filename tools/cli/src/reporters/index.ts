import { CliError } from "../errors.ts";
import type { Inventory } from "../report.ts";
import type { Review } from "../review.ts";
import type { Catalog, CheckReport } from "../types.ts";
import { renderJson } from "./json.ts";
import { renderTerminal } from "./terminal.ts";

export { renderJson } from "./json.ts";
export { renderTerminal, useColor } from "./terminal.ts";

export const FORMATS = ["terminal", "json", "markdown", "sarif", "junit"] as const;
export type FormatName = (typeof FORMATS)[number];

/** One requested output: a format, written to a file or (file null) to standard output. */
export interface OutputSpec {
  format: FormatName;
  file: string | null;
}

function isFormat(name: string): name is FormatName {
  return (FORMATS as readonly string[]).includes(name);
}

/**
 * Parses `--format` values: `NAME` (standard output) or `NAME=FILE`. Defaults to terminal output.
 * At most one format may go to standard output.
 */
export function parseOutputSpecs(values: readonly string[]): OutputSpec[] {
  const specs: OutputSpec[] = [];
  for (const value of values.length === 0 ? ["terminal"] : values) {
    const eq = value.indexOf("=");
    const name = eq < 0 ? value : value.slice(0, eq);
    const file = eq < 0 ? null : value.slice(eq + 1);
    if (!isFormat(name)) {
      throw new CliError(`Unknown format "${name}" in --format ${value}; use one of ${FORMATS.join(", ")}, optionally as NAME=FILE.`);
    }
    if (file === "") throw new CliError(`--format ${value} names no file; write NAME=FILE, or NAME alone for standard output.`);
    specs.push({ format: name, file });
  }
  const toStdout = specs.filter((s) => s.file === null);
  if (toStdout.length > 1) {
    throw new CliError(
      `Only one format can go to standard output but ${toStdout.map((s) => s.format).join(" and ")} were requested; give the others a file, e.g. --format sarif=reports/check.sarif.`,
    );
  }
  const files = specs.flatMap((s) => (s.file === null ? [] : [s.file]));
  const duplicate = files.find((f, i) => files.indexOf(f) !== i);
  if (duplicate !== undefined) throw new CliError(`Two formats are written to ${duplicate}; give each format its own file.`);
  return specs;
}

export interface RenderContext {
  /** Colour terminal output (only for a TTY without NO_COLOR). */
  color: boolean;
  /** The bundle's rule catalog (SARIF rules, JUnit test cases, Markdown titles). */
  catalog: Catalog;
  /** Repository root for relative paths in SARIF. */
  root: string;
}

/** A reporter renders a finished report to text; it decides nothing (the verdict and counts are the report's). */
export type Reporter = (report: CheckReport, context: RenderContext) => string;

/** Reporters by format; the heavier ones are loaded only when asked for. */
const REPORTERS: ReadonlyMap<FormatName, () => Promise<Reporter>> = new Map<FormatName, () => Promise<Reporter>>([
  ["terminal", () => Promise.resolve((report, context) => renderTerminal(report, { color: context.color }))],
  ["json", () => Promise.resolve((report) => renderJson(report))],
  ["markdown", async () => {
    const { renderMarkdown } = await import("./markdown.ts");
    return (report, context) => renderMarkdown(report, context.catalog);
  }],
  ["sarif", async () => {
    const { renderSarif } = await import("./sarif.ts");
    return (report, context) => renderSarif(report, context.catalog, { root: context.root });
  }],
  ["junit", async () => {
    const { renderJUnit } = await import("./junit.ts");
    return (report, context) => renderJUnit(report, context.catalog);
  }],
]);

export async function render(format: FormatName, report: CheckReport, context: RenderContext): Promise<string> {
  const load = REPORTERS.get(format);
  if (load === undefined) {
    throw new CliError(`The ${format} format is not available in this build of baseplate; use terminal or json.`);
  }
  return (await load())(report, context);
}

/** The formats `baseplate review` and `baseplate report` write. */
export type TextFormat = "terminal" | "markdown" | "json";

/** Renders a plan review (src/review.ts) as a PR comment, plain text or JSON. */
export async function renderReview(format: TextFormat, review: Review): Promise<string> {
  const { renderReviewJson, renderReviewMarkdown, renderReviewTerminal } = await import("./review.ts");
  return format === "markdown" ? renderReviewMarkdown(review) : format === "json" ? renderReviewJson(review) : renderReviewTerminal(review);
}

/** Renders the estate inventory (src/report.ts) as a PR comment, plain text or JSON. */
export async function renderInventory(format: TextFormat, inventory: Inventory): Promise<string> {
  const { renderInventoryJson, renderInventoryMarkdown, renderInventoryTerminal } = await import("./inventory.ts");
  return format === "markdown" ? renderInventoryMarkdown(inventory) : format === "json" ? renderInventoryJson(inventory) : renderInventoryTerminal(inventory);
}
