import { describe, expect, it } from "vitest";
import { CliError } from "../src/errors.ts";
import { decodeText, lineColumn, parseJson } from "../src/input/decode.ts";

const text = '{"a": "é ✓"}';

function utf16(value: string, bigEndian: boolean): Uint8Array {
  const le = Buffer.from(value, "utf16le");
  if (bigEndian) le.swap16();
  return Buffer.concat([Buffer.from(bigEndian ? [0xfe, 0xff] : [0xff, 0xfe]), le]);
}

describe("decodeText", () => {
  it("decodes UTF-8 with and without a byte order mark", () => {
    expect(decodeText(Buffer.from(text, "utf8"), "f.json")).toBe(text);
    expect(decodeText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]), "f.json")).toBe(text);
  });

  it("decodes UTF-16 little and big endian with a byte order mark", () => {
    expect(decodeText(utf16(text, false), "f.json")).toBe(text);
    expect(decodeText(utf16(text, true), "f.json")).toBe(text);
  });

  it("rejects invalid UTF-8 naming the file and the offset", () => {
    const bytes = Buffer.concat([Buffer.from('{"a": "'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
    expect(() => decodeText(bytes, "bad.json")).toThrow(CliError);
    expect(() => decodeText(bytes, "bad.json")).toThrow(/bad\.json is not valid UTF-8 \(invalid byte at offset 7\)/);
  });

  it("rejects a lone surrogate in UTF-16", () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from([0x00, 0xd8, 0x41, 0x00])]);
    expect(() => decodeText(bytes, "u16.json")).toThrow(/u16\.json is not valid UTF-16/);
  });
});

describe("parseJson", () => {
  it("reports line and column of a syntax error", () => {
    expect(() => parseJson('{\n  "a": 1,\n  "b" 2\n}', "p.json")).toThrow(/^p\.json:3:7: the JSON is malformed/);
  });

  it("reports a truncated file at its end", () => {
    const truncated = '{\n  "resource": {\n    "x": ';
    expect(() => parseJson(truncated, "t.json")).toThrow(/^t\.json:3:10: the JSON ends early \(the file looks truncated\)/);
  });

  it("counts lines of CRLF files", () => {
    expect(() => parseJson('{\r\n  "a": 1,\r\n  "b" 2\r\n}', "crlf.json")).toThrow(/^crlf\.json:3:7: /);
    expect(parseJson('{\r\n  "policy": "{\\r\\n}"\r\n}', "crlf.json")).toEqual({ policy: "{\r\n}" });
  });

  it("keeps __proto__ keys as plain data", () => {
    const doc = parseJson('{"__proto__": {"polluted": true}}', "x.json") as Record<string, unknown>;
    expect(Object.hasOwn(doc, "__proto__")).toBe(true);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });

  it("counts lines and columns from one", () => {
    expect(lineColumn("ab\ncd", 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumn("ab\ncd", 4)).toEqual({ line: 2, column: 2 });
  });
});
