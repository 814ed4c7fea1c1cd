export * from "./app.ts";
export * from "./changes.ts";
export * from "./environments/index.ts";
