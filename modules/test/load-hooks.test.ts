import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { COMMONJS_PACKAGES, deferredStandIn, isKnownCommonJs } from "../src/engine/load-hooks.ts";

const require = createRequire(import.meta.url);
const probe = fileURLToPath(new URL("./fixtures/load-hooks-probe.ts", import.meta.url));

interface ProbeResult {
  formats: Record<string, string | null>;
  beforeUse: { archiver: boolean; semver: boolean };
  zips: string[];
  verified: string;
}

function runProbe(...args: string[]): ProbeResult {
  const out = execFileSync(process.execPath, [probe, ...args], { encoding: "utf8", cwd: fileURLToPath(new URL("..", import.meta.url)) });
  return JSON.parse(out.trim().split("\n").pop() ?? "{}") as ProbeResult;
}

describe("isKnownCommonJs", () => {
  it("accepts .js files of the declared packages, and only those", () => {
    expect(isKnownCommonJs("file:///repo/node_modules/@cdktf/provider-aws/lib/s3-bucket/index.js")).toBe(true);
    expect(isKnownCommonJs("file:///repo/node_modules/cdktf/lib/index.js")).toBe(true);
    expect(isKnownCommonJs("file:///repo/node_modules/constructs/lib/index.js")).toBe(true);
    expect(isKnownCommonJs("file:///repo/node_modules/cdktf-cli/lib/index.js")).toBe(false);
    expect(isKnownCommonJs("file:///repo/node_modules/yaml/dist/index.js")).toBe(false);
    expect(isKnownCommonJs("file:///repo/node_modules/cdktf/node_modules/semver/index.js")).toBe(false);
    expect(isKnownCommonJs("file:///repo/node_modules/cdktf/lib/index.mjs")).toBe(false);
    expect(isKnownCommonJs("file:///repo/modules/src/index.ts")).toBe(false);
    expect(isKnownCommonJs("node:fs")).toBe(false);
  });

  it("declares only packages whose package.json leaves .js files as CommonJS", () => {
    for (const name of COMMONJS_PACKAGES) {
      const pkg = require(`${name}/package.json`) as { type?: string; exports?: unknown };
      expect(pkg.type ?? "commonjs", name).toBe("commonjs");
    }
  });
});

describe("deferredStandIn", () => {
  it("replaces archiver and semver only where cdktf requires them at load", () => {
    expect(deferredStandIn("archiver", "file:///repo/node_modules/cdktf/lib/private/fs.js")).toMatch(/\/deferred\/archiver\.cjs$/);
    expect(deferredStandIn("semver", "file:///repo/node_modules/cdktf/lib/validations/validate-binary-version.js")).toMatch(/\/deferred\/semver\.cjs$/);
    expect(deferredStandIn("archiver", "file:///repo/tools/zip.js")).toBeNull();
    expect(deferredStandIn("semver", "file:///repo/node_modules/cdktf/lib/private/fs.js")).toBeNull();
    expect(deferredStandIn("archiver", undefined)).toBeNull();
  });

  it("stand-ins behave as the real modules", () => {
    const semver = require("../src/engine/deferred/semver.cjs") as { satisfies(v: string, r: string): boolean };
    expect(semver.satisfies("1.5.7", ">=1.5")).toBe(true);
    expect(semver.satisfies("1.4.0", ">=1.5")).toBe(false);
    const archiver = require("../src/engine/deferred/archiver.cjs") as (format: string) => { append: unknown; abort(): void };
    const archive = archiver("zip");
    expect(typeof archive.append).toBe("function");
    archive.abort();
  });
});

describe("installCdktfLoadHooks, in a fresh process", () => {
  it("hands provider files to Node as CommonJS, does not load archiver and semver, and still builds zip assets", () => {
    const result = runProbe();
    expect(result.formats["s3-bucket"]).toBe("commonjs");
    expect(result.beforeUse).toEqual({ archiver: false, semver: false });
    expect(result.zips).toHaveLength(1);
    expect(result.verified, "verifyLoadHooks() once cdktf has loaded").toBe("ok");
  });

  it("without the hooks, Node is left to detect the format and loads archiver eagerly", () => {
    const result = runProbe("--without-hooks");
    expect(result.formats["s3-bucket"]).toBeNull();
    expect(result.beforeUse.archiver).toBe(true);
    expect(result.zips).toHaveLength(1);
  });
});
