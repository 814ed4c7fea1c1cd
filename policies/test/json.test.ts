/**
 * parseJsonStrict (src/json.ts): strict JSON for reviewed inputs, duplicate keys refused with
 * file:line:column. Every spelling of a duplicate a reader could miss is covered.
 */
import { describe, expect, it } from "vitest";
import { parseJsonStrict } from "../src/index.ts";

function problem(text: string): string {
  try {
    parseJsonStrict(text, "governance/x.json");
  } catch (error) {
    expect(error).toBeInstanceOf(Error);
    return (error as Error).message;
  }
  throw new Error(`accepted: ${text}`);
}

describe("parseJsonStrict", () => {
  it("returns the same value as JSON.parse for valid JSON", () => {
    const text = '{"a": [1, {"b": "x"}, {"b": "y"}], "c": {"a": null}, "__proto__": {"d": true}}';
    expect(parseJsonStrict(text, "f.json")).toEqual(JSON.parse(text));
  });

  it("allows the same key in different objects and in array elements", () => {
    expect(parseJsonStrict('{"a": {"a": 1}, "l": [{"k": 1}, {"k": 2}]}', "f.json")).toEqual({ a: { a: 1 }, l: [{ k: 1 }, { k: 2 }] });
  });

  it("does not take a string value for a key", () => {
    expect(parseJsonStrict('{"a": "b", "b": ["a", "a"], "c": "a"}', "f.json")).toEqual({ a: "b", b: ["a", "a"], c: "a" });
  });

  it.each([
    ['{\n  "rule": "S3-001",\n  "rule": "IAM-001"\n}', "governance/x.json:3:3: duplicate key \"rule\" (first at line 2, column 3)"],
    ['{"a": 1, "\\u0061": 2}', 'governance/x.json:1:10: duplicate key "a" (first at line 1, column 2)'],
    ['{"w": [{"x": 1}, {"x": 1, "y": 2, "x": 3}]}', 'governance/x.json:1:35: duplicate key "x" (first at line 1, column 19)'],
    ['{"o": {"deep": {"k": 1, "k": 1}}}', 'governance/x.json:1:25: duplicate key "k"'],
    ['{"__proto__": 1, "__proto__": 2}', 'duplicate key "__proto__"'],
    ['{"": 1, "": 2}', 'duplicate key ""'],
  ])("refuses duplicate keys with file:line:column: %s", (text, expected) => {
    expect(problem(text)).toContain(expected);
  });

  it("treats keys that differ only in case as different", () => {
    expect(parseJsonStrict('{"Rule": 1, "rule": 2}', "f.json")).toEqual({ Rule: 1, rule: 2 });
  });

  it.each([
    ['{"a": 1,}', "governance/x.json:1:9:"],
    ["[1, 2,]", "governance/x.json:1:7:"],
    ['{"a": 1} // note', "governance/x.json:1:10: comments are not allowed"],
    ['{\n  /* c */ "a": 1}', "governance/x.json:2:3: comments are not allowed"],
    ["", "governance/x.json:1:1:"],
    ["{'a': 1}", "governance/x.json:1:2:"],
    ['{"a": 1} {"b": 2}', "governance/x.json:1:10: nothing may follow"],
    ['\ufeff{"a": 1}', "byte-order mark"],
    ['{"a": NaN}', "governance/x.json:1:7:"],
    ['{"a": "tab\there"}', "governance/x.json:1:7:"],
  ])("refuses non-standard JSON with the location: %s", (text, expected) => {
    expect(problem(text)).toContain(expected);
  });
});

describe("parseJsonStrict on large inputs: the counting fast path", () => {
  it("keeps colons and escaped quotes inside strings out of the key count", () => {
    const text = '{"a": {"k": "x\\\\\\":y"}, "arn": "arn:aws:iam::1:role/r", "p": "{\\"Statement\\": [{\\"a\\": 1}]}", "l": [{"k": 1}, {"k": 2}]}';
    expect(parseJsonStrict(text, "f.json")).toEqual(JSON.parse(text));
  });

  it("still finds a repeated key among many, however deep", () => {
    const big = { resource: Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`r${i}`, { bucket: `b:${i}`, tags: { a: "1" } }])) };
    const text = JSON.stringify(big).replace('"r1999":{"bucket":"b:1999"', '"r1999":{"bucket":"b:1999","bucket":"x"');
    expect(() => parseJsonStrict(text, "f.json")).toThrow(/duplicate key "bucket"/);
    expect(parseJsonStrict(JSON.stringify(big), "f.json")).toEqual(big);
  });

  it("refuses nesting deeper than maxDepth", () => {
    expect(() => parseJsonStrict("[[[[1]]]]", "f.json", { maxDepth: 3 })).toThrow(/^f\.json:1:1: values nest more than 3 levels deep/);
    expect(parseJsonStrict("[[[1]]]", "f.json", { maxDepth: 3 })).toEqual([[[1]]]);
  });
});
