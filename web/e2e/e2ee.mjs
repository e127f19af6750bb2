// Browser test of end-to-end encryption in the Amtsbote web client against a running server: an encrypted DM
// both ways, emoji verification, and reading old messages after a fresh sign-in with the recovery key.
// Same environment as run.mjs: AMTSBOTE_URL, AMTSBOTE_ADMIN_USER, AMTSBOTE_ADMIN_PASSWORD; screenshots in web/test-artifacts/.
import { chromium } from "playwright-core";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { T, TX } from "./texts.mjs";

const BASE = (process.env.AMTSBOTE_URL ?? "").replace(/\/$/, "");
const ADMIN = process.env.AMTSBOTE_ADMIN_USER;
const ADMIN_PW = process.env.AMTSBOTE_ADMIN_PASSWORD;
if (!BASE || !ADMIN || !ADMIN_PW) {
  console.error("Set AMTSBOTE_URL, AMTSBOTE_ADMIN_USER and AMTSBOTE_ADMIN_PASSWORD (see web/README.md).");
  process.exit(2);
}
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!existsSync(CHROMIUM)) {
  console.error(`No Chromium at ${CHROMIUM} (run npm run test:e2e once, it installs it).`);
  process.exit(2);
}
const ART = new URL("../test-artifacts/", import.meta.url).pathname;
mkdirSync(ART, { recursive: true });
const TIMEOUT = Number(process.env.E2E_TIMEOUT ?? 30000);


