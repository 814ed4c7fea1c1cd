import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Every property is bounded by its run count; this bounds a hang.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
