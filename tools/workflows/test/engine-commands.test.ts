import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { ENGINE_PACKAGES } from "@baseplate/modules/engine/packages";
import { describe, expect, it } from "vitest";
import { changesInfrastructure, ENGINE_COMMANDS } from "../src/invariants.ts";

const require = createRequire(import.meta.url);
const ROOT = resolve(import.meta.dirname, "..", "..", "..");

/** The commands the installed engine CLI package puts on PATH. */
function engineCliCommands(): string[] {
  const pkg = JSON.parse(readFileSync(require.resolve(`${ENGINE_PACKAGES.cli}/package.json`), "utf8")) as { bin?: string | Record<string, string> };
  if (typeof pkg.bin === "string") return [ENGINE_PACKAGES.cli.replace(/^@[^/]+\//, "")];
  return Object.keys(pkg.bin ?? {});
}

describe("the guardrail on the engine CLI's deploy (W007, W012)", () => {
  it("knows every command of the engine CLI the repository installs", () => {
    const root = JSON.parse(readFileSync(resolve(ROOT, "package.json"), "utf8")) as { devDependencies?: Record<string, string> };
    expect(Object.keys(root.devDependencies ?? {}), `the repository no longer depends on ${ENGINE_PACKAGES.cli}; update ENGINE_PACKAGES`).toContain(ENGINE_PACKAGES.cli);
    const commands = engineCliCommands();
    expect(commands.length).toBeGreaterThan(0);
    for (const command of commands) {
      expect(ENGINE_COMMANDS, `'${command}' (a command of ${ENGINE_PACKAGES.cli}) is missing from ENGINE_COMMANDS in tools/workflows/src/invariants.ts`).toContain(command);
    }
  });

  it.each(ENGINE_COMMANDS)("treats %s deploy and destroy as changing infrastructure, and synth as not", (command) => {
    for (const line of [`npx ${command} deploy payments-api-prod --auto-approve`, `${command} destroy network-dev`, `npx ${command} apply x`]) {
      expect(changesInfrastructure(line), line).toBe(true);
    }
    expect(changesInfrastructure(`npx ${command} synth`)).toBe(false);
    expect(changesInfrastructure(`npx ${command}-cli deploy`)).toBe(false);
  });

  it("still recognizes terraform apply and destroy", () => {
    expect(changesInfrastructure("terraform -chdir=cdktf.out/stacks/x apply plan.tfplan")).toBe(true);
    expect(changesInfrastructure("terraform destroy")).toBe(true);
    expect(changesInfrastructure("terraform plan -out plan.tfplan")).toBe(false);
  });
});
