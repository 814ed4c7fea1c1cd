import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { layerOf, orderStacks, parseStackList, selectStacks, StackListError, synthesizedStacks, workflowOutputs } from "../src/stacks.ts";

const list = [
  "payments-api-prod\tprod\tprod",
  "network-dev\tdev\tdev",
  "platform-prod\tprod\tprod",
  "ledger-stage\tstage\tstage",
  "platform-dev\tdev\tdev",
  "network-prod\tprod\tprod",
  "payments-api-dev\tdev\tdev",
  "billing-api-prod\tprod\tprod",
  "",
].join("\n");

describe("stack order", () => {
  it("orders dev -> stage -> prod, then platform -> network -> services, then by name", () => {
    const ordered = orderStacks(parseStackList(list, "stacks.tsv")).map((e) => e.stack);
    expect(ordered).toEqual([
      "platform-dev",
      "network-dev",
      "payments-api-dev",
      "ledger-stage",
      "platform-prod",
      "network-prod",
      "billing-api-prod",
      "payments-api-prod",
    ]);
  });

  it("classifies layers by name", () => {
    expect([layerOf("platform-prod"), layerOf("network-dev"), layerOf("payments-api-prod"), layerOf("platformer-dev")]).toEqual([
      "platform",
      "network",
      "services",
      "services",
    ]);
  });

  it("refuses an environment the apply workflow has no jobs for", () => {
    expect(() => orderStacks(parseStackList("platform-qa\tqa\tdev\n", "stacks.tsv"))).toThrow(/environment "qa", which the workflows do not deploy/);
  });

  it("refuses a malformed list line, naming the file and line", () => {
    expect(() => parseStackList("platform-dev\tdev\tdev\nplatform-prod prod prod\n", "stacks.tsv")).toThrow(StackListError);
    expect(() => parseStackList("platform-dev\tdev\tdev\nplatform-prod prod prod\n", "stacks.tsv")).toThrow(/^stacks\.tsv:2: /);
  });
});

describe("workflow outputs", () => {
  it("gives one JSON list per apply job, with the upper-case key for role variables", () => {
    const out = workflowOutputs(orderStacks(parseStackList(list, "stacks.tsv")));
    expect(out["count"]).toBe("8");
    expect(JSON.parse(out["prod_services"] ?? "")).toEqual([
      { stack: "billing-api-prod", environment: "prod", layer: "services", tier: "prod", env_key: "PROD" },
      { stack: "payments-api-prod", environment: "prod", layer: "services", tier: "prod", env_key: "PROD" },
    ]);
    expect(out["stage_platform"]).toBe("[]");
    expect(Object.keys(out).sort()).toEqual(
      ["count", "stacks", ...["dev", "stage", "prod"].flatMap((e) => ["platform", "network", "services"].map((l) => `${e}_${l}`))].sort(),
    );
  });
});

describe("synthesized stacks", () => {
  const tmp = mkdtempSync(join(tmpdir(), "stacks-"));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it("are the stack directories holding a cdk.tf.json", () => {
    for (const s of ["payments-api-prod", "network-dev"]) {
      mkdirSync(join(tmp, "stacks", s), { recursive: true });
      writeFileSync(join(tmp, "stacks", s, "cdk.tf.json"), "{}");
    }
    mkdirSync(join(tmp, "stacks", "half-written"), { recursive: true });
    expect(synthesizedStacks(tmp)).toEqual(["network-dev", "payments-api-prod"]);
    expect(synthesizedStacks(join(tmp, "absent"))).toEqual([]);
  });

  it("must be listed", () => {
    const all = parseStackList(list, "stacks.tsv");
    expect(selectStacks(all, ["network-dev"]).map((s) => s.name)).toEqual(["network-dev"]);
    expect(() => selectStacks(all, ["ghost-dev"])).toThrow(/ghost-dev is not in the stack list/);
  });
});
