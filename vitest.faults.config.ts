// Fault-injection tests: they start and restart their own PostgreSQL, so they run on their own.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/faults/**/*.test.ts"],
    testTimeout: 1_800_000,
    hookTimeout: 300_000,
    pool: "forks",
    maxWorkers: 1,
  },
});
