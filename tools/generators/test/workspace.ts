// A disposable copy of the workspace for end-to-end tests: every source file copied, node_modules
// linked entry by entry, with the workspace's own packages (@baseplate/*) pointing into the copy
// so that the CLI and the stacks app load the copy's code, as after `npm install`.
import { spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { REPO_ROOT } from "./helpers.ts";

const SKIP = new Set([".git", "node_modules", ".nx", "cdktf.out", "reports", "coverage", "dist", ".tools", ".terraform", ".gen"]);

/** Workspace packages: name -> directory relative to the root. */
function workspacePackages(root: string): Map<string, string> {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { workspaces?: string[] };
  const out = new Map<string, string>();
  for (const dir of [...(pkg.workspaces ?? []), "tools/generators"]) {
    try {
      const name = (JSON.parse(readFileSync(join(root, dir, "package.json"), "utf8")) as { name: string }).name;
      out.set(name, dir);
    } catch {
      // a workspaces entry without a package.json is not a package
    }
  }
  return out;
}

/** Copies the workspace to a temporary directory; returns its root. */
export function copyWorkspace(): string {
  const root = mkdtempSync(join(tmpdir(), "baseplate-ws-"));
  cpSync(REPO_ROOT, root, {
    recursive: true,
    filter: (src) => {
      const rel = relative(REPO_ROOT, src);
      return rel === "" || !rel.split(sep).some((part) => SKIP.has(part));
    },
  });
  // the generators package is a workspace package (the root package.json lists it in `workspaces`)
  const pkgFile = join(root, "package.json");
  const pkg = JSON.parse(readFileSync(pkgFile, "utf8")) as { workspaces: string[] };
  if (!pkg.workspaces.includes("tools/generators")) {
    pkg.workspaces.push("tools/generators");
    writeFileSync(pkgFile, `${JSON.stringify(pkg, null, 2)}\n`);
  }
  const modules = join(root, "node_modules");
  mkdirSync(join(modules, "@baseplate"), { recursive: true });
  for (const entry of readdirSync(join(REPO_ROOT, "node_modules"))) {
    if (entry === "@baseplate") continue;
    symlinkSync(join(REPO_ROOT, "node_modules", entry), join(modules, entry));
  }
  for (const [name, dir] of workspacePackages(root)) {
    symlinkSync(join(root, dir), join(modules, name));
  }
  return root;
}

/** Removes a copy made by {@link copyWorkspace}. */
export function removeWorkspace(root: string): void {
  rmSync(root, { recursive: true, force: true });
}

/** The result of a command. */
export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node <args>` in `cwd` with the repository's Node. */
export function node(cwd: string, args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd,
      env: { ...process.env, NX_DAEMON: "false", NX_NO_CLOUD: "true", NX_TUI: "false", NO_COLOR: "1", FORCE_COLOR: "0", ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Entry points of the tools the tests run, relative to a workspace root. */
export const BIN = {
  nx: "node_modules/nx/dist/bin/nx.js",
  tsc: "node_modules/typescript/bin/tsc",
  eslint: "node_modules/eslint/bin/eslint.js",
  baseplate: "tools/cli/bin/baseplate.js",
} as const;
