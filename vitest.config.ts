import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "crawler/**/*.test.ts", "db/**/*.test.ts", "reports/**/*.test.ts", "app/**/*.test.ts"],
    // test/faults restarts its own PostgreSQL: it runs alone, via npm run test:faults.
    exclude: ["node_modules", ".data", "build", "test/faults/**"],
    globalSetup: ["test/helpers/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    maxWorkers: 2,
  },
});
