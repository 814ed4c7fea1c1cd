import { describe, expect, it } from "vitest";
import { loadPolicyBundle } from "../src/bundle.ts";
import { catalogIndex, evaluateStack, formatMessage, formatObserved, inputBytes, type PolicyBundle } from "../src/engine.ts";
import { normalizeSynth } from "@baseplate/policies/input";
import type { CatalogRule, RawFinding } from "../src/types.ts";
import { NOW, readFixtureJson } from "./helpers.ts";

const input = normalizeSynth(readFixtureJson("synth", "noncompliant", "cdk.tf.json"), { now: NOW });

const RULE: CatalogRule = {
  id: "T-001",
  title: "Test rule",
  description: "d",
  severity: "high",
  enforcement: "mandatory",
  controls: ["CIS 1.1"],
  remediation: "Fix it.",
  message: "{address} in {stack} has {attribute} = {observed}.",
  package: "baseplate.rules.test",
  resource_types: ["aws_security_group"],
  sources: "both",
};

/** A bundle whose evaluate returns fixed results: exercises the engine's mapping, not the policies. */
function bundleReturning(result: () => unknown): PolicyBundle {
  return { sha256: "0".repeat(64), opaVersion: "test", rules: [RULE], evaluate: () => result() as RawFinding[] };
}

describe("message formatting", () => {
  it("fills every placeholder and prints observed values readably", () => {
    expect(formatMessage(RULE.message, { address: "a.b", attribute: "x.y", observed: { k: [1, null] }, stack: "s" })).toBe(
      'a.b in s has x.y = {"k":[1,null]}.',
    );
    expect(formatMessage("{attribute} {observed}", { address: "a", attribute: null, observed: null, stack: "s" })).toBe("(resource) (none)");
    expect(formatObserved("0.0.0.0/0")).toBe("0.0.0.0/0");
    expect(formatObserved(22)).toBe("22");
    expect(formatObserved(false)).toBe("false");
  });
});

describe("evaluateStack", () => {
  it("maps raw findings through the catalog and attaches construct and location", () => {
    const bundle = bundleReturning(() => [
      { rule: "T-001", address: "aws_security_group.bastion_sg_B9C0D1E2", attribute: "ingress[0].from_port", observed: 22 },
      { rule: "T-001", address: "aws_security_group.bastion_sg_B9C0D1E2", attribute: "ingress[0].from_port", observed: 22 },
      { rule: "T-001", address: "aws_s3_bucket.not_in_input" },
    ]);
    const findings = evaluateStack(bundle, catalogIndex(bundle.rules), input, "f.json");
    expect(findings).toEqual([
      {
        rule: "T-001",
        title: "Test rule",
        severity: "high",
        enforcement: "mandatory",
        stack: "shop-dev",
        source: "synth",
        address: "aws_s3_bucket.not_in_input",
        attribute: null,
        observed: null,
        message: "aws_s3_bucket.not_in_input in shop-dev has (resource) = (none).",
        remediation: "Fix it.",
        controls: ["CIS 1.1"],
        construct: null,
        location: null,
        waived: null,
      },
      expect.objectContaining({
        address: "aws_security_group.bastion_sg_B9C0D1E2",
        message: "aws_security_group.bastion_sg_B9C0D1E2 in shop-dev has ingress[0].from_port = 22.",
        construct: "shop-dev/bastion/sg",
        location: "stacks/src/shop.ts:70",
      }),
    ]);
  });

  it("takes construct and location from declaredAt when the input has none (plans), matching count instances", () => {
    const plan = { ...input, source: "plan" as const, resources: {} };
    const bundle = bundleReturning(() => [{ rule: "T-001", address: "aws_security_group.web[1]" }]);
    const declaredAt = new Map([["aws_security_group.web", { construct: "s/web/sg", location: "stacks/src/s.ts:4" }]]);
    const [finding] = evaluateStack(bundle, catalogIndex(bundle.rules), plan, "plan.json", declaredAt);
    expect(finding).toMatchObject({ address: "aws_security_group.web[1]", source: "plan", construct: "s/web/sg", location: "stacks/src/s.ts:4" });
  });

  it("fails closed on a rule id missing from the catalog", () => {
    const bundle = bundleReturning(() => [{ rule: "X-999", address: "aws_s3_bucket.b" }]);
    expect(() => evaluateStack(bundle, catalogIndex(bundle.rules), input, "f.json")).toThrow(
      /A policy returned rule id X-999, which is not in the catalog/,
    );
  });

  it("fails closed when a rule errors at runtime, whatever is thrown", () => {
    expect(() =>
      evaluateStack(
        bundleReturning(() => {
          throw new Error("Policy evaluation failed: time.now_ns: not implemented.");
        }),
        catalogIndex([RULE]),
        input,
        "f.json",
      ),
    ).toThrow(
      "Policy evaluation failed for f.json (stack shop-dev): time.now_ns: not implemented; this is a defect in a rule or the bundle, so the gate cannot pass until it is fixed.",
    );
    for (const thrown of ["sprintf: not implemented", { message: "x" }, new Error("boom")]) {
      const bundle = bundleReturning(() => {
        // OPA-Wasm throws strings and plain objects as well as Errors
        // eslint-disable-next-line @typescript-eslint/only-throw-error
        throw thrown;
      });
      expect(() => evaluateStack(bundle, catalogIndex(bundle.rules), input, "f.json")).toThrow(/^Policy evaluation failed for f\.json \(stack shop-dev\): /);
    }
  });

  it("fails closed on malformed results", () => {
    const notList = bundleReturning(() => ({ result: [] }));
    expect(() => evaluateStack(notList, catalogIndex(notList.rules), input, "f.json")).toThrow(/returned object instead of a list/);
    const noAddress = bundleReturning(() => [{ rule: "T-001" }]);
    expect(() => evaluateStack(noAddress, catalogIndex(noAddress.rules), input, "f.json")).toThrow(/malformed finding/);
  });

  it("passes the input as an ArrayBuffer holding exactly the JSON bytes", () => {
    const bytes = inputBytes(input);
    expect(bytes).toBeInstanceOf(ArrayBuffer);
    expect(JSON.parse(Buffer.from(bytes).toString("utf8"))).toEqual(JSON.parse(JSON.stringify(input)));
  });

  it("evaluates the real bundle once per process and finds the world-open SSH port", async () => {
    const bundle = await loadPolicyBundle();
    expect(await loadPolicyBundle()).toBe(bundle);
    expect(bundle.sha256).toMatch(/^[0-9a-f]{64}$/);
    const findings = evaluateStack(bundle, catalogIndex(bundle.rules), input, "f.json");
    expect(findings.find((f) => f.rule === "NET-002")?.address).toBe("aws_security_group.bastion_sg_B9C0D1E2");
  });
});
