// The dashboard's build: Remix 2 on Vite with every v3 future flag turned on.
import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig({
  plugins: [
    remix({
      appDirectory: "app",
      buildDirectory: process.env.TT_BUILD_DIR ?? "build",
      ignoredRouteFiles: ["**/*.test.ts", "**/*.test.tsx", "**/.*"],
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_singleFetch: true,
        v3_lazyRouteDiscovery: true,
      },
    }),
  ],
  // Keep earlier hashed assets on a rebuild: a server started before (demo, tests) still
  // serves pages that reference them.
  build: { chunkSizeWarningLimit: 2000, emptyOutDir: false },
  server: { hmr: false },
  logLevel: "warn",
});
