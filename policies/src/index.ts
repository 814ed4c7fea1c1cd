/**
 * Loads the compiled policy bundle (policies/build: policy.wasm, catalog.json, manifest.json)
 * and evaluates policy inputs (policies/CONTRACT.md) with @open-policy-agent/opa-wasm.
 * Every failure is an Error with one sentence naming the file and the fix; nothing passes
 * silently.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as opaWasm from "@open-policy-agent/opa-wasm";
import { Ajv } from "ajv";
import type { ErrorObject, ValidateFunction } from "ajv";
import type { LoadedPolicy } from "@open-policy-agent/opa-wasm";
import type { Catalog, CatalogRule, Manifest, RawFinding } from "./types.ts";
import { isObject } from "./input/common.ts";

export type { Catalog, CatalogRule, Enforcement, Manifest, RawFinding, Severity } from "./types.ts";
export { SEVERITY_ORDER } from "./types.ts";
export type { LoadedPolicy } from "@open-policy-agent/opa-wasm";
export { JsonSyntaxError, parseJsonStrict, type StrictJsonOptions } from "./json.ts";
export * from "./input/index.ts";

/** The documented findings entrypoint (policies/CONTRACT.md). */
export const ENTRYPOINT = "baseplate/findings";
/** {input_parsed, findings}: what evaluate() runs, so malformed input JSON cannot pass silently. */
export const RESULT_ENTRYPOINT = "baseplate/result";

/** policies/build, next to this package's sources. */
export const DEFAULT_BUNDLE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..", "build");

/** The catalog's JSON schema (policies/catalog.schema.json). */
export const CATALOG_SCHEMA = resolve(dirname(fileURLToPath(import.meta.url)), "..", "catalog.schema.json");

const BUILD_HINT = "run 'npx nx run policies:build' (or 'node policies/scripts/build.ts')";
const PAGE = 64 * 1024;
/**
 * Evaluation allocates roughly 100 bytes of wasm memory per input byte (measured on estates of
 * 1,200-6,000 resources), and the module grows its memory page by page, which makes a first
 * evaluation several times slower than the next. Memory growth from JavaScript does not help:
 * the module's allocator only sees the size it started with. So the initial size is generous;
 * untouched pages cost address space, not resident memory.
 */
const DEFAULT_INITIAL_MIB = 256;
/**
 * Memory an evaluation needs, per input byte: about 14 (6 for the parsed input, 8 for the values
 * the rules build; the module frees nothing before the evaluation ends), with headroom. evaluate()
 * gives a larger input a module instance whose initial memory already holds it: growing page by
 * page made a 50,000-resource evaluation seven times slower (20 s instead of 3 s).
 */
const BYTES_PER_INPUT_BYTE = 32;
const BASE_MIB = 64;

/** The SDK's ESM entry exports loadPolicySync only on its default export; its types say otherwise. */
const loadPolicySync = (opaWasm as unknown as { default: { loadPolicySync: typeof opaWasm.loadPolicySync } }).default.loadPolicySync;

/** A compiled WebAssembly module (the project's `lib` has no WebAssembly types; Node has the global). */
type CompiledModule = object;
const wasmApi = (globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<CompiledModule> } }).WebAssembly;

interface PolicySource {
  /** policy.wasm, compiled once; a larger instance is a new instance of the same module. */
  module: CompiledModule;
  /** Maximum memory in pages. */
  maximum: number;
  /** The instance with the largest memory made so far for large inputs. */
  larger?: LoadedPolicy;
}

/** Compiled module and memory cap of each policy loadBundle() returned. */
const sources = new WeakMap<LoadedPolicy, PolicySource>();

export interface Bundle {
  policy: LoadedPolicy;
  catalog: Catalog;
  manifest: Manifest;
  /** sha256 (hex) of policy.wasm, verified against the manifest. */
  sha256: string;
  /** Rules by id. */
  rules: Map<string, CatalogRule>;
  dir: string;
}

