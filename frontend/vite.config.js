import { defineConfig } from "vite";

// `npm run dev` serves the app on :5173 and forwards API and WebSocket calls
// to a server started with `make run` on :8000.
const backendUrl = process.env.ANNLAB_BACKEND_URL ?? "http://127.0.0.1:8000";

export default defineConfig({
  build: {
    outDir: "dist",
    emptyOutDir: true,
    chunkSizeWarningLimit: 1000,
  },
  server: {
    proxy: {
      "/api": backendUrl,
      "/ws": { target: backendUrl.replace(/^http/, "ws"), ws: true },
    },
  },
  test: {
    include: ["src/**/*.test.js"],
    environment: "node",
  },
});
