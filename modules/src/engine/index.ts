/**
 * The engine boundary: everything Baseplate takes from cdktf goes through this module. Its public
 * API (re-exported below, nothing else) and the internals Baseplate patches for speed (the load
 * hooks in ./load-hooks.ts, the deferred token traces in ./token-traces.ts), each of which checks
 * that it took effect and fails loudly, naming the internal that moved, when it did not.
 * docs/engine.md says what moving to another engine (CDK Terrain) would change.
 */
export { App, Aspects, Lazy, S3Backend, TerraformIterator, TerraformResource, TerraformStack, Token } from "cdktf";
export type { IAspect } from "cdktf";
export { ENGINE_PACKAGES, EngineError } from "./packages.ts";
export { deferTokenTraces } from "./token-traces.ts";
import { verifyLoadHooks } from "./load-hooks.ts";

// The engine has loaded by now (the import above ran it): when the load hooks were installed,
// check that they took effect, and fail loudly if an internal they rely on has moved.
verifyLoadHooks();