async function api(path, { method = "GET", token, body } = {}) {
  const res = await fetch(BASE + path, {
    method,
    headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} -> ${res.status} ${text.slice(0, 200)}`);
  return JSON.parse(text);
}

const results = [];
let aborted = false;
const pages = {};
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
    for (const [label, p] of Object.entries(pages)) await p.screenshot({ path: `${ART}e2ee-failure-${label}.png` }).catch(() => undefined);
  }
}
function expect(cond, msg) {
  if (!cond) throw new Error(msg);
}
const shot = (page, name) => page.screenshot({ path: `${ART}${name}.png` });
const axeSource = readFileSync(new URL("../node_modules/axe-core/axe.min.js", import.meta.url), "utf8");
async function axeCheck(page, label) {
  if (!(await page.evaluate(() => typeof window.axe !== "undefined"))) await page.evaluate(axeSource);
  const res = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }));
  });
  writeFileSync(`${ART}axe-${label}.json`, JSON.stringify(res, null, 2));
  const bad = res.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(bad.length === 0, `axe (${label}): ${bad.map((v) => `${v.impact} ${v.id}: ${v.help} @ ${v.nodes.join(", ")}`).join("; ")}`);
}

const suffix = randomBytes(3).toString("hex");
const A = { username: `anna${suffix}`, password: `pw-${randomBytes(6).toString("hex")}`, displayname: `Anna Amt ${suffix}`, lang: "de" };
const B = { username: `bernd${suffix}`, password: `pw-${randomBytes(6).toString("hex")}`, displayname: `Bernd Bauhof ${suffix}`, lang: "en" };

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const ctxA = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: "de-DE", timezoneId: "Europe/Berlin" });
const ctxB = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: "en-US", timezoneId: "Europe/Berlin" });
for (const c of [ctxA, ctxB]) c.setDefaultTimeout(TIMEOUT);
const pa = await ctxA.newPage();
const pb = await ctxB.newPage();
pages.anna = pa;
pages.bernd = pb;
const pageErrors = [];
for (const [n, p] of Object.entries(pages)) {
  p.on("pageerror", (e) => pageErrors.push(`${n}: ${e.message}`));
  if (process.env.E2E_CONSOLE) p.on("console", (m) => ["error", "warning"].includes(m.type()) && console.log(`   [${n} ${m.type()}] ${m.text().slice(0, 300)}`));
}

async function signIn(page, u) {
  await page.goto(BASE + "/");
  await page.getByLabel(T(u.lang, "login.username")).fill(u.username);
  await page.getByLabel(T(u.lang, "login.password"), { exact: true }).fill(u.password);
  await page.getByRole("button", { name: T(u.lang, "login.submit") }).click();
  await page.getByRole("navigation", { name: T(u.lang, "list.title") }).waitFor();
}
const composer = (page, lang) => page.getByRole("textbox", { name: T(lang, "composer.label") });
async function sendText(page, lang, text) {
  await composer(page, lang).fill(text);
  await composer(page, lang).press("Enter");
}
const msgLi = (page, text) => page.locator("li.msg").filter({ has: page.locator(".bubble > :not(.reply-quote)", { hasText: text }) }).last();
const session = (page) => page.evaluate(() => JSON.parse(localStorage.getItem("amtsbote.session")));
const roomOf = async (page) => decodeURIComponent((await page.evaluate(() => location.hash)).replace("#/room/", ""));

let roomId;
let recoveryKey;

await step("create Anna and Bernd through the admin API", async () => {
  const admin = await api("/_matrix/client/v3/login", { method: "POST", body: { type: "m.login.password", identifier: { type: "m.id.user", user: ADMIN }, password: ADMIN_PW } });
  for (const u of [A, B]) {
    const r = await api("/_amtsbote/admin/v1/users", { method: "POST", token: admin.access_token, body: { username: u.username, password: u.password, admin: false, displayname: u.displayname } });
    u.userId = r.user_id;
  }
});

await step("both sign in; the client uploads device keys and creates a cross-signing identity", async () => {
  await signIn(pa, A);
  await signIn(pb, B);
  for (const u of [A, B]) {
    const deadline = Date.now() + TIMEOUT;
    for (;;) {
      const s = await session(u === A ? pa : pb);
      const q = await api("/_matrix/client/v3/keys/query", { method: "POST", token: s.accessToken, body: { device_keys: { [u.userId]: [] } } });
      if (q.device_keys?.[u.userId]?.[s.deviceId] && q.master_keys?.[u.userId]) break;
      expect(Date.now() < deadline, `no device or cross-signing keys for ${u.userId}: ${JSON.stringify(q).slice(0, 300)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
});

await step("Anna starts a DM with Bernd: it is encrypted and says so", async () => {
  await pa.getByRole("button", { name: T("de", "menu.newChat") }).first().click();
  const dialog = pa.getByRole("dialog", { name: T("de", "newChat.title") });
  await dialog.getByLabel(T("de", "newChat.search")).fill(B.username);
  await dialog.getByRole("button", { name: T("de", "newChat.start", { name: B.displayname }) }).click();
  await dialog.waitFor({ state: "detached" });
  await composer(pa, "de").waitFor();
  await pa.locator(".room-header .e2e-badge").getByText(T("de", "room.encrypted")).waitFor({ state: "attached" });
  roomId = await roomOf(pa);
  const s = await session(pa);
  const enc = await api(`/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/state/m.room.encryption`, { token: s.accessToken });
  expect(enc.algorithm === "m.megolm.v1.aes-sha2", `encryption state ${JSON.stringify(enc)}`);
});

await step("Anna writes; Bernd accepts and reads the plaintext; the server only has ciphertext", async () => {
  await sendText(pa, "de", "Geheim: Schlüssel liegt im Bauhof");
  await msgLi(pa, "Geheim: Schlüssel").waitFor();
  await pb.getByRole("button", { name: `${T("en", "invite.accept")}: ${A.displayname}` }).click();
  await composer(pb, "en").waitFor();
  await msgLi(pb, "Geheim: Schlüssel liegt im Bauhof").waitFor();
  const s = await session(pa);
  const msgs = await api(`/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/messages?dir=b&limit=50`, { token: s.accessToken });
  const types = msgs.chunk.filter((e) => e.state_key === undefined).map((e) => e.type);
  expect(types.includes("m.room.encrypted") && !types.includes("m.room.message"), `timeline types on the server: ${types}`);
  expect(!JSON.stringify(msgs).includes("Bauhof\""), "plaintext on the server");
  expect(!JSON.stringify(msgs).includes("Schlüssel liegt"), "plaintext on the server");
});

await step("Bernd answers; Anna reads it", async () => {
  await sendText(pb, "en", "Thanks, got the key");
  await msgLi(pa, "Thanks, got the key").waitFor();
  await shot(pa, "e2ee-01-dm-anna");
  await shot(pb, "e2ee-02-dm-bernd");
});

await step("Anna sends a file: the server stores only ciphertext, Bernd downloads the original", async () => {
  const text = `Dienstplan vertraulich ${suffix}`;
  const uploaded = pa.waitForResponse((r) => r.url().includes("/upload") && r.request().method() === "POST");
  await pa.locator(".composer input[type=file]").setInputFiles({ name: "dienstplan.txt", mimeType: "text/plain", buffer: Buffer.from(text) });
  const mxc = (await (await uploaded).json()).content_uri;
  const s = await session(pa);
  const [server, media] = mxc.replace("mxc://", "").split("/");
  const stored = await fetch(`${BASE}/_matrix/client/v1/media/download/${server}/${media}`, { headers: { Authorization: `Bearer ${s.accessToken}` } });
  expect(stored.ok, `download ${stored.status}`);
  const bytes = Buffer.from(await stored.arrayBuffer());
  expect(bytes.length === Buffer.byteLength(text) && !bytes.toString("utf8").includes("Dienstplan"), "the server has the plaintext file");
  const card = msgLi(pb, "dienstplan.txt").locator(".file-card");
  await card.waitFor();
  const [download] = await Promise.all([pb.waitForEvent("download"), card.getByRole("button").click()]);
  expect(readFileSync(await download.path(), "utf8") === text, "downloaded file differs");
});

await step("Bernd verifies Anna with emoji; both see the same seven and confirm", async () => {
  await pb.getByRole("button", { name: T("en", "room.verifyUser", { name: A.displayname }) }).click();
  const da = pa.getByRole("dialog", { name: T("de", "verify.title") });
  await da.getByText(T("de", "verify.incoming", { name: B.displayname })).waitFor();
  await da.getByRole("button", { name: T("de", "verify.accept") }).click();
  const db = pb.getByRole("dialog", { name: T("en", "verify.title") });
  await da.locator(".sas-emoji li").nth(6).waitFor();
  await db.locator(".sas-emoji li").nth(6).waitFor();
  const ea = await da.locator(".sas-symbol").allInnerTexts();
  const eb = await db.locator(".sas-symbol").allInnerTexts();
  expect(ea.length === 7 && ea.join() === eb.join(), `emoji differ: ${ea} / ${eb}`);
  await shot(pa, "e2ee-03-verify-emoji-de");
  await axeCheck(pa, "e2ee-verify-dialog");
  await shot(pb, "e2ee-04-verify-emoji-en");
  await da.getByRole("button", { name: T("de", "verify.match") }).click();
  await db.getByRole("button", { name: T("en", "verify.match") }).click();
  await db.getByText(T("en", "verify.done", { name: A.displayname })).waitFor();
  await da.getByText(T("de", "verify.done", { name: B.displayname })).waitFor();
  await db.getByRole("button", { name: T("en", "dialog.close") }).click();
  await da.getByRole("button", { name: T("de", "dialog.close") }).click();
  await pb.locator(".room-header .verified-badge").waitFor();
  await pa.locator(".room-header .verified-badge").waitFor();
});

await step("Anna sets up secure backup and gets a recovery key", async () => {
  await pa.getByRole("button", { name: T("de", "menu.label") }).click();
  await pa.getByRole("button", { name: T("de", "menu.security") }).click();
  const d = pa.getByRole("dialog", { name: T("de", "menu.security") });
  await d.getByLabel(T("de", "backup.password")).fill(A.password);
  await d.getByRole("button", { name: T("de", "backup.setUp") }).click();
  const key = d.locator(".recovery-key");
  await key.waitFor();
  recoveryKey = (await key.innerText()).trim();
  expect(/^[A-Za-z0-9 ]{40,}$/.test(recoveryKey), `recovery key looks wrong: ${recoveryKey}`);
  await shot(pa, "e2ee-05-recovery-key");
  await axeCheck(pa, "e2ee-backup-dialog");
  await d.getByRole("button", { name: T("de", "dialog.close") }).click();
  // The room keys reach the server's backup in the background: wait for them before signing out.
  const s = await session(pa);
  const deadline = Date.now() + TIMEOUT;
  for (;;) {
    const v = await api("/_matrix/client/v3/room_keys/version", { token: s.accessToken });
    const keys = await api(`/_matrix/client/v3/room_keys/keys?version=${encodeURIComponent(v.version)}`, { token: s.accessToken });
    if (keys.rooms?.[roomId]) break;
    expect(Date.now() < deadline, `no room keys in the backup: ${JSON.stringify(keys).slice(0, 200)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
});

await step("Anna signs out and in again: old messages cannot be decrypted yet, with a clear message", async () => {
  await pa.getByRole("button", { name: T("de", "menu.label") }).click();
  await pa.getByRole("button", { name: T("de", "menu.logout") }).click();
  await pa.getByText(T("de", "login.signedOut")).waitFor();
  await signIn(pa, A);
  await pa.locator(".banner.unverified-device").getByText(T("de", "verify.thisDevice")).waitFor();
  await pa.locator(".room-item .room-button").first().click();
  await pa.locator("li.msg .undecryptable", { hasText: T("de", "msg.undecryptable") }).first().waitFor();
  await shot(pa, "e2ee-06-undecryptable");
});

await step("Bernd is told that Anna has a new, unverified device", async () => {
  await pb.locator(".banner.new-device").getByText(T("en", "room.newDevice", { name: A.displayname })).waitFor();
  await shot(pb, "e2ee-08-new-device-notice");
});

await step("Anna enters the recovery key: this device is verified and the old messages decrypt", async () => {
  await pa.locator(".banner.unverified-device").getByRole("button", { name: T("de", "backup.enterKey") }).click();
  const d = pa.getByRole("dialog", { name: T("de", "menu.security") });
  await d.getByLabel(T("de", "backup.recoveryKey")).fill("EsTc 1234 wrong key");
  await d.getByRole("button", { name: T("de", "backup.restore") }).click();
  await d.getByRole("alert").filter({ hasText: T("de", "backup.wrongKey") }).waitFor();
  await d.getByLabel(T("de", "backup.recoveryKey")).fill(recoveryKey);
  await d.getByRole("button", { name: T("de", "backup.restore") }).click();
  await d.getByText(TX("de", "backup.restored")).waitFor({ timeout: 60000 });
  await d.getByRole("button", { name: T("de", "dialog.close") }).click();
  await msgLi(pa, "Geheim: Schlüssel liegt im Bauhof").waitFor();
  await msgLi(pa, "Thanks, got the key").waitFor();
  await pa.locator(".banner.unverified-device").waitFor({ state: "detached" });
  await shot(pa, "e2ee-07-restored");
});

await step("after the restore Anna and Bernd still talk encrypted", async () => {
  await sendText(pa, "de", "Neues Gerät, alles lesbar");
  await msgLi(pb, "Neues Gerät, alles lesbar").waitFor();
  // Anna's new device is now signed by her (verified) identity: Bernd's notice goes away by itself.
  await pb.locator(".banner.new-device").waitFor({ state: "detached" });
});

await step("Anna signs in on a second device and verifies it with her first one (emoji)", async () => {
  const ctx2 = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: "de-DE", timezoneId: "Europe/Berlin" });
  ctx2.setDefaultTimeout(TIMEOUT);
  const p2 = await ctx2.newPage();
  pages.anna2 = p2;
  await signIn(p2, A);
  await p2.locator(".banner.unverified-device").getByRole("button", { name: T("de", "verify.otherDevice") }).click();
  const d1 = pa.getByRole("dialog", { name: T("de", "verify.title") });
  await d1.getByText(T("de", "verify.incomingSelf")).waitFor();
  await d1.getByRole("button", { name: T("de", "verify.accept") }).click();
  const d2 = p2.getByRole("dialog", { name: T("de", "verify.title") });
  await d1.locator(".sas-emoji li").nth(6).waitFor();
  await d2.locator(".sas-emoji li").nth(6).waitFor();
  const e1 = await d1.locator(".sas-name").allInnerTexts();
  const e2 = await d2.locator(".sas-name").allInnerTexts();
  expect(e1.length === 7 && e1.join() === e2.join(), `emoji differ: ${e1} / ${e2}`);
  await d2.getByRole("button", { name: T("de", "verify.match") }).click();
  await d1.getByRole("button", { name: T("de", "verify.match") }).click();
  await d1.getByText(T("de", "verify.doneSelf")).waitFor();
  await d2.getByText(T("de", "verify.doneSelf")).waitFor();
  await shot(p2, "e2ee-09-second-device-verified");
  await d2.getByRole("button", { name: T("de", "dialog.close") }).click();
  await d1.getByRole("button", { name: T("de", "dialog.close") }).click();
  await p2.locator(".banner.unverified-device").waitFor({ state: "detached" });
});

await browser.close();
if (pageErrors.length) console.log(`page errors:\n  ${pageErrors.join("\n  ")}`);
const passed = results.filter((r) => r.status === "passed").length;
const failed = results.filter((r) => r.status === "failed").length;
const skipped = results.filter((r) => r.status === "skipped").length;
writeFileSync(`${ART}e2ee-results.json`, JSON.stringify(results, null, 2));
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed || skipped ? 1 : 0);