export interface LoadOptions {
  /** Upper bound for the WebAssembly memory in MiB (default 4096, the wasm32 limit). */
  maxMemoryMiB?: number;
  /** Initial WebAssembly memory in MiB (default 256, capped by maxMemoryMiB). */
  initialMemoryMiB?: number;
}

function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new Error(`The policy ${what} ${file} is missing; ${BUILD_HINT}.`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Error(`The policy ${what} ${file} is not valid JSON; ${BUILD_HINT} to rebuild it.`);
  }
}


function checkManifest(x: unknown, file: string): Manifest {
  if (
    !isObject(x) ||
    x.schema !== "baseplate/policy-bundle@1" ||
    typeof x.sha256 !== "string" ||
    !/^[0-9a-f]{64}$/.test(x.sha256) ||
    typeof x.rules !== "number" ||
    typeof x.opa_version !== "string" ||
    !Array.isArray(x.entrypoints)
  ) {
    throw new Error(`The policy manifest ${file} is not a baseplate/policy-bundle@1 manifest; ${BUILD_HINT} to rebuild it.`);
  }
  return x as unknown as Manifest;
}

/** policies/catalog.schema.json, compiled on first use. */
let catalogValidator: ValidateFunction | undefined;

/** Where a schema error points, as a person reads it: `rules[3].enforcement`. */
function errorPath(error: ErrorObject, doc: unknown): string {
  const parts = error.instancePath.split("/").slice(1).map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
  let path = "";
  let node: unknown = doc;
  for (const part of parts) {
    if (Array.isArray(node)) {
      const item: unknown = node[Number(part)];
      const id = isObject(item) && typeof item.id === "string" ? ` (${item.id})` : "";
      path += `[${part}]${id}`;
      node = item;
    } else {
      path += path === "" ? part : `.${part}`;
      node = isObject(node) ? node[part] : undefined;
    }
  }
  if (error.keyword === "additionalProperties") {
    const extra = (error.params as { additionalProperty?: string }).additionalProperty ?? "?";
    return `${path === "" ? "" : `${path}.`}${extra}`;
  }
  return path === "" ? "(top level)" : path;
}

function describeSchemaError(error: ErrorObject, doc: unknown): string {
  const at = errorPath(error, doc);
  switch (error.keyword) {
    case "enum":
      return `${at} must be one of ${((error.params as { allowedValues?: unknown[] }).allowedValues ?? []).map((v) => JSON.stringify(v)).join(", ")}`;
    case "additionalProperties":
      return `${at} is not a catalog field (a new field goes into policies/catalog.schema.json first)`;
    case "required":
      return `${at === "(top level)" ? "" : `${at}: `}${(error.params as { missingProperty?: string }).missingProperty ?? "a field"} is missing`;
    default:
      return `${at} ${error.message ?? "is invalid"}`;
  }
}

/**
 * Validates a catalog against policies/catalog.schema.json, enum values included (severity,
 * enforcement, sources, risk), and checks rule ids are unique. A catalog that does not conform
 * would change verdicts (an enforcement spelt `Mandatory` matches neither value), so it never loads.
 */
export function checkCatalog(x: unknown, file: string): Catalog {
  if (catalogValidator === undefined) {
    const ajv = new Ajv({ allErrors: true, strict: true });
    catalogValidator = ajv.compile(JSON.parse(readFileSync(CATALOG_SCHEMA, "utf8")) as object);
  }
  if (!catalogValidator(x)) {
    const errors = (catalogValidator.errors ?? []).slice(0, 5).map((e) => describeSchemaError(e, x));
    throw new Error(`The policy catalog ${file} does not match policies/catalog.schema.json: ${errors.join("; ")}; fix the rule's METADATA and ${BUILD_HINT} to rebuild it.`);
  }
  const catalog = x as Catalog;
  const seen = new Set<string>();
  for (const rule of catalog.rules) {
    if (seen.has(rule.id)) throw new Error(`The policy catalog ${file} lists rule ${rule.id} twice; ${BUILD_HINT} to rebuild it.`);
    seen.add(rule.id);
  }
  return catalog;
}

