#!/usr/bin/env node
// The baseplate CLI. Its sources are TypeScript run directly by Node 24 (type stripping).
const major = Number(process.versions.node.split(".")[0]);
if (major < 24) {
  process.stderr.write(
    `baseplate: error: Node ${process.versions.node} cannot run baseplate; run it through \`npm run\`/\`npx baseplate\` (which use the repository's Node 24) or install Node 24.\n`,
  );
  process.exit(2);
}
const { run } = await import("../src/main.ts");
await run();
