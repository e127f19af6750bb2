// Development only: runs an e2e scenario (default run.mjs; `node e2e/run-fake.mjs admin.mjs` for the console)
// against the in-memory fake server (e2e/fake-server.mjs). The real tests run against the Amtsbote server.
import { spawn } from "node:child_process";
const script = process.argv[2] ?? "run.mjs";
const port = 18000 + Math.floor(Math.random() * 1000);
const server = spawn(process.execPath, [new URL("./fake-server.mjs", import.meta.url).pathname, String(port)], {
  stdio: ["ignore", "inherit", "inherit"],
  env: { ...process.env, AMTSBOTE_ADMIN_USER: "admin", AMTSBOTE_ADMIN_PASSWORD: "admin", FAKE_MAX_UPLOAD: String(5 * 1024 * 1024) },
});
await new Promise((r) => setTimeout(r, 800));
const test = spawn(process.execPath, [new URL(`./${script}`, import.meta.url).pathname], {
  stdio: "inherit",
  env: { ...process.env, AMTSBOTE_URL: `http://127.0.0.1:${port}`, AMTSBOTE_ADMIN_USER: "admin", AMTSBOTE_ADMIN_PASSWORD: "admin" },
});
test.on("exit", (code) => {
  server.kill();
  process.exit(code ?? 1);
});