/** Loads and verifies the bundle in dir (default policies/build). Throws on any inconsistency. */
export async function loadBundle(dir: string = DEFAULT_BUNDLE_DIR, options: LoadOptions = {}): Promise<Bundle> {
  const manifestFile = join(dir, "manifest.json");
  const catalogFile = join(dir, "catalog.json");
  const wasmFile = join(dir, "policy.wasm");
  const manifest = checkManifest(readJson(manifestFile, "manifest"), manifestFile);
  const catalog = checkCatalog(readJson(catalogFile, "catalog"), catalogFile);

  let wasm: Buffer;
  try {
    wasm = readFileSync(wasmFile);
  } catch {
    throw new Error(`The policy bundle ${wasmFile} is missing; ${BUILD_HINT}.`);
  }
  const sha256 = createHash("sha256").update(wasm).digest("hex");
  if (sha256 !== manifest.sha256) {
    throw new Error(`The policy bundle ${wasmFile} does not match the sha256 in ${manifestFile} (file ${sha256.slice(0, 12)}, manifest ${manifest.sha256.slice(0, 12)}); ${BUILD_HINT} to rebuild it.`);
  }
  if (catalog.rules.length !== manifest.rules) {
    throw new Error(`The policy catalog ${catalogFile} lists ${catalog.rules.length} rules but ${manifestFile} says ${manifest.rules}; ${BUILD_HINT} to rebuild it.`);
  }

  const pages = (mib: number): number => Math.floor((mib * 1024 * 1024) / PAGE);
  const maximum = Math.max(16, Math.min(65536, pages(options.maxMemoryMiB ?? 4096)));
  const initial = Math.max(16, Math.min(maximum, pages(options.initialMemoryMiB ?? DEFAULT_INITIAL_MIB)));
  let policy: LoadedPolicy;
  let module: CompiledModule;
  try {
    // Compiled here and instantiated synchronously: the SDK's asynchronous loader tests its argument
    // against the global `Response`, which makes Node load its whole fetch implementation.
    module = await wasmApi.compile(wasm);
    policy = loadPolicySync(module, { initial, maximum });
  } catch (err) {
    throw new Error(`The policy bundle ${wasmFile} could not be loaded as WebAssembly (${describe(err)}); ${BUILD_HINT} to rebuild it.`, { cause: err });
  }
  const entrypoints = policy.entrypoints as Record<string, number>;
  for (const e of [ENTRYPOINT, RESULT_ENTRYPOINT]) {
    if (!Object.hasOwn(entrypoints, e)) {
      throw new Error(`The policy bundle ${wasmFile} has no entrypoint ${e}; ${BUILD_HINT} to rebuild it.`);
    }
  }
  sources.set(policy, { module, maximum });
  const rules = new Map(catalog.rules.map((r) => [r.id, r]));
  return { policy, catalog, manifest, sha256, rules, dir };
}

/** A readable description of anything thrown by opa-wasm (strings, plain objects, Errors). */
export function describe(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === "string") return err;
  if (isObject(err) && typeof err.message === "string") return err.message;
  try {
    return JSON.stringify(err) ?? String(err);
  } catch {
    return String(err);
  }
}

/** The input as an ArrayBuffer of JSON bytes, without copying a Buffer's whole pool. */
export function toArrayBuffer(input: unknown): ArrayBuffer {
  if (input instanceof ArrayBuffer) return input;
  if (input instanceof Uint8Array) {
    const out = new ArrayBuffer(input.byteLength);
    new Uint8Array(out).set(input);
    return out;
  }
  const text = typeof input === "string" ? input : JSON.stringify(input);
  if (text === undefined) throw new Error("The policy input cannot be serialised to JSON (it is undefined or a function).");
  return new TextEncoder().encode(text).buffer;
}

