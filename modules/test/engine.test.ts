import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFERRED_REQUIRES, loadHookProblems } from "../src/engine/load-hooks.ts";
import { ENGINE_PACKAGES, EngineError } from "../src/engine/packages.ts";
import { patchStackTraceModule, STACK_TRACE_MODULE } from "../src/engine/token-traces.ts";

const require = createRequire(import.meta.url);
const ROOT = resolve(import.meta.dirname, "..", "..");
const json = (file: string): { dependencies?: Record<string, string>; devDependencies?: Record<string, string> } =>
  JSON.parse(readFileSync(file, "utf8")) as never;

describe("the engine's packages", () => {
  it("are installed, and are the ones the modules and the repository depend on", () => {
    for (const name of Object.values(ENGINE_PACKAGES)) {
      expect(() => require.resolve(`${name}/package.json`), `${name} (ENGINE_PACKAGES) is not installed`).not.toThrow();
    }
    const modules = json(resolve(ROOT, "modules/package.json")).dependencies ?? {};
    expect(Object.keys(modules).sort()).toEqual([ENGINE_PACKAGES.provider, ENGINE_PACKAGES.core, ENGINE_PACKAGES.constructs].sort());
    expect(Object.keys(json(resolve(ROOT, "package.json")).devDependencies ?? {})).toContain(ENGINE_PACKAGES.cli);
  });
});

describe("the internals the load hooks rely on", () => {
  it.each(DEFERRED_REQUIRES)("$file still requires $specifier when it loads", ({ file, specifier }) => {
    const source = readFileSync(require.resolve(file), "utf8");
    expect(source).toMatch(new RegExp(`^const \\w+ = require\\("${specifier}"\\);$`, "m"));
  });

  it("names nothing when the hooks saw the engine load and every stand-in was used", () => {
    expect(loadHookProblems({ sawCore: true, standIns: new Set(DEFERRED_REQUIRES.map((d) => d.specifier)) })).toEqual([]);
  });

  it("names each internal that did not take effect", () => {
    const problems = loadHookProblems({ sawCore: false, standIns: new Set(["semver"]) });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain(`never saw a CommonJS file of '${ENGINE_PACKAGES.core}'`);
    expect(problems[1]).toBe(`${ENGINE_PACKAGES.core}/lib/private/fs.js no longer requires 'archiver' when ${ENGINE_PACKAGES.core} loads (the deferred stand-in archiver.cjs was never used)`);
  });
});

describe("the token-trace patch", () => {
  it("relies on an export the installed engine has", () => {
    expect(typeof (require(STACK_TRACE_MODULE) as { captureStackTrace?: unknown }).captureStackTrace).toBe("function");
  });

  it("fails loudly, naming the internal, when the export has moved", () => {
    expect(() => patchStackTraceModule({}, () => null)).toThrow(EngineError);
    expect(() => patchStackTraceModule({}, () => null)).toThrow(`engine: ${STACK_TRACE_MODULE} no longer exports a function captureStackTrace`);
  });

  it("fails loudly and restores the original when creating a token does not call it", () => {
    const original = (): string[] => [];
    const mod = { captureStackTrace: original };
    expect(() => patchStackTraceModule(mod, () => null)).toThrow(`creating a token no longer calls captureStackTrace of ${STACK_TRACE_MODULE}`);
    expect(mod.captureStackTrace).toBe(original);
  });

  it("takes effect when creating a token calls it", () => {
    const mod = { captureStackTrace: (): string[] => [] };
    patchStackTraceModule(mod, () => mod.captureStackTrace());
    expect(mod.captureStackTrace.name).toBe("captureStackTrace");
    expect(Array.isArray(mod.captureStackTrace())).toBe(true);
  });
});
