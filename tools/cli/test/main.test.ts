import { describe, expect, it } from "vitest";
import { resolveNow } from "../src/main.ts";
import { runMain } from "./helpers.ts";

describe("resolveNow", () => {
  it("normalises RFC 3339 times to UTC seconds", () => {
    expect(resolveNow("2026-11-24T00:00:00Z")).toBe("2026-11-24T00:00:00Z");
    expect(resolveNow("2026-11-24T10:20:30.5+02:00")).toBe("2026-11-24T08:20:30Z");
    expect(resolveNow("2024-02-29T23:59:59Z")).toBe("2024-02-29T23:59:59Z");
  });

  it("defaults to the clock, in UTC", () => {
    expect(resolveNow(undefined, () => new Date(Date.UTC(2027, 0, 2, 3, 4, 5, 678)))).toBe("2027-01-02T03:04:05Z");
  });

  it("rejects dates and times that do not exist instead of rolling them over", () => {
    for (const bad of ["2025-02-29T00:00:00Z", "2026-01-01T24:00:00Z", "2026-13-01T00:00:00Z", "2026-01-01T00:60:00Z", "2026-01-01", "tomorrow"]) {
      expect(() => resolveNow(bad), bad).toThrow(/is not an RFC 3339 time/);
    }
  });
});

describe("main", () => {
  it("prints help and version", async () => {
    const help = await runMain(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: baseplate <command>/);
    const checkHelp = await runMain(["check", "--help"]);
    expect(checkHelp.stdout).toMatch(/--format NAME\[=FILE\]/);
    const version = await runMain(["--version"]);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});
