export * from "./invariants.ts";
export * from "./stacks.ts";
export * from "./plans.ts";
export * from "./junit.ts";
export * from "./github.ts";
export * from "./codeowners.ts";
