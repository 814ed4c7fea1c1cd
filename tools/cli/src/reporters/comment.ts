/**
 * What every pull-request comment shares: GitHub's size limit, the escaping that keeps values
 * from the estate (stack names, addresses, tag values) inert, and the fitting of a comment
 * under the limit.
 */
import { safeText } from "./safe-text.ts";

/** GitHub's limit on a comment body, in characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;

/**
 * Keeps a value on its line: control characters, line breaks and bidirectional controls are shown
 * as escapes (safeText), so a value cannot start a heading, close a block or forge a line.
 */
function oneLine(value: string): string {
  return safeText(value);
}

/** Escapes text for an HTML context (inside <summary>, attributes). */
export function escapeHtml(value: string): string {
  return oneLine(value)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;")
    .replace(/@/g, "&#64;");
}

/**
 * Escapes text for Markdown inline context: HTML is neutralised, every Markdown punctuation
 * character is backslash-escaped, `@` cannot mention and line breaks are shown escaped.
 */
export function escapeMarkdown(value: string): string {
  return oneLine(value)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/[\\`*_{}[\]()#+\-.!|~:"']/g, "\\$&")
    .replace(/@/g, "&#64;");
}

/**
 * A Markdown code span that shows the value literally whatever backticks it contains. Not for
 * table cells (use escapeMarkdown there).
 */
export function codeSpan(value: string): string {
  const text = oneLine(value);
  let longest = 0;
  for (const run of text.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = "`".repeat(longest + 1);
  const pad = text.startsWith("`") || text.endsWith("`") || text === "" ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`;
}

/**
 * A comment that fits in `limit` characters: `render(rows)` with `rows` rows per list, halving
 * `rows` until the text fits (at 0 rows only what is always shown remains).
 */
export function fitComment(render: (rows: number) => string, rows: number, limit: number = GITHUB_COMMENT_LIMIT): string {
  let shown = rows;
  let text = render(shown);
  while (text.length > limit && shown > 0) {
    shown = Math.floor(shown / 2);
    text = render(shown);
  }
  return text;
}
