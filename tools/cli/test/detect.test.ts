import { describe, expect, it } from "vitest";
import { detectKind } from "../src/input/detect.ts";
import { readFixtureJson } from "./helpers.ts";

describe("detectKind", () => {
  it("recognises a cdktf synthesized stack by its blocks and // metadata", () => {
    expect(detectKind(readFixtureJson("synth", "noncompliant", "cdk.tf.json"), "cdk.tf.json")).toBe("synth");
  });

  it("recognises plans of format 0.1, 1.0 and 1.2", () => {
    for (const file of ["v0.1.plan.json", "v1.0.plan.json", "v1.2-modules.plan.json"]) {
      expect(detectKind(readFixtureJson("plan", file), file)).toBe("plan");
    }
  });

  it("accepts a plan with no changes at all", () => {
    expect(detectKind({ format_version: "1.2", terraform_version: "1.9.0", planned_values: { root_module: {} } }, "p.json")).toBe("plan");
  });

  it("rejects a Terraform state file and says what to pass instead", () => {
    const state = { version: 4, terraform_version: "1.9.0", serial: 3, lineage: "abc", outputs: {}, resources: [] };
    expect(() => detectKind(state, "terraform.tfstate")).toThrow(
      /terraform\.tfstate is a Terraform state file, not a plan; pass the output of `terraform show -json <planfile>` or a cdk\.tf\.json/,
    );
  });

  it("rejects an old (version 3) state file too", () => {
    expect(() => detectKind({ version: 3, terraform_version: "0.11.14", serial: 2, modules: [] }, "old.tfstate")).toThrow(/old\.tfstate is a Terraform state file/);
  });

  it("rejects state rendered by terraform show -json without a plan", () => {
    expect(() => detectKind({ format_version: "1.0", terraform_version: "1.9.0", values: { root_module: {} } }, "s.json")).toThrow(
      /s\.json is Terraform state rendered by `terraform show -json` without a plan file/,
    );
  });

  it("rejects a plan format it does not understand", () => {
    expect(() => detectKind({ format_version: "2.0", resource_changes: [] }, "p.json")).toThrow(/JSON format 2\.0/);
  });

  it("rejects Terraform JSON without cdktf metadata, other JSON and non-objects, naming the file", () => {
    expect(() => detectKind({ resource: {} }, "main.tf.json")).toThrow(/main\.tf\.json looks like Terraform JSON configuration but has no cdktf/);
    expect(() => detectKind({ name: "x" }, "package.json")).toThrow(/package\.json is not a recognised input; a synthesized stack/);
    expect(() => detectKind([1, 2], "list.json")).toThrow(/list\.json holds a JSON array/);
    expect(() => detectKind(null, "null.json")).toThrow(/null\.json holds a JSON null/);
  });
});
