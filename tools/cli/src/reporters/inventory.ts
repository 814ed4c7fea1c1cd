/**
 * Renderers of `baseplate report` (src/report.ts builds the inventory): plain text, JSON, and the
 * PR comment, first line REPORT_MARKER, kept under GitHub's comment limit by showing fewer rows.
 */
import { MANDATORY_TAGS, type Inventory, type TagGroup } from "../report.ts";
import { escapeHtml, escapeMarkdown, fitComment } from "./comment.ts";
import { safeLines, safeText } from "./safe-text.ts";

export const REPORT_MARKER = "<!-- baseplate:report -->";

/** JSON text, stable key order as built, trailing newline. */
export function renderInventoryJson(inv: Inventory): string {
  return `${JSON.stringify(inv, null, 2)}\n`;
}

function count<T>(items: readonly T[], test: (t: T) => boolean): string {
  return `${items.filter(test).length}/${items.length}`;
}

/** Plain text for a terminal. */
export function renderInventoryTerminal(inv: Inventory): string {
  const t = inv.totals;
  const out = [
    `baseplate report: ${inv.stacks.length} stack${inv.stacks.length === 1 ? "" : "s"}, ${t.resources} resources, ${t.taggable} taggable`,
    `tag coverage: ${t.coverage}% (${t.fullyTagged}/${t.taggable} taggable resources carry all of ${MANDATORY_TAGS.join(", ")})`,
    "",
    "stacks:",
    ...inv.stacks.map((s) => `  ${s.stack.padEnd(28)} ${String(s.resources).padStart(5)} resources ${String(s.coverage).padStart(5)}% tagged`),
  ];
  const missing = MANDATORY_TAGS.filter((k) => (inv.missingTags[k] ?? 0) > 0);
  if (missing.length > 0) out.push(`missing tags: ${missing.map((k) => `${k} ${inv.missingTags[k] ?? 0}`).join(", ")}`);
  for (const [label, groupsOf] of [
    ["by Owner", inv.byOwner],
    ["by CostCenter", inv.byCostCenter],
    ["by Environment", inv.byEnvironment],
  ] as const) {
    out.push("", `${label}:`, ...groupsOf.map((g) => `  ${g.value.padEnd(28)} ${String(g.resources).padStart(5)}  ${g.stacks.join(", ")}`));
  }
  out.push("", `certificates with an expiry alarm: ${count(inv.certificates, (c) => c.expiryAlarm)}`);
  for (const c of inv.certificates) out.push(`  ${c.expiryAlarm ? "ok     " : "MISSING"} ${c.stack} ${c.address}${c.domain ? ` (${c.domain})` : ""}`);
  out.push("", `data stores covered by AWS Backup: ${count(inv.dataStores, (d) => d.backedUp)}`);
  for (const d of inv.dataStores) {
    const how = d.selections.map((s) => `${s.address} by ${s.via}`).join(", ");
    out.push(`  ${d.backedUp ? "ok     " : "MISSING"} ${d.stack} ${d.address}${how ? ` via ${how}` : ""}${d.native ? ` [${d.native}]` : ""}`);
  }
  // One logical line each: a value's own line breaks and control characters are shown escaped.
  return `${out.map(safeText).join("\n")}\n`;
}

function groupTable(title: string, list: readonly TagGroup[]): string[] {
  return [
    `### Resources by ${title}`,
    "",
    `| ${title} | Resources | Stacks |`,
    "| --- | ---: | --- |",
    ...list.map((g) => `| ${escapeMarkdown(g.value)} | ${g.resources} | ${g.stacks.map(escapeMarkdown).join(", ")} |`),
    "",
  ];
}

/**
 * Markdown, first line REPORT_MARKER. Rows of long lists are capped at `maxRows` (default 200;
 * the JSON has everything), and fewer when needed to stay within `maxLength` (default: GitHub's
 * 65,536-character comment limit).
 */
export function renderInventoryMarkdown(inv: Inventory, options: { maxRows?: number; maxLength?: number } = {}): string {
  return fitComment((rows) => inventoryMarkdown(inv, rows), options.maxRows ?? 200, options.maxLength);
}

function inventoryMarkdown(inv: Inventory, max: number): string {
  const t = inv.totals;
  const capped = <T>(rows: readonly T[], render: (r: T) => string): string[] => [
    ...rows.slice(0, max).map(render),
    ...(rows.length > max ? [`| … ${rows.length - max} more (see the JSON report) | | | |`] : []),
  ];
  const out = [
    REPORT_MARKER,
    "## baseplate report: estate inventory",
    "",
    `**Tag coverage ${t.coverage}%**: ${t.fullyTagged} of ${t.taggable} taggable resources carry every mandatory tag (${MANDATORY_TAGS.join(", ")}); ${t.resources} resources in ${inv.stacks.length} stacks.`,
    "",
    "| Stack | Tier | Resources | Taggable | Fully tagged | Coverage |",
    "| --- | --- | ---: | ---: | ---: | ---: |",
    ...inv.stacks.map(
      (s) => `| ${escapeMarkdown(s.stack)} | ${escapeMarkdown(s.environment.tier ?? "unknown")} | ${s.resources} | ${s.taggable} | ${s.fullyTagged} | ${s.coverage}% |`,
    ),
    "",
    "| Tag | Taggable resources missing it |",
    "| --- | ---: |",
    ...MANDATORY_TAGS.map((k) => `| ${k} | ${inv.missingTags[k] ?? 0} |`),
    "",
    ...groupTable("Owner", inv.byOwner),
    ...groupTable("CostCenter", inv.byCostCenter),
    ...groupTable("Environment", inv.byEnvironment),
    `### Certificates: ${count(inv.certificates, (c) => c.expiryAlarm)} with an expiry alarm`,
    "",
    "| Stack | Certificate | Domain | Expiry alarm |",
    "| --- | --- | --- | --- |",
    ...capped(
      inv.certificates,
      (c) => `| ${escapeMarkdown(c.stack)} | ${escapeMarkdown(c.address)} | ${escapeMarkdown(c.domain ?? "")} | ${c.expiryAlarm ? `✅ ${c.alarms.map(escapeMarkdown).join(", ")}` : "❌ none"} |`,
    ),
    "",
    `### Data stores: ${count(inv.dataStores, (d) => d.backedUp)} covered by AWS Backup`,
    "",
    "| Stack | Data store | Type | AWS Backup | Native |",
    "| --- | --- | --- | --- | --- |",
    ...capped(
      inv.dataStores,
      (d) =>
        `| ${escapeMarkdown(d.stack)} | ${escapeMarkdown(d.address)} | ${d.type} | ${d.backedUp ? `✅ ${d.selections.map((s) => `${escapeMarkdown(s.address)} (${s.via})`).join(", ")}` : "❌ none"} | ${escapeMarkdown(d.native ?? "")} |`,
    ),
    "",
  ];
  if (inv.untagged.length > 0) {
    out.push(
      "<details>",
      `<summary>${escapeHtml(String(inv.untagged.length))} taggable resources missing mandatory tags</summary>`,
      "",
      "| Stack | Resource | Missing |",
      "| --- | --- | --- |",
      ...inv.untagged.slice(0, max).map((u) => `| ${escapeMarkdown(u.stack)} | ${escapeMarkdown(u.address)} | ${u.missing.join(", ")} |`),
      ...(inv.untagged.length > max ? [`| … ${inv.untagged.length - max} more (see the JSON report) | | |`] : []),
      "",
      "</details>",
      "",
    );
  }
  return safeLines(out.join("\n"));
}
