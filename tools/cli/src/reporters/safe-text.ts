/**
 * Text from the estate (tag values, names, addresses, file names, observed values) made safe for a
 * human-facing line: a terminal, a CI log, a Markdown comment, a JUnit or SARIF message. Values are
 * attacker-controlled (anyone who opens a pull request writes tags), so they must not
 *   - start a new line (and so forge a `PASS` line or a summary),
 *   - move the cursor, recolour or erase the terminal (ANSI escape sequences),
 *   - reorder what is shown (Unicode bidirectional controls),
 *   - run a GitHub Actions workflow command (`::error::`, `::add-mask::`, `::stop-commands::`,
 *     the older `##[...]` form), which the runner honours at the start of any log line.
 * Control characters are shown as escapes (`\n`, `\u001b`), never dropped, so what was there stays
 * visible; a value that would start a workflow command gets a backslash in front.
 */

// C0 controls, DEL, C1 controls, line/paragraph separators, bidi embeddings/overrides/isolates,
// zero-width joiners and the byte order mark: invisible or layout-changing.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;
const UNSAFE_TEST = new RegExp(UNSAFE.source);

const NAMED: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** A workflow command at the start of a line (the runner trims leading white space first). */
const COMMAND_START = /^(\s*)(::|##\[)/;

function escapeChar(ch: string): string {
  return NAMED[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

/** One value on one line: control characters escaped, a leading workflow command defused. */
export function safeText(value: string): string {
  const text = UNSAFE_TEST.test(value) ? value.replace(UNSAFE, escapeChar) : value;
  return COMMAND_START.test(text) ? text.replace(COMMAND_START, "$1\\$2") : text;
}

/**
 * A whole rendered output (several lines) checked line by line: any line that would start a
 * workflow command is defused. The last guard behind safeText on each value; control characters
 * other than line breaks are escaped too.
 */
export function safeLines(text: string): string {
  // Keep the reporters' own colour codes (SGR); escape every other control character.
  // eslint-disable-next-line no-control-regex
  const cleaned = text.replace(/\r\n/g, "\n").replace(/\u001b\[[0-9;]*m|[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g, (m) => (m.length > 1 ? m : escapeChar(m)));
  if (!/(^|\n)\s*(::|##\[)/.test(cleaned)) return cleaned;
  return cleaned
    .split("\n")
    .map((line) => line.replace(COMMAND_START, "$1\\$2"))
    .join("\n");
}
