import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { asPlan, canonical, comparePlans, PlanFileError, readPlan, renderDifferences, type PlanDocument } from "../src/plans.ts";

const reviewedFile = join(import.meta.dirname, "fixtures", "plans", "reviewed.json");
const reviewed = (): PlanDocument => readPlan(reviewedFile);
type Mutable = { resource_changes: { address: string; change: Record<string, unknown> }[]; output_changes: Record<string, Record<string, unknown>> };
const edit = (fn: (p: Mutable) => void): PlanDocument => {
  const plan = JSON.parse(readFileSync(reviewedFile, "utf8")) as Mutable;
  fn(plan);
  return asPlan(plan, "fresh.json");
};

describe("comparePlans", () => {
  it("finds no difference between a plan and itself, nor when only order and key order change", () => {
    const fresh = edit((p) => {
      p.resource_changes.reverse();
      const first = p.resource_changes[0];
      if (first) first.change = Object.fromEntries(Object.entries(first.change).reverse());
    });
    expect(comparePlans(reviewed(), fresh)).toEqual([]);
  });

  it("ignores no-op resources on either side", () => {
    const fresh = edit((p) => {
      p.resource_changes = p.resource_changes.filter((rc) => rc.address !== "aws_kms_key.data_7C6D");
    });
    expect(comparePlans(reviewed(), fresh)).toEqual([]);
  });

  it("reports a changed attribute value", () => {
    const fresh = edit((p) => {
      const role = p.resource_changes.find((rc) => rc.address === "aws_iam_role.task_9F8E");
      (role?.change["after"] as Record<string, unknown>)["max_session_duration"] = 43200;
    });
    expect(comparePlans(reviewed(), fresh)).toEqual([{ address: "aws_iam_role.task_9F8E", detail: "after differ" }]);
  });

  it("reports changed actions, e.g. an update that became a replacement", () => {
    const fresh = edit((p) => {
      const role = p.resource_changes.find((rc) => rc.address === "aws_iam_role.task_9F8E");
      if (role) role.change["actions"] = ["delete", "create"];
    });
    expect(comparePlans(reviewed(), fresh)).toEqual([{ address: "aws_iam_role.task_9F8E", detail: "actions update -> delete+create" }]);
  });

  it("reports resources and outputs present on one side only", () => {
    const fresh = edit((p) => {
      p.resource_changes = p.resource_changes.filter((rc) => rc.address !== "aws_s3_bucket.data_1A2B3C");
      p.resource_changes.push({ address: "aws_security_group.open", change: { actions: ["create"], before: null, after: {} } });
      p.output_changes = {};
    });
    expect(comparePlans(reviewed(), fresh)).toEqual([
      { address: "aws_s3_bucket.data_1A2B3C", detail: "only in the reviewed plan (create)" },
      { address: "aws_security_group.open", detail: "only in the fresh plan (create)" },
      { address: "output.bucket_name", detail: "only in the reviewed plan (create)" },
    ]);
  });

  it("reports a value that became unknown", () => {
    const fresh = edit((p) => {
      const bucket = p.resource_changes.find((rc) => rc.address === "aws_s3_bucket.data_1A2B3C");
      (bucket?.change["after_unknown"] as Record<string, unknown>)["bucket"] = true;
    });
    expect(comparePlans(reviewed(), fresh)).toEqual([{ address: "aws_s3_bucket.data_1A2B3C", detail: "after_unknown differ" }]);
  });
});

describe("plans written by Terraform", () => {
  const real = (name: string): PlanDocument => readPlan(join(import.meta.dirname, "fixtures", "plans", "terraform", name));

  it("match when nothing changed between the reviewed and the fresh plan", () => {
    expect(comparePlans(real("reviewed.json"), real("fresh-same.json"))).toEqual([]);
  });

  it("differ in prior values after another apply changed the state, though the actions are the same", () => {
    expect(comparePlans(real("reviewed.json"), real("fresh-after-other-apply.json"))).toEqual([
      { address: "output.bucket", detail: "before differ" },
      { address: "terraform_data.bucket", detail: "before differ" },
      { address: "terraform_data.role", detail: "before differ" },
    ]);
  });

  it("differ in actions between creating and updating", () => {
    expect(comparePlans(real("create.json"), real("reviewed.json"))).toEqual([
      { address: "output.bucket", detail: "actions create -> update" },
      { address: "terraform_data.bucket", detail: "actions create -> update" },
      { address: "terraform_data.role", detail: "actions create -> delete+create" },
    ]);
  });
});

describe("plan files", () => {
  const tmp = mkdtempSync(join(tmpdir(), "plans-"));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it("fail closed on a missing file, non-JSON and JSON that is not a plan, naming the file", () => {
    expect(() => readPlan(join(tmp, "absent.json"))).toThrow(/Cannot read plan .*absent\.json \(ENOENT\)/);
    writeFileSync(join(tmp, "garbage.json"), "Error: no state");
    expect(() => readPlan(join(tmp, "garbage.json"))).toThrow(PlanFileError);
    expect(() => readPlan(join(tmp, "garbage.json"))).toThrow(/garbage\.json is not JSON/);
    writeFileSync(join(tmp, "synth.json"), JSON.stringify({ resource: {} }));
    expect(() => readPlan(join(tmp, "synth.json"))).toThrow(/synth\.json is not a Terraform plan/);
    expect(() => asPlan({ format_version: "1.2", resource_changes: [{ change: {} }] }, "x.json")).toThrow(/lacks an address/);
  });

  it("accept a plan without changes", () => {
    expect(comparePlans(asPlan({ format_version: "1.2" }, "a"), asPlan({ format_version: "1.2", resource_changes: [] }, "b"))).toEqual([]);
  });
});

describe("rendering", () => {
  it("canonical JSON sorts keys at every depth", () => {
    expect(canonical({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"e":0,"f":1}]},"b":1}');
  });

  it("says what differs and what to do", () => {
    const md = renderDifferences("payments-api-prod", [{ address: "aws_iam_role.task_9F8E", detail: "after differ" }]);
    expect(md).toContain("`payments-api-prod`: the fresh plan differs from the reviewed plan");
    expect(md).toContain("| `aws_iam_role.task_9F8E` | after differ |");
    expect(md).toMatch(/not applied/);
    expect(renderDifferences("network-dev", [])).toBe("The fresh plan of `network-dev` matches the reviewed plan.\n");
  });
});
