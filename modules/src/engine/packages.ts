/**
 * The packages that make up the engine, named once. The load hooks, the token-trace patch, the
 * provider-root lint rule (eslint.config.js) and their tests are tied to these names; a test
 * (modules/test/engine.test.ts) fails when one is no longer installed or no longer matches.
 * Nothing here imports the engine, so the load hooks can read it before the engine loads.
 */
export const ENGINE_PACKAGES = {
  /** The construct library and synthesizer. */
  core: "cdktf",
  /** The AWS provider bindings (imported by deep path only). */
  provider: "@cdktf/provider-aws",
  /** The construct tree the engine builds on. */
  constructs: "constructs",
  /** The engine's command line (`cdktf synth`, refused `cdktf deploy` in workflows). */
  cli: "cdktf-cli",
} as const;

/** An internal of the engine that Baseplate relies on has moved, or a patch did not take effect. */
export class EngineError extends Error {
  constructor(what: string, fix: string) {
    super(`engine: ${what}. Fix: ${fix}`);
    this.name = "EngineError";
  }
}
