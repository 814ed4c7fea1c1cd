export * from "./baseline/errors.ts";
export * from "./baseline/environment.ts";
export * from "./baseline/naming.ts";
export * from "./baseline/tags.ts";
export * from "./baseline/stack.ts";
export * from "./baseline/tag-enforcer.ts";
export { callerLocation } from "./baseline/source.ts";
