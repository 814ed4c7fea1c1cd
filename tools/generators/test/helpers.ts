import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { Tree } from "@nx/devkit";
import { createTreeWithEmptyWorkspace } from "@nx/devkit/testing";

/** The repository root. */
export const REPO_ROOT = join(import.meta.dirname, "..", "..", "..");

/** The files of the estate the generators read and write, relative to the repository root. */
export function estateFiles(): string[] {
  const envs = readdirSync(join(REPO_ROOT, "stacks", "environments"), { withFileTypes: true }).filter((d) => d.isDirectory());
  return [
    "stacks/src/environments/index.ts",
    "stacks/src/environments/org.ts",
    ...envs.flatMap((d) => ["config.ts", "project.json", "tsconfig.json"].map((f) => `stacks/environments/${d.name}/${f}`)),
  ];
}

/** A virtual workspace holding the real estate files. */
export function estateTree(): Tree {
  const tree = createTreeWithEmptyWorkspace();
  for (const file of estateFiles()) tree.write(file, readFileSync(join(REPO_ROOT, file), "utf8"));
  return tree;
}

/** Valid options for the service generator. */
export const SERVICE = {
  name: "ledger",
  environment: "dev",
  owner: "ledger-team",
  costCenter: "CC-3010",
  dataClassification: "confidential",
  image: "111111111111.dkr.ecr.eu-west-1.amazonaws.com/ledger:2.0.1",
} as const;

/** Valid options for the environment generator. */
export const ENVIRONMENT = {
  name: "qa",
  tier: "stage",
  account: "444444444444",
  vpcCidr: "10.40.0.0/16",
  zoneName: "qa.acme.example",
  zoneId: "Z0QA00000000001",
} as const;

/** The content of every file written to the tree so far. */
export function snapshot(tree: Tree): Map<string, string> {
  return new Map(tree.listChanges().map((c) => [c.path, c.content?.toString("utf8") ?? ""]));
}

/** What changed since `before`: `CREATE path` or `UPDATE path`, sorted. */
export function changedSince(tree: Tree, before: Map<string, string>): string[] {
  return tree
    .listChanges()
    .filter((c) => before.get(c.path) !== (c.content?.toString("utf8") ?? ""))
    .map((c) => `${before.has(c.path) ? "UPDATE" : "CREATE"} ${c.path}`)
    .sort();
}
