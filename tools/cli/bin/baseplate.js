#!/usr/bin/env node
// The baseplate CLI. Its sources are TypeScript run directly by Node 24 (type stripping).
const major = Number(process.versions.node.split(".")[0]);
if (major < 24) {
  process.stderr.write(
    `baseplate: error: Node ${process.versions.node} cannot run baseplate; run it through \`npm run\`/\`npx baseplate\` (which use the repository's Node 24) or install Node 24.\n`,
  );
  process.exit(2);
}
// Cache compiled code (the AWS provider classes are large) in the OS temp dir, or in
// NODE_COMPILE_CACHE when set; repeat runs start noticeably faster. Harmless when unavailable.
const { enableCompileCache } = await import("node:module");
if (typeof enableCompileCache === "function" && process.env.BASEPLATE_NO_COMPILE_CACHE !== "1") {
  try {
    enableCompileCache();
  } catch {
    // a read-only temp dir only costs speed
  }
}
// Before cdktf loads: tell Node the provider, cdktf and constructs are CommonJS (so it compiles each
// file once, not twice) and defer cdktf's rarely used archiver and semver (modules/src/engine/load-hooks.ts).
const { installCdktfLoadHooks } = await import("@baseplate/modules/engine/load-hooks");
installCdktfLoadHooks();
const { run } = await import("../src/main.ts");
await run();
