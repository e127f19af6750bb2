// What the browser tests (run.mjs, e2ee.mjs, admin.mjs) share: the environment, calls of the server's API, test
// accounts, Debian's Chromium, the step/check runner with its report, screenshots, axe checks, and signing in
// through the UI. Each script keeps only its own scenario.
// Needs env AMTSBOTE_URL (server base URL, which also serves the client at /), AMTSBOTE_ADMIN_USER,
// AMTSBOTE_ADMIN_PASSWORD; optional CHROMIUM_PATH, E2E_TIMEOUT (ms), E2E_CONSOLE (echo the pages' errors/warnings).
import { chromium } from "playwright-core";
import { execSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { T } from "./texts.mjs";

export const BASE = (process.env.AMTSBOTE_URL ?? "").replace(/\/$/, "");
export const ADMIN = process.env.AMTSBOTE_ADMIN_USER;
export const ADMIN_PW = process.env.AMTSBOTE_ADMIN_PASSWORD;
if (!BASE || !ADMIN || !ADMIN_PW) {
  console.error("Set AMTSBOTE_URL, AMTSBOTE_ADMIN_USER and AMTSBOTE_ADMIN_PASSWORD (see web/README.md).");
  process.exit(2);
}
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const ART = new URL("../test-artifacts/", import.meta.url).pathname;
mkdirSync(ART, { recursive: true });

// ---------- server API ----------
/** Any answer of the server as {status, ok, json, text}; a body that is not JSON becomes {raw: text}. */
export async function request(path, { method = "GET", token, body } = {}) {
  const res = await fetch(BASE + path, {
    method,
    headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = { raw: text };
  }
  return { status: res.status, ok: res.ok, json, text };
}
/** The JSON of a successful answer; any other answer fails the step. */
export async function api(path, options = {}) {
  const r = await request(path, options);
  if (!r.ok) throw new Error(`${options.method ?? "GET"} ${path} -> ${r.status} ${r.text.slice(0, 200)}`);
  return r.json;
}
export const login = (user, password) =>
  request("/_matrix/client/v3/login", { method: "POST", body: { type: "m.login.password", identifier: { type: "m.id.user", user }, password } });
export async function loginToken(user, password) {
  const r = await api("/_matrix/client/v3/login", { method: "POST", body: { type: "m.login.password", identifier: { type: "m.id.user", user }, password } });
  return r.access_token;
}

// ---------- test accounts ----------
/** Random per run, so a test can run again against the same server. */
export const suffix = randomBytes(3).toString("hex");
/** A test account (not yet on the server): `${name}${suffix}`, a random password, `${displayname} ${suffix}`. */
export function newUser(name, displayname, lang) {
  return { username: `${name}${suffix}`, password: `pw-${randomBytes(6).toString("hex")}`, displayname: `${displayname} ${suffix}`, lang };
}
/** Creates the accounts through the admin API (as the admin from the environment) and sets their userId. */
export async function createAccounts(users) {
  const adminToken = await loginToken(ADMIN, ADMIN_PW);
  for (const u of users) {
    const r = await api("/_amtsbote/admin/v1/users", { method: "POST", token: adminToken, body: { username: u.username, password: u.password, admin: false, displayname: u.displayname } });
    u.userId = r.user_id;
  }
}

// ---------- the client in the browser ----------
/** Signs in through the sign-in form in the user's language and waits for the chat list. */
export async function signIn(page, u) {
  await page.goto(BASE + "/");
  await page.getByLabel(T(u.lang, "login.username")).fill(u.username);
  await page.getByLabel(T(u.lang, "login.password"), { exact: true }).fill(u.password);
  await page.getByRole("button", { name: T(u.lang, "login.submit") }).click();
  await page.getByRole("navigation", { name: T(u.lang, "list.title") }).waitFor();
}
/** The session the client stored ({userId, deviceId, accessToken, …}). */
export const session = (page) => page.evaluate(() => JSON.parse(localStorage.getItem("amtsbote.session")));
/** The room the page shows (from #/room/<id>). */
export const roomOf = async (page) => decodeURIComponent((await page.evaluate(() => location.hash)).replace("#/room/", ""));
export const composer = (page, lang) => page.getByRole("textbox", { name: T(lang, "composer.label") });
export async function sendText(page, lang, text) {
  await composer(page, lang).fill(text);
  await composer(page, lang).press("Enter");
}
/** The last message whose own body (not a reply quote) contains the text. */
export const msgLi = (page, text) => page.locator("li.msg").filter({ has: page.locator(".bubble > :not(.reply-quote)", { hasText: text }) }).last();

export function expect(cond, msg) {
  if (!cond) throw new Error(msg);
}

function ensureChromium() {
  if (existsSync(CHROMIUM)) return;
  console.log("chromium not found, installing Debian's chromium package …");
  try {
    execSync("apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium", { stdio: "inherit" });
  } catch {
    /* reported below */
  }
  if (!existsSync(CHROMIUM)) {
    console.error(`No Chromium at ${CHROMIUM}. Install it: apt-get install -y chromium (or set CHROMIUM_PATH).`);
    process.exit(2);
  }
}

const axeSource = readFileSync(new URL("../node_modules/axe-core/axe.min.js", import.meta.url), "utf8");

/**
 * One browser test run. prefix starts its failure screenshots and results file (`${prefix}failure-anna.png`,
 * `${prefix}results.json`); filePrefix starts its screenshots and axe reports; timeout (ms, E2E_TIMEOUT overrides
 * it) is the default for every wait in the contexts from newContext.
 */
export function testRun({ prefix = "", filePrefix = "", timeout = 20000 } = {}) {
  const defaultTimeout = Number(process.env.E2E_TIMEOUT ?? timeout);
  const results = [];
  /** The open pages by label: screenshotted when a step fails. */
  const pages = {};
  const pageErrors = [];
  let aborted = false;
  let browser;

  /** A step of the scenario; after a failed one the rest are skipped. */
  async function step(name, fn) {
    if (aborted) {
      results.push({ name, status: "skipped" });
      console.log(`- SKIP ${name}`);
      return;
    }
    const t0 = Date.now();
    try {
      await fn();
      results.push({ name, status: "passed" });
      console.log(`✔ ${name} (${Date.now() - t0} ms)`);
    } catch (e) {
      results.push({ name, status: "failed", error: String(e?.stack ?? e) });
      console.log(`✘ ${name}\n   ${String(e?.message ?? e).split("\n").slice(0, 6).join("\n   ")}`);
      aborted = true;
      for (const [label, p] of Object.entries(pages)) await p.screenshot({ path: `${ART}${prefix}failure-${label}.png` }).catch(() => undefined);
    }
  }
  /** Like step, but a failure does not stop the rest (for independent checks). */
  async function check(name, fn) {
    const wasAborted = aborted;
    await step(name, fn);
    if (!wasAborted) aborted = false;
  }

  const shot = (page, name) => page.screenshot({ path: `${ART}${filePrefix}${name}.png` });
  async function axeCheck(page, label) {
    // Evaluated through the devtools protocol, so the server's Content-Security-Policy stays in force for the app.
    if (!(await page.evaluate(() => typeof window.axe !== "undefined"))) await page.evaluate(axeSource);
    const res = await page.evaluate(async () => {
      // eslint-disable-next-line no-undef
      const r = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }));
    });
    writeFileSync(`${ART}axe-${filePrefix}${label}.json`, JSON.stringify(res, null, 2));
    const bad = res.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(bad.length === 0, `axe (${label}): ${bad.map((v) => `${v.impact} ${v.id}: ${v.help} @ ${v.nodes.join(", ")}`).join("; ")}`);
  }

  /** Headless Debian Chromium (installed if missing), with the script's extra switches. */
  async function launch(extraArgs = []) {
    ensureChromium();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", ...extraArgs],
    });
    return browser;
  }
  async function newContext(options) {
    const ctx = await browser.newContext({ timezoneId: "Europe/Berlin", ...options });
    ctx.setDefaultTimeout(defaultTimeout);
    return ctx;
  }
  /** A new page in the context, under a label for failure screenshots and page errors. */
  async function openPage(ctx, label) {
    const p = await ctx.newPage();
    pages[label] = p;
    p.on("pageerror", (e) => pageErrors.push(`${label}: ${e.message}`));
    if (process.env.E2E_CONSOLE) p.on("console", (m) => ["error", "warning"].includes(m.type()) && console.log(`   [${label} ${m.type()}] ${m.text().slice(0, 300)}`));
    return p;
  }

  /** Closes the browser, writes the results, prints `N passed, N failed` and exits (1 unless all passed). */
  async function finish() {
    await browser.close();
    if (pageErrors.length) console.log(`page errors:\n  ${pageErrors.join("\n  ")}`);
    const passed = results.filter((r) => r.status === "passed").length;
    const failed = results.filter((r) => r.status === "failed").length;
    const skipped = results.filter((r) => r.status === "skipped").length;
    writeFileSync(`${ART}${prefix}results.json`, JSON.stringify(results, null, 2));
    console.log(`\nscreenshots and axe reports in ${ART}`);
    console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
    process.exit(failed || skipped ? 1 : 0);
  }

  return { step, check, shot, axeCheck, launch, newContext, openPage, pages, finish, timeout: defaultTimeout };
}