/**
 * Evaluates the policy on one input and returns its findings. `input` is a policy input
 * object, or its JSON text as a string, Buffer, Uint8Array or ArrayBuffer (passed through
 * without a second stringify). Throws an Error when the input is not valid JSON, evaluation
 * aborts, or the result is not a list of findings.
 */
export function evaluate(policy: LoadedPolicy, input: unknown): RawFinding[] {
  const bytes = toArrayBuffer(input);
  let result: unknown;
  try {
    result = sizedFor(policy, bytes.byteLength).evaluate(bytes, RESULT_ENTRYPOINT);
  } catch (err) {
    const reason = describe(err);
    const hint = /memory|malloc/i.test(reason) ? " Raise maxMemoryMiB in loadBundle() or split the input; load the bundle again before the next evaluation." : "";
    throw new Error(`Policy evaluation failed: ${reason}.${hint}`, { cause: err });
  }
  const value = Array.isArray(result) && result.length === 1 && isObject(result[0]) ? result[0].result : undefined;
  if (!isObject(value) || !Array.isArray(value.findings)) {
    throw new Error(`Policy evaluation returned no result (got ${JSON.stringify(result)?.slice(0, 200)}); rebuild the bundle with 'npx nx run policies:build'.`);
  }
  if (value.input_parsed !== true) {
    throw new Error("The policy input is not valid JSON, so it was not evaluated; check the normalizer output.");
  }
  const findings = value.findings as unknown[];
  for (const f of findings) {
    if (!isObject(f) || typeof f.rule !== "string" || typeof f.address !== "string") {
      throw new Error(`Policy evaluation returned a malformed finding ${JSON.stringify(f)?.slice(0, 200)}; every finding needs a rule and an address.`);
    }
  }
  return findings as RawFinding[];
}

/**
 * The instance to evaluate an input of inputBytes bytes with: policy itself when its memory is
 * large enough (or it was not loaded by loadBundle), else an instance of the same compiled
 * module whose initial memory fits the input (within the bundle's maximum), made once and
 * reused for every input up to its size.
 */
export function sizedFor(policy: LoadedPolicy, inputBytes: number): LoadedPolicy {
  const source = sources.get(policy);
  if (source === undefined) return policy;
  const need = Math.min(source.maximum, Math.ceil((inputBytes * BYTES_PER_INPUT_BYTE + BASE_MIB * 1024 * 1024) / PAGE));
  const pagesOf = (p: LoadedPolicy): number => (p as unknown as { mem: { buffer: ArrayBuffer } }).mem.buffer.byteLength / PAGE;
  if (pagesOf(policy) >= need) return policy;
  if (source.larger !== undefined && pagesOf(source.larger) >= need) return source.larger;
  const larger = loadPolicySync(source.module, { initial: need, maximum: source.maximum });
  source.larger = larger;
  return larger;
}

/**
 * The builtins policy.wasm expects the JavaScript SDK to supply (name list). The bundle is
 * built so this is empty: SDK builtins have JavaScript semantics or are missing.
 */
export function requiredSdkBuiltins(policy: LoadedPolicy): string[] {
  const exports = (policy.wasmInstance as unknown as { exports: Record<string, unknown> }).exports;
  const builtins = exports.builtins as () => number;
  const dump = exports.opa_json_dump as (addr: number) => number;
  const addr = dump(builtins());
  const mem = new Uint8Array((policy as unknown as { mem: { buffer: ArrayBuffer } }).mem.buffer);
  let end = addr;
  while (end < mem.length && mem[end] !== 0) end++;
  const map = JSON.parse(new TextDecoder().decode(mem.subarray(addr, end))) as Record<string, number>;
  return Object.keys(map).sort();
}
