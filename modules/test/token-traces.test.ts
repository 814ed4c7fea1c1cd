import { mkdtempSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, Lazy, TerraformOutput, TerraformStack } from "cdktf";
import { describe, expect, it } from "vitest";
import { deferTokenTraces } from "../src/index.ts";

const require = createRequire(import.meta.url);
type Capture = (below?: unknown) => string[];
const traces = require("cdktf/lib/tokens/private/stack-trace.js") as { captureStackTrace: Capture };
const original = traces.captureStackTrace;
deferTokenTraces();
const deferred = traces.captureStackTrace;

/** A frame without its column, so two captures from neighbouring lines compare equal. */
const withoutPosition = (frame: string): string => frame.replace(/:\d+:\d+\)?$/, "");

describe("deferTokenTraces", () => {
  it("replaces cdktf's capture once and is idempotent", () => {
    expect(deferred).not.toBe(original);
    expect(deferTokenTraces()).toBe(true);
    expect(traces.captureStackTrace).toBe(deferred);
  });

  it("yields the same frames as cdktf's own capture, as a real array", () => {
    const capture = (f: Capture): string[] => f();
    const mine = capture(deferred);
    const theirs = capture(original);
    expect(Array.isArray(mine)).toBe(true);
    expect(mine.length).toBe(theirs.length);
    expect(mine.map(withoutPosition)).toEqual(theirs.map(withoutPosition));
    expect([...mine]).toEqual(mine.slice());
    expect(Object.keys(mine)).toHaveLength(mine.length);
    expect(mine.join("\n")).toContain("token-traces.test.ts");
  });

  it("hides the frames above `below`, as cdktf's does", () => {
    function outer(): string[] {
      return inner();
    }
    function inner(): string[] {
      return deferred(inner);
    }
    const frames = outer();
    expect(frames[0]).toMatch(/^outer /);
  });

  it("keeps the creation stack in a resolution error", () => {
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), "baseplate-traces-")) });
    const stack = new TerraformStack(app, "traces");
    new TerraformOutput(stack, "broken", {
      value: Lazy.stringValue({
        produce: () => {
          throw new Error("cannot produce the value");
        },
      }),
    });
    let message = "";
    try {
      app.synth();
    } catch (thrown) {
      message = (thrown as Error).message;
    }
    expect(message).toContain("cannot produce the value");
    expect(message).toContain("Object creation stack:");
    expect(message).toMatch(/token-traces\.test\.ts:\d+/);
  });
});
