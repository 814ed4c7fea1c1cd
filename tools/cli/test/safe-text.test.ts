import { describe, expect, it } from "vitest";
import { safeLines, safeText } from "../src/reporters/safe-text.ts";

describe("safeText", () => {
  it("keeps ordinary text, ARNs and addresses as they are", () => {
    for (const v of ["aws_s3_bucket.b[\"k\"]", "arn:aws:iam::123456789012:role/x", "CC-1234", "ünïcödé ✓"]) expect(safeText(v)).toBe(v);
  });

  it("shows line breaks and control characters as escapes", () => {
    expect(safeText("a\nb\r\tc")).toBe("a\\nb\\r\\tc");
    expect(safeText("x\u001b[31mred")).toBe("x\\u001b[31mred");
    expect(safeText("a\u2028b\u0085c\u202ed")).toBe("a\\u2028b\\u0085c\\u202ed");
  });

  it("defuses a value that starts a workflow command", () => {
    expect(safeText("::error::x")).toBe("\\::error::x");
    expect(safeText("  ::add-mask::s")).toBe("  \\::add-mask::s");
    expect(safeText("##[error]x")).toBe("\\##[error]x");
    expect(safeText("a ::error::x")).toBe("a ::error::x");
  });
});

describe("safeLines", () => {
  it("defuses every line that starts a workflow command and keeps colour codes", () => {
    expect(safeLines("ok\n::error::x\n  ::warning::y\n\u001b[31mred\u001b[39m\n")).toBe("ok\n\\::error::x\n  \\::warning::y\n\u001b[31mred\u001b[39m\n");
  });

  it("escapes control characters other than line breaks and tabs", () => {
    expect(safeLines("a\u0007b\r\nc\td\u001b]0;title\u0007")).toBe("a\\u0007b\nc\td\\u001b]0;title\\u0007");
  });
});
