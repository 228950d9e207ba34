import { copyFileSync, mkdirSync } from "node:fs";
import { defineConfig } from "vite";

// The server's /docs page loads Swagger UI from these files instead of a CDN,
// so the API documentation works in a classroom without internet access.
const SWAGGER_FILES = ["swagger-ui-bundle.js", "swagger-ui.css"];

function copySwaggerUi() {
  return {
    name: "annlab-copy-swagger-ui",
    apply: "build",
    closeBundle() {
      const target = new URL("./dist/api-docs/", import.meta.url);
      mkdirSync(target, { recursive: true });
      for (const name of SWAGGER_FILES) {
        copyFileSync(new URL(`./node_modules/swagger-ui-dist/${name}`, import.meta.url), new URL(name, target));
      }
    },
  };
}

// `npm run dev` serves the app on :5173 and forwards API and WebSocket calls
// to a server started with `make run` on :8000.
const backendUrl = process.env.ANNLAB_BACKEND_URL ?? "http://127.0.0.1:8000";

export default defineConfig({
  plugins: [copySwaggerUi()],
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
