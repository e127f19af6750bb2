import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

export default defineConfig({
  plugins: [react()],
  base: "/",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 2500,
  },
  server: {
    // During development, proxy the Matrix API to a local server (see README).
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
