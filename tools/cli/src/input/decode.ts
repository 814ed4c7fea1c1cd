import { TextDecoder } from "node:util";
import { JsonSyntaxError, lineColumn as strictLineColumn, parseJsonStrict, type StrictJsonOptions } from "@baseplate/policies/json";
import { CliError } from "../errors.ts";

/**
 * Decodes the bytes of an input file to text: UTF-8 with or without a byte order mark, or UTF-16
 * (little or big endian) with a byte order mark. Invalid UTF-8 is rejected, never replaced.
 */
export function decodeText(bytes: Uint8Array, file: string): string {
  const b0 = bytes[0];
  const b1 = bytes[1];
  try {
    if (b0 === 0xef && b1 === 0xbb && bytes[2] === 0xbf) {
      return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes.subarray(3));
    }
    if (b0 === 0xff && b1 === 0xfe) {
      return new TextDecoder("utf-16le", { fatal: true, ignoreBOM: true }).decode(bytes.subarray(2));
    }
    if (b0 === 0xfe && b1 === 0xff) {
      return new TextDecoder("utf-16be", { fatal: true, ignoreBOM: true }).decode(bytes.subarray(2));
    }
  } catch {
    throw new CliError(`${file} is not valid UTF-16 text although it starts with a UTF-16 byte order mark; re-export it as UTF-8.`);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    throw new CliError(
      `${file} is not valid UTF-8 (invalid byte at offset ${at}); save it as UTF-8 (or UTF-16 with a byte order mark).`,
    );
  }
}

/** Offset of the first byte that breaks UTF-8 decoding (RFC 3629: no overlongs, no surrogates). */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i] ?? 0;
    if (lead < 0x80) {
      i++;
      continue;
    }
    let extra: number;
    let low = 0x80;
    let high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) extra = 1;
    else if (lead >= 0xe0 && lead <= 0xef) {
      extra = 2;
      if (lead === 0xe0) low = 0xa0;
      if (lead === 0xed) high = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      extra = 3;
      if (lead === 0xf0) low = 0x90;
      if (lead === 0xf4) high = 0x8f;
    } else return i;
    if (i + extra >= bytes.length) return i;
    const second = bytes[i + 1] ?? 0;
    if (second < low || second > high) return i;
    for (let k = 2; k <= extra; k++) if (((bytes[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    i += extra + 1;
  }
  return bytes.length;
}

/** Line and column (both 1-based) of a character offset in text. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const [line, column] = strictLineColumn(text, offset);
  return { line, column };
}

/**
 * Parses JSON text as plain data, strictly (parseJsonStrict in @baseplate/policies): a key
 * written twice in one object, or nesting deeper than `maxDepth`, is a CliError naming the file,
 * line and column; a syntax error names where the JSON breaks or that it ends early (truncated).
 */
export function parseJson(text: string, file: string, options: StrictJsonOptions & { fix?: string } = {}): unknown {
  const fix = options.fix ?? "regenerate the file or fix it by hand";
  try {
    return parseJsonStrict(text, file, options);
  } catch (thrown) {
    if (!(thrown instanceof JsonSyntaxError)) throw thrown;
    if (thrown.kind !== "syntax") throw new CliError(`${thrown.message}; ${fix}.`);
  }
  // A syntax error: JSON.parse's own position, read as a truncated file when it is at the end.
  let message = "";
  try {
    JSON.parse(text);
  } catch (thrown) {
    message = thrown instanceof Error ? thrown.message : String(thrown);
  }
  let offset = text.length;
  const position = /at position (\d+)/.exec(message);
  if (position?.[1] !== undefined) offset = Number(position[1]);
  const { line, column } = lineColumn(text, offset);
  // V8 reports a cut-off file as "end of JSON input", or as an unterminated string/token at the end.
  const truncated = /end of JSON input/i.test(message) || offset >= text.trimEnd().length - 1;
  const reason = truncated
    ? "the JSON ends early (the file looks truncated)"
    : message === ""
      ? "the JSON is malformed"
      : `the JSON is malformed (${message.replace(/ in JSON at position \d+.*$/, "").trim()})`;
  throw new CliError(`${file}:${line}:${column}: ${reason}; ${fix}.`);
}
