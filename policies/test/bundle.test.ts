/**
 * The loader (src/index.ts) and the OPA-Wasm facts it relies on, proven on the built bundle and
 * on small fixture policies compiled here with the pinned opa.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import type { LoadedPolicy } from "@open-policy-agent/opa-wasm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { extractFromTarGz, sha256 } from "../scripts/build.ts";
import { BUILD_DIR, opa } from "../scripts/opa.ts";
import { DEFAULT_BUNDLE_DIR, ENTRYPOINT, describe as describeError, evaluate, loadBundle, requiredSdkBuiltins, sizedFor, toArrayBuffer } from "../src/index.ts";
import { sharedBundle } from "./helpers.ts";

const tmpDirs: string[] = [];
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), "baseplate-bundle-test-"));
  tmpDirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of tmpDirs) rmSync(d, { recursive: true, force: true });
});

function bucket(i: number): Record<string, unknown> {
  return { address: `aws_s3_bucket.b${i}`, mode: "managed", type: "aws_s3_bucket", name: `b${i}`, values: { bucket: `acme-dev-svc-b${i}` }, references: [] };
}

const input = {
  schema: "baseplate/policy-input@1",
  source: "synth",
  stack: "t",
  resources: {
    aws_s3_bucket: [bucket(1)],
    aws_iam_user: [{ address: "aws_iam_user.u", mode: "managed", type: "aws_iam_user", name: "u", values: {} }],
  },
};

describe("loadBundle", () => {
  it("loads the built bundle and verifies it against the manifest", async () => {
    const b = await sharedBundle();
    expect(b.dir).toBe(DEFAULT_BUNDLE_DIR);
    expect(b.sha256).toBe(sha256(readFileSync(join(BUILD_DIR, "policy.wasm"))));
    expect(b.manifest.sha256).toBe(b.sha256);
    expect(b.manifest.rules).toBe(b.catalog.rules.length);
    expect(b.manifest.entrypoints).toContain(ENTRYPOINT);
    expect(b.rules.get("S3-001")?.severity).toBe("high");
  });

  function copyBuild(): string {
    const d = tmp();
    for (const f of ["policy.wasm", "catalog.json", "manifest.json"]) copyFileSync(join(BUILD_DIR, f), join(d, f));
    return d;
  }

  it("fails closed when policy.wasm is missing", async () => {
    const d = copyBuild();
    rmSync(join(d, "policy.wasm"));
    await expect(loadBundle(d)).rejects.toThrow(/policy\.wasm is missing; run 'npx nx run policies:build'/);
  });

  it("fails closed when policy.wasm does not match the manifest hash", async () => {
    const d = copyBuild();
    const wasm = readFileSync(join(d, "policy.wasm"));
    wasm[wasm.length - 1] = (wasm[wasm.length - 1] ?? 0) ^ 0xff;
    writeFileSync(join(d, "policy.wasm"), wasm);
    await expect(loadBundle(d)).rejects.toThrow(/does not match the sha256/);
  });

  it("fails closed when policy.wasm is not WebAssembly even with a matching hash", async () => {
    const d = copyBuild();
    const junk = Buffer.from("not wasm at all");
    writeFileSync(join(d, "policy.wasm"), junk);
    const manifest = JSON.parse(readFileSync(join(d, "manifest.json"), "utf8")) as Record<string, unknown>;
    writeFileSync(join(d, "manifest.json"), JSON.stringify({ ...manifest, sha256: sha256(junk) }));
    await expect(loadBundle(d)).rejects.toThrow(/could not be loaded as WebAssembly/);
  });

  it("fails closed when the catalog is missing, corrupt or disagrees with the manifest", async () => {
    const d1 = copyBuild();
    rmSync(join(d1, "catalog.json"));
    await expect(loadBundle(d1)).rejects.toThrow(/catalog.*catalog\.json is missing/);

    const d2 = copyBuild();
    writeFileSync(join(d2, "catalog.json"), "{");
    await expect(loadBundle(d2)).rejects.toThrow(/catalog\.json is not valid JSON/);

    const d3 = copyBuild();
    const catalog = JSON.parse(readFileSync(join(d3, "catalog.json"), "utf8")) as { rules: unknown[] };
    writeFileSync(join(d3, "catalog.json"), JSON.stringify({ ...catalog, rules: catalog.rules.slice(1) }));
    await expect(loadBundle(d3)).rejects.toThrow(/lists \d+ rules but .* says \d+/);

    const d4 = copyBuild();
    writeFileSync(join(d4, "catalog.json"), JSON.stringify({ schema: "baseplate/catalog@1", rules: [{ id: 1 }] }));
    await expect(loadBundle(d4)).rejects.toThrow(/does not match policies\/catalog\.schema\.json: opa_version is missing; rules\[0\]: title is missing/);

    // A mistyped enum value would make every finding advisory (the gate passes): it must not load.
    const d5 = copyBuild();
    const full = JSON.parse(readFileSync(join(d5, "catalog.json"), "utf8")) as { rules: { id: string; enforcement: string }[] };
    for (const rule of full.rules) rule.enforcement = "Mandatory";
    writeFileSync(join(d5, "catalog.json"), JSON.stringify(full));
    await expect(loadBundle(d5)).rejects.toThrow(new RegExp(`rules\\[0\\] \\(${full.rules[0]!.id}\\)\\.enforcement must be one of "mandatory", "advisory"`));
  });

  it("fails closed when the manifest is missing or of another shape", async () => {
    const d1 = copyBuild();
    rmSync(join(d1, "manifest.json"));
    await expect(loadBundle(d1)).rejects.toThrow(/manifest\.json is missing/);
    const d2 = copyBuild();
    writeFileSync(join(d2, "manifest.json"), JSON.stringify({ schema: "other" }));
    await expect(loadBundle(d2)).rejects.toThrow(/is not a baseplate\/policy-bundle@1 manifest/);
  });
});

describe("evaluate", () => {
  it("returns findings from several rule packages in one evaluation (data.baseplate.rules[_].deny works in wasm)", async () => {
    const { policy } = await sharedBundle();
    const findings = evaluate(policy, input);
    const rules = new Set(findings.map((f) => f.rule));
    expect(rules.has("S3-001")).toBe(true);
    expect(rules.has("IAM-005")).toBe(true);
    for (const f of findings) {
      expect(typeof f.rule).toBe("string");
      expect(typeof f.address).toBe("string");
    }
  });

  it("gives the same findings for an object, a JSON string, a Buffer slice and an ArrayBuffer", async () => {
    const { policy } = await sharedBundle();
    const text = JSON.stringify(input);
    const sort = (xs: unknown[]): string[] => xs.map((x) => JSON.stringify(x)).sort();
    const expected = sort(evaluate(policy, input));
    expect(expected.length).toBeGreaterThan(0);
    // A Buffer from the shared pool: its .buffer is larger than the JSON and starts elsewhere.
    const pooled = Buffer.from(`xxxx${text}yyyy`).subarray(4, 4 + Buffer.byteLength(text));
    expect(pooled.byteOffset).toBeGreaterThan(0);
    expect(sort(evaluate(policy, text))).toEqual(expected);
    expect(sort(evaluate(policy, pooled))).toEqual(expected);
    expect(sort(evaluate(policy, toArrayBuffer(text)))).toEqual(expected);
  });

  it("toArrayBuffer copies exactly the bytes of a Buffer view", () => {
    const buf = Buffer.from("__{\"a\":1}__").subarray(2, 9);
    const ab = toArrayBuffer(buf);
    expect(ab.byteLength).toBe(7);
    expect(new TextDecoder().decode(ab)).toBe('{"a":1}');
    expect(() => toArrayBuffer(undefined)).toThrow(/cannot be serialised/);
    expect(describeError(undefined)).toBe("undefined");
    expect(describeError(new Error("boom"))).toBe("boom");
  });

  it("evaluates an empty input and null to no findings", async () => {
    const { policy } = await sharedBundle();
    expect(evaluate(policy, {})).toEqual([]);
    expect(evaluate(policy, "null")).toEqual([]);
  });

  it("turns malformed JSON input into a clear Error, not a silent pass", async () => {
    const { policy } = await sharedBundle();
    expect(() => evaluate(policy, '{"resources": {')).toThrow(/The policy input is not valid JSON/);
    expect(() => evaluate(policy, "garbage")).toThrow(/The policy input is not valid JSON/);
  });

  it("evaluates a large estate after growing memory, and fails closed when the memory cap is too small", async () => {
    const many = { ...input, resources: { aws_s3_bucket: Array.from({ length: 5_000 }, (_, i) => bucket(i)) } };
    const text = JSON.stringify(many);
    expect(text.length).toBeGreaterThan(500_000);
    const big = await loadBundle();
    const findings = evaluate(big.policy, text);
    expect(findings.filter((f) => f.rule === "S3-001")).toHaveLength(5_000);

    const small = await loadBundle(DEFAULT_BUNDLE_DIR, { maxMemoryMiB: 2 });
    expect(() => evaluate(small.policy, text)).toThrow(/Policy evaluation failed: .*Raise maxMemoryMiB/);
  });

  it("stays linear: 6,000 mixed resources evaluate in seconds, not minutes", async () => {
    // Quadratic helpers (sets of objects, `x in set` scans, per-resource recomputation) took
    // 10+ s at 1,200 resources before they were removed; this guards against their return.
    const resources: Record<string, unknown[]> = {};
    const add = (type: string, name: string, values: Record<string, unknown>, references: string[] = []): void => {
      (resources[type] ??= []).push({ address: `${type}.${name}`, mode: "managed", type, name, values, references, provider: "aws" });
    };
    for (let i = 0; i < 1000; i++) {
      const b = `aws_s3_bucket.b${i}`;
      const ref = `\${${b}.id}`;
      add("aws_s3_bucket", `b${i}`, { bucket: `acme-prod-svc-b${i}` });
      add("aws_s3_bucket_versioning", `b${i}`, { bucket: ref, versioning_configuration: [{ status: "Enabled" }] }, [b]);
      add("aws_s3_bucket_public_access_block", `b${i}`, { bucket: ref, block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true }, [b]);
      add("aws_iam_role", `r${i}`, { name: `acme-prod-svc-r${i}`, assume_role_policy: '{"Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}' });
      add("aws_kms_key", `k${i}`, { enable_key_rotation: true });
      add("aws_security_group", `sg${i}`, { name: `acme-prod-svc-sg${i}` });
    }
    const estate = {
      schema: "baseplate/policy-input@1",
      source: "synth",
      stack: "perf",
      environment: { name: "prod", tier: "prod", account: "123456789012", region: "eu-west-1" },
      providers: { aws: { default_tags: [{ tags: { Owner: "team-a", CostCenter: "CC-1234", Environment: "prod", Service: "svc", DataClassification: "internal", ManagedBy: "baseplate", Repository: "acme/x" } }] } },
      resources,
    };
    const fresh = await loadBundle();
    const started = performance.now();
    const findings = evaluate(fresh.policy, estate);
    const elapsed = performance.now() - started;
    expect(findings.filter((f) => f.rule === "S3-004")).toEqual([]);
    expect(findings.filter((f) => f.rule === "S3-001")).toEqual([]);
    expect(findings.filter((f) => f.rule === "S3-003")).toHaveLength(1000);
    expect(findings.filter((f) => f.rule.startsWith("TAG-"))).toEqual([]);
    expect(elapsed).toBeLessThan(8000);
  });

  it("evaluates an input too large for the loaded memory on an instance sized for it, with the same findings", async () => {
    const many = { ...input, resources: { aws_s3_bucket: Array.from({ length: 5_000 }, (_, i) => bucket(i)) } };
    const bytes = toArrayBuffer(many);
    expect(bytes.byteLength).toBeGreaterThan(600_000);
    const small = await loadBundle(DEFAULT_BUNDLE_DIR, { initialMemoryMiB: 80 });
    const sized = sizedFor(small.policy, bytes.byteLength);
    expect(sized).not.toBe(small.policy);
    // made once, then reused for inputs up to its size; small inputs keep the loaded instance
    expect(sizedFor(small.policy, bytes.byteLength)).toBe(sized);
    expect(sizedFor(small.policy, 10)).toBe(small.policy);
    const sort = (xs: unknown[]): string[] => xs.map((x) => JSON.stringify(x)).sort();
    const findings = evaluate(small.policy, bytes);
    expect(findings.filter((f) => f.rule === "S3-001")).toHaveLength(5_000);
    const { policy } = await sharedBundle();
    expect(sort(findings)).toEqual(sort(evaluate(policy, bytes)));
    // a policy not loaded by loadBundle is used as it is
    const raw = await loadPolicy(readFileSync(join(DEFAULT_BUNDLE_DIR, "policy.wasm")));
    expect(sizedFor(raw, 100_000_000)).toBe(raw);
  });

  it("reuses one loaded policy across evaluations without leaking results", async () => {
    const { policy } = await sharedBundle();
    const first = evaluate(policy, input).length;
    evaluate(policy, { resources: { aws_s3_bucket: Array.from({ length: 50 }, (_, i) => bucket(i)) } });
    expect(evaluate(policy, input).length).toBe(first);
  });

  it("the bundle needs no builtin from the JavaScript SDK", async () => {
    const { policy } = await sharedBundle();
    expect(requiredSdkBuiltins(policy)).toEqual([]);
  });
});

describe("OPA-Wasm facts (fixture policy)", () => {
  let policy: LoadedPolicy;

  beforeAll(async () => {
    const d = tmp();
    mkdirSync(join(d, "src"));
    writeFileSync(
      join(d, "src", "facts.rego"),
      `package facts

import rego.v1

safe := {
	"union_empty": [x | x := object.union_n([])],
	"union_guarded": object.union_n(array.concat([{}], [])),
	"meta": meta,
	"big": 9007199254740993,
	"path_get": object.get(input, ["a", 0, "b"], "default"),
}

# METADATA
# custom:
#   id: FACT-002
meta := rego.metadata.rule().custom.id
`,
    );
    writeFileSync(
      join(d, "src", "sdk.rego"),
      `package facts.sdk

import rego.v1

clock := time.now_ns()

formatted := sprintf("%v", [input.x])
`,
    );
    writeFileSync(
      join(d, "src", "numbers.rego"),
      `package facts.numbers

import rego.v1

formatted := format_int(input.n, 10)

below := [x | x := input.v < 30]
`,
    );
    const out = join(d, "bundle.tar.gz");
    opa(["build", "-t", "wasm", "-e", "facts/safe", "-e", "facts/sdk/clock", "-e", "facts/sdk/formatted", "-e", "facts/numbers/formatted", "-e", "facts/numbers/below", "-o", out, join(d, "src")]);
    policy = await loadPolicy(extractFromTarGz(readFileSync(out), "/policy.wasm"));
  });

  function facts(inputValue: unknown): Record<string, unknown> {
    const res = policy.evaluate(toArrayBuffer(inputValue), "facts/safe") as { result: Record<string, unknown> }[];
    return res[0]?.result ?? {};
  }

  it("object.union_n([]) is undefined in wasm, so helpers prepend {}", () => {
    const r = facts({ a: [{ b: 1 }] });
    expect(r.union_empty).toEqual([]);
    expect(r.union_guarded).toEqual({});
  });

  it("rego.metadata.rule() is resolved at compile time", () => {
    expect(facts({ a: [] }).meta).toBe("FACT-002");
  });

  it("object.get follows array paths through arrays", () => {
    expect(facts({ a: [{ b: 7 }] }).path_get).toBe(7);
    expect(facts({ a: [] }).path_get).toBe("default");
  });

  it("integers above 2^53 lose precision on the way to JavaScript", () => {
    expect(facts({}).big).toBe(9007199254740992);
  });

  it("sprintf and time.now_ns are not compiled in: the module asks the SDK for them", () => {
    expect(requiredSdkBuiltins(policy)).toEqual(expect.arrayContaining(["sprintf", "time.now_ns"]));
  });

  it("a missing builtin throws a plain object, which evaluate() turns into an Error", () => {
    let thrown: unknown;
    try {
      policy.evaluate({ x: 1 }, "facts/sdk/clock");
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeDefined();
    expect(thrown instanceof Error).toBe(false);
    expect(describeError(thrown)).toMatch(/not implemented: built-in function .*time\.now_ns/);
  });

  it("format_int aborts the whole evaluation outside the 32-bit range", () => {
    const run = (n: number): unknown => (policy.evaluate({ n }, "facts/numbers/formatted") as { result: unknown }[])[0]?.result;
    expect(run(2147483647)).toBe("2147483647");
    expect(() => run(2147483648)).toThrow();
    expect(() => run(-2147483649)).toThrow();
    expect(run(-2147483648)).toBe("--2147483648");
  });

  it("comparisons across types do not fail: null < 30 holds", () => {
    const run = (v: unknown): unknown => (policy.evaluate({ v }, "facts/numbers/below") as { result: unknown }[])[0]?.result;
    expect(run(null)).toEqual([true]);
    expect(run("x")).toEqual([false]);
    expect(run(5)).toEqual([true]);
  });

  it("an unknown entrypoint throws a string", () => {
    let thrown: unknown;
    try {
      policy.evaluate({}, "nope/nothing");
    } catch (err) {
      thrown = err;
    }
    expect(typeof thrown).toBe("string");
    expect(describeError(thrown)).toMatch(/entrypoint nope\/nothing is not valid/);
    expect(() => evaluate(policy, {})).toThrow(/Policy evaluation failed: entrypoint baseplate\/result is not valid/);
  });
});
