import { createRequire } from "node:module";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { ESLint, type Linter } from "eslint";
import tseslint from "typescript-eslint";
import { describe, expect, it } from "vitest";
import { ENGINE_PACKAGES } from "../src/engine/packages.ts";

const ROOT = resolve(import.meta.dirname, "..", "..");
/** The provider's package root, spelled out only inside the snippets under test. */
const PROVIDER = ["@cdktf", "provider-aws"].join("/");

/** The repository's own `no-restricted-imports` setting, read from eslint.config.js. */
const config = ((await import(pathToFileURL(resolve(ROOT, "eslint.config.js")).href)) as { default: Linter.Config[] }).default;
const restricted = config.map((c) => c.rules?.["no-restricted-imports"]).find((r) => r !== undefined);

/** Lints `code` with that rule alone (no type information needed) and returns its messages. */
async function restrictedImports(code: string): Promise<string[]> {
  const eslint = new ESLint({
    cwd: ROOT,
    overrideConfigFile: true,
    overrideConfig: [{ files: ["**/*.ts"], languageOptions: { parser: tseslint.parser }, rules: { "no-restricted-imports": restricted! } }],
  });
  const [result] = await eslint.lintText(code, { filePath: resolve(ROOT, "modules/src/example.ts") });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

describe("lint: AWS provider imports", () => {
  it("is configured in eslint.config.js", () => {
    expect(restricted).toBeDefined();
  });

  it.each([
    `import { S3Bucket } from "${PROVIDER}";\nexport { S3Bucket };\n`,
    'import { S3Bucket } from "@cdktf/provider-aws/lib";\nexport { S3Bucket };\n',
    'import { S3Bucket } from "@cdktf/provider-aws/lib/index.js";\nexport { S3Bucket };\n',
  ])("forbids the package root: %s", async (code) => {
    const messages = await restrictedImports(code);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/^no-restricted-imports: .*Import provider classes by deep path/);
  });

  it("allows a deep import", async () => {
    expect(await restrictedImports('import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket/index.js";\nexport { S3Bucket };\n')).toEqual([]);
  });
});

describe("lint: function length in modules/src", () => {
  const eslint = new ESLint({ cwd: ROOT });
  const ruleFor = async (file: string): Promise<unknown> =>
    ((await eslint.calculateConfigForFile(resolve(ROOT, file))) as { rules?: Record<string, unknown> }).rules?.["max-lines-per-function"];

  /** A function of `lines` lines in all, its opening and closing lines included. */
  const functionOf = (lines: number): string =>
    `export function long(): number {\n  let n = 0;\n${"  n += 1;\n".repeat(lines - 4)}  return n;\n}\n`;

  async function lengthMessages(code: string): Promise<string[]> {
    const rule = await ruleFor("modules/src/compute/container-service.ts");
    const linter = new ESLint({
      cwd: ROOT,
      overrideConfigFile: true,
      overrideConfig: [{ files: ["**/*.ts"], languageOptions: { parser: tseslint.parser }, rules: { "max-lines-per-function": rule as Linter.RuleEntry } }],
    });
    const [result] = await linter.lintText(code, { filePath: resolve(ROOT, "modules/src/example.ts") });
    return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
  }

  it("applies to the constructs, and only to them", async () => {
    expect(await ruleFor("modules/src/compute/container-service.ts")).toEqual([2, { max: 120, IIFEs: true }]);
    expect(await ruleFor("modules/src/engine/index.ts")).toBeDefined();
    expect(await ruleFor("modules/test/compute.test.ts")).toBeUndefined();
    expect(await ruleFor("stacks/src/app.ts")).toBeUndefined();
  });

  it("refuses a function of 121 lines and accepts one of 120", async () => {
    expect(await lengthMessages(functionOf(121))).toEqual([
      "max-lines-per-function: Function 'long' has too many lines (121). Maximum allowed is 120.",
    ]);
    expect(await lengthMessages(functionOf(120))).toEqual([]);
  });
});

describe("lint: the engine's package names", () => {
  const eslint = new ESLint({ cwd: ROOT });
  const restrictedFor = async (file: string): Promise<Linter.RuleEntry | undefined> =>
    ((await eslint.calculateConfigForFile(resolve(ROOT, file))) as { rules?: Record<string, Linter.RuleEntry> }).rules?.["no-restricted-imports"];

  async function messages(file: string, code: string): Promise<string[]> {
    const rule = await restrictedFor(file);
    if (rule === undefined) return [];
    const linter = new ESLint({
      cwd: ROOT,
      overrideConfigFile: true,
      overrideConfig: [{ files: ["**/*.ts"], languageOptions: { parser: tseslint.parser }, rules: { "no-restricted-imports": rule } }],
    });
    const [result] = await linter.lintText(code, { filePath: resolve(ROOT, file) });
    return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
  }

  it("the provider-root rule names the provider package the modules depend on, and it is installed", async () => {
    const paths = (restricted as [string, { paths: { name: string }[] }])[1].paths.map((p) => p.name);
    expect(paths).toEqual([ENGINE_PACKAGES.provider]);
    expect(() => createRequire(import.meta.url).resolve(`${ENGINE_PACKAGES.provider}/package.json`)).not.toThrow();
    // and it fires on that package's root wherever the engine rule replaces the base rule
    expect(await messages("stacks/src/example.ts", `import { S3Bucket } from "${ENGINE_PACKAGES.provider}";\nexport { S3Bucket };\n`)).toEqual([
      expect.stringMatching(/Import provider classes by deep path/),
    ]);
  });

  it.each(["stacks/src/example.ts", "modules/src/iam/example.ts", "tools/cli/src/example.ts"])("refuses the engine's core package outside modules/src/engine: %s", async (file) => {
    for (const specifier of [ENGINE_PACKAGES.core, `${ENGINE_PACKAGES.core}/lib/tokens/private/stack-trace.js`]) {
      expect(await messages(file, `import { x } from "${specifier}";\nexport { x };\n`)).toEqual([expect.stringMatching(/modules\/src\/engine/)]);
    }
  });

  it("allows it in the engine module", async () => {
    expect(await messages("modules/src/engine/index.ts", `import { App } from "${ENGINE_PACKAGES.core}";\nexport { App };\n`)).toEqual([]);
  });
});
