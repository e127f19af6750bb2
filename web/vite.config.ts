import { defineConfig, type Plugin } from "vite";
import react from "@vitejs/plugin-react";
import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";

/** Emits sw.js with the list of built files to precache (the app shell). */
function serviceWorker(): Plugin {
  return {
    name: "amtsbote-sw",
    apply: "build",
    generateBundle(_opts, bundle) {
      const files = Object.keys(bundle)
        .filter((f) => !f.endsWith(".map") && !f.endsWith(".wasm"))
        .map((f) => `/${f}`);
      const staticFiles = ["/manifest.webmanifest", "/icons/icon.svg", "/icons/icon-192.png", "/icons/icon-512.png"];
      const list = [...new Set([...files, ...staticFiles])].filter((f) => f !== "/index.html");
      const version = createHash("sha256").update(list.join("\n")).digest("hex").slice(0, 12);
      const src = readFileSync(new URL("./sw/sw.js", import.meta.url), "utf8")
        .replace("__VERSION__", version)
        .replace("__PRECACHE__", JSON.stringify(list));
      this.emitFile({ type: "asset", fileName: "sw.js", source: src });
    },
  };
}

export default defineConfig({
  plugins: [react(), serviceWorker()],
  base: "/",
  // The crypto wasm is found via new URL(..., import.meta.url); pre-bundling in dev would break that path.
  optimizeDeps: { exclude: ["@matrix-org/matrix-sdk-crypto-wasm"] },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 2500,
  },
  server: {
    // During development, proxy the Matrix API to a running server: AMTSBOTE_URL=http://127.0.0.1:8008 npm run dev
    proxy: process.env.AMTSBOTE_URL
      ? {
          "/_matrix": { target: process.env.AMTSBOTE_URL, changeOrigin: true },
          "/_amtsbote": { target: process.env.AMTSBOTE_URL, changeOrigin: true },
        }
      : undefined,
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.ts"],
  },
});
