// Browser test of the admin console against a running server (issue 9).
// Env as for run.mjs: AMTSBOTE_URL, AMTSBOTE_ADMIN_USER, AMTSBOTE_ADMIN_PASSWORD (the account must be a server admin).
// Scenario: the admin (German browser) opens the console, creates an account, creates an invite link (with QR code);
// a second browser (English) signs up with the link; the admin locks the created account and remotely wipes the
// new user's signed-in browser, whose IndexedDB, localStorage and Cache Storage are then gone; the console shows the
// wipe as confirmed; on the integrations page a webhook's address and an outgoing rule's secret are shown once, and
// the rule is deleted. Screenshots: web/test-artifacts/admin-*.png. Setup and runner in harness.mjs.
import { T, TX, esc } from "./texts.mjs";
import { ADMIN, ADMIN_PW, BASE, expect, login, newUser, request, session, signIn, suffix, testRun } from "./harness.mjs";

const { step, check, shot, axeCheck, launch, newContext, openPage, pages, finish } = testRun({ prefix: "admin-", filePrefix: "admin-", timeout: 20000 });

// ---------- the scenario ----------
const C = newUser("carla", "Carla Kämmerei", "de");
const D = newUser("dora", "Dora Standesamt", "en");
let inviteUrl;
let serverName;

const browser = await launch();
const ctxAdmin = await newContext({ viewport: { width: 1440, height: 900 }, locale: "de-DE" });
const ctxDora = await newContext({ viewport: { width: 390, height: 844 }, locale: "en-US", isMobile: true, hasTouch: true });
await ctxAdmin.grantPermissions(["clipboard-read", "clipboard-write"], { origin: BASE });
const pa = await openPage(ctxAdmin, "admin");
const pd = await openPage(ctxDora, "dora");
const de = (k, v) => T("de", k, v);
const en = (k, v) => T("en", k, v);
const userPage = (id) => `${BASE}/#/admin/users/${encodeURIComponent(id)}`;

await step("admin signs in and opens the console from the main menu", async () => {
  await signIn(pa, { username: ADMIN, password: ADMIN_PW, lang: "de" });
  await pa.getByRole("button", { name: de("menu.label") }).click();
  await pa.getByRole("link", { name: de("menu.admin") }).click();
  await pa.getByRole("navigation", { name: de("admin.nav") }).waitFor();
  await pa.getByRole("heading", { name: de("admin.tab.users"), level: 2 }).waitFor();
  const status = await pa.evaluate(async () => {
    const s = JSON.parse(localStorage.getItem("amtsbote.session"));
    const r = await fetch("/_amtsbote/admin/v1/status", { headers: { Authorization: `Bearer ${s.accessToken}` } });
    return r.json();
  });
  serverName = status.server_name;
  expect(serverName, "no server_name in /status");
  await shot(pa, "01-console");
  await axeCheck(pa, "users");
});

await step("admin creates an account in the console", async () => {
  await pa.getByText(de("users.create"), { exact: true }).first().click();
  const form = pa.getByRole("form", { name: de("users.create") });
  await form.getByLabel(de("users.username"), { exact: true }).fill(C.username);
  await form.getByLabel(de("users.displayname"), { exact: true }).fill(C.displayname);
  await form.getByLabel(de("users.password"), { exact: true }).fill(C.password);
  await form.getByRole("button", { name: de("users.create") }).click();
  C.userId = `@${C.username}:${serverName}`;
  await pa.getByText(de("users.created", { user: C.userId })).waitFor();
  await pa.getByLabel(de("users.search")).fill(C.username);
  await pa.getByRole("link", { name: C.userId }).waitFor();
  const r = await login(C.username, C.password);
  expect(r.status === 200, `the new account cannot sign in: ${r.status} ${JSON.stringify(r.json)}`);
  C.token = r.json.access_token;
});

await step("admin creates an invite link with a QR code", async () => {
  await pa.getByRole("link", { name: de("admin.tab.invites") }).click();
  const form = pa.getByRole("form", { name: de("invites.create") });
  await form.getByLabel(de("invites.uses")).fill("1");
  await form.getByLabel(de("invites.days")).fill("2");
  await form.getByRole("button", { name: de("invites.create") }).click();
  await pa.getByText(de("invites.created")).waitFor();
  inviteUrl = await pa.getByRole("textbox", { name: de("invites.link") }).inputValue();
  expect(inviteUrl.startsWith(`${BASE}/#/register?token=`), `unexpected invite link ${inviteUrl}`);
  await pa.getByRole("img", { name: de("invites.qr") }).waitFor();
  await pa.getByRole("button", { name: de("admin.copy") }).click();
  await pa.getByText(de("admin.copied")).waitFor();
  expect((await pa.evaluate(() => navigator.clipboard.readText())) === inviteUrl, "clipboard does not hold the link");
  await shot(pa, "02-invite");
  await axeCheck(pa, "invites");
});

await step("a second browser signs up with the invite link and lands in the chat list", async () => {
  await pd.goto(inviteUrl);
  await pd.getByRole("heading", { name: en("register.title") }).waitFor();
  await pd.getByLabel(en("register.username")).fill(D.username);
  await pd.getByLabel(en("register.displayname")).fill(D.displayname);
  await pd.getByLabel(en("register.password"), { exact: true }).fill(D.password);
  await pd.getByLabel(en("register.password2")).fill(D.password + "x");
  await pd.getByRole("button", { name: en("register.submit") }).click();
  await pd.getByText(en("register.mismatch")).waitFor();
  await pd.getByLabel(en("register.password2")).fill(D.password);
  await axeCheck(pd, "register");
  await pd.getByRole("button", { name: en("register.submit") }).click();
  await pd.getByRole("navigation", { name: en("list.title") }).waitFor({ timeout: 30000 });
  D.session = await session(pd);
  expect(D.session.userId === `@${D.username}:${serverName}`, `signed in as ${D.session.userId}`);
  await shot(pd, "03-signed-up");
});

await check("the used-up invite link is refused with a clear message", async () => {
  const ctx = await browser.newContext({ locale: "de-DE" });
  const p = await ctx.newPage();
  await p.goto(inviteUrl);
  await p.getByText(de("register.invalid")).waitFor();
  await ctx.close();
});

await check("non-admins see no administration entry", async () => {
  await pd.getByRole("button", { name: en("menu.label") }).click();
  await pd.getByRole("button", { name: en("menu.logout") }).waitFor();
  expect((await pd.getByRole("link", { name: en("menu.admin") }).count()) === 0, "admin entry shown to a non-admin");
  await pd.keyboard.press("Escape");
  const r = await request("/_amtsbote/admin/v1/status", { token: D.session.accessToken });
  expect(r.status === 403, `/status for a non-admin answered ${r.status}`);
});

await step("admin locks the created account: sessions end, sign-in is refused", async () => {
  // Carla is signed in in a third browser when she is locked.
  const ctxC = await browser.newContext({ locale: "de-DE" });
  const pc = await openPage(ctxC, "carla");
  await signIn(pc, C);
  await pa.goto(userPage(C.userId));
  await pa.getByRole("button", { name: de("user.lock") }).click();
  await pa.getByRole("dialog").getByRole("button", { name: de("user.lock") }).click();
  await pa.getByTestId("user-state").filter({ hasText: de("users.locked") }).waitFor();
  const who = await request("/_matrix/client/v3/account/whoami", { token: C.token });
  expect(who.status === 401, `locked user's session still works: ${who.status}`);
  const r = await login(C.username, C.password);
  expect(r.status !== 200, "locked user could sign in");
  await shot(pa, "04-locked");
  // Her open browser ends the session with a clear message (locked, or "session ended" if the server
  // answers M_UNKNOWN_TOKEN), and the sign-in form says the account is locked.
  await pc.getByText(new RegExp(`${esc(de("login.locked"))}|${esc(de("login.revoked"))}`)).first().waitFor({ timeout: 60000 });
  await pc.getByLabel(de("login.username")).fill(C.username);
  await pc.getByLabel(de("login.password"), { exact: true }).fill(C.password);
  await pc.getByRole("button", { name: de("login.submit") }).click();
  await pc.getByRole("alert").filter({ hasText: new RegExp(`${esc(de("login.locked"))}|${esc(de("login.failed"))}`) }).waitFor();
  await shot(pc, "04-carla-locked");
  await ctxC.close();
  delete pages.carla;
});

await step("admin wipes the new user's browser session; its local data is gone", async () => {
  // Markers in every kind of storage the wipe must clear, next to what the client stored itself.
  await pd.evaluate(async () => {
    localStorage.setItem("e2e-marker", "1");
    await new Promise((res, rej) => {
      const r = indexedDB.open("e2e-marker-db", 1);
      r.onupgradeneeded = () => r.result.createObjectStore("s");
      r.onsuccess = () => (r.result.close(), res());
      r.onerror = () => rej(r.error);
    });
    await (await caches.open("e2e-marker-cache")).put("/e2e-marker", new Response("x"));
  });
  const before = await pd.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
  expect(before.includes("e2e-marker-db"), `marker database missing: ${before}`);
  await pa.goto(userPage(D.session.userId));
  const row = pa.locator(`tr[data-device="${D.session.deviceId}"]`);
  await row.waitFor();
  await shot(pa, "05-devices");
  await axeCheck(pa, "user-devices");
  await row.getByRole("button", { name: new RegExp(esc(de("devices.wipe"))) }).click();
  await pa.getByRole("dialog").getByRole("button", { name: de("devices.wipe") }).click();
  await pa.getByText(de("devices.wipeRequested")).waitFor();
  // The wiped browser notices on its next request (the sync long-poll) and shows the sign-in page.
  // The notice names the wipe when the server marks it (de.amtsbote.wiped); a plain hard logout says "session ended".
  await pd.getByText(new RegExp(`${esc(en("login.wiped"))}|${esc(en("login.revoked"))}`)).waitFor({ timeout: 60000 });
  await shot(pd, "06-wiped");
  const after = await pd.evaluate(async () => ({
    dbs: (await indexedDB.databases()).map((d) => d.name),
    local: Object.keys(localStorage),
    caches: await caches.keys(),
  }));
  expect(!after.dbs.includes("e2e-marker-db"), `IndexedDB not deleted: ${after.dbs}`);
  expect(!after.dbs.some((n) => n.startsWith("matrix-js-sdk")), `crypto store not deleted: ${after.dbs}`);
  expect(!after.local.includes("e2e-marker") && !after.local.includes("amtsbote.session"), `localStorage not cleared: ${after.local}`);
  expect(!after.caches.includes("e2e-marker-cache"), `caches not deleted: ${after.caches}`);
  const who = await request("/_matrix/client/v3/account/whoami", { token: D.session.accessToken });
  expect(who.status === 401, `wiped session still works: ${who.status}`);
});

await step("the console shows the wipe as confirmed", async () => {
  const item = pa.locator(`li[data-wipe="${D.session.deviceId}"]`);
  for (let i = 0; i < 20; i++) {
    await pa.getByRole("button", { name: de("admin.refresh") }).click();
    await item.waitFor();
    if (await item.getByText(TX("de", "devices.wipeConfirmed")).count()) break;
    await pa.waitForTimeout(500);
  }
  await item.getByText(TX("de", "devices.wipeConfirmed")).waitFor();
  await shot(pa, "07-wipe-confirmed");
});

await check("audit log lists the acts and verifies", async () => {
  await pa.getByRole("link", { name: de("admin.tab.audit") }).click();
  await pa.getByRole("heading", { name: de("admin.tab.audit"), level: 2 }).waitFor();
  await pa.locator(".admin-table tbody tr").first().waitFor();
  await pa.getByRole("button", { name: de("audit.verify") }).click();
  await pa.getByText(TX("de", "audit.verifyOk")).waitFor();
  await shot(pa, "08-audit");
  await axeCheck(pa, "audit");
});

await check("rooms: the admin finds a room, sees its members, blocks it and deletes it with purge after typing the word", async () => {
  const admin = await login(ADMIN, ADMIN_PW);
  const name = `Bauamt e2e ${suffix}`;
  const room = await request("/_matrix/client/v3/createRoom", { method: "POST", token: admin.json.access_token, body: { name, preset: "private_chat" } });
  expect(room.status === 200, `createRoom: ${room.status}`);
  await pa.getByRole("link", { name: de("admin.tab.rooms") }).click();
  await pa.getByLabel(de("rooms.search")).fill(name);
  await pa.getByRole("link", { name }).click();
  await pa.getByRole("heading", { name, level: 3 }).waitFor();
  await pa.getByRole("link", { name: new RegExp(`^@${esc(ADMIN)}:`) }).waitFor();
  await axeCheck(pa, "room");
  await pa.getByRole("button", { name: de("rooms.blockRoom") }).click();
  await pa.getByRole("dialog").getByRole("button", { name: de("rooms.blockRoom") }).click();
  await pa.getByText(de("rooms.isBlocked")).waitFor();
  await pa.getByRole("button", { name: de("rooms.unblockRoom") }).waitFor();
  await pa.getByRole("button", { name: de("rooms.delete") }).click();
  const dialog = pa.getByRole("dialog");
  const confirm = dialog.getByRole("button", { name: de("rooms.deleteTitle") });
  expect(await confirm.isDisabled(), "delete possible without typing the word");
  await dialog.getByLabel(de("admin.typeToConfirm", { word: de("rooms.deleteWord") })).fill(de("rooms.deleteWord"));
  await confirm.click();
  await pa.getByText(de("rooms.deleted")).waitFor({ timeout: 60000 });
  await request("/_matrix/client/v3/logout", { method: "POST", token: admin.json.access_token, body: {} });
});

await check("server notice to a selected account", async () => {
  await pa.getByRole("link", { name: de("admin.tab.notices") }).click();
  await pa.getByLabel(de("notices.body")).fill(`Wartung heute um 18 Uhr (${suffix})`);
  await pa.getByLabel(de("notices.toSome")).check();
  await pa.getByLabel(de("notices.recipients")).fill(ADMIN);
  await pa.getByRole("button", { name: de("notices.send") }).click();
  await pa.getByText(de("notices.sent", { count: 1 })).waitFor();
  await axeCheck(pa, "notices");
});

await check("bots: create a bot, its access key is shown once, revoke the key", async () => {
  await pa.getByRole("link", { name: de("admin.tab.integrations") }).click();
  const bot = `e2ebot${suffix}`;
  await pa.getByLabel(de("bots.username")).fill(bot);
  await pa.getByRole("button", { name: de("bots.create") }).click();
  await pa.getByText(TX("de", "bots.token")).waitFor();
  const botId = `@${bot}:${serverName}`;
  const box = pa.locator(".admin-box").filter({ has: pa.getByRole("heading", { name: botId, level: 4 }) });
  await box.waitFor();
  await axeCheck(pa, "integrations");
  await box.getByRole("button", { name: new RegExp(`^${esc(de("bots.revoke"))}`) }).first().click();
  await pa.getByRole("dialog").getByRole("button", { name: de("bots.revoke") }).click();
  await box.getByRole("button", { name: new RegExp(`^${esc(de("bots.revoke"))}`) }).waitFor({ state: "detached" });
});

await check("integrations: a webhook's address and an outgoing rule's secret are shown once; the rule is deleted", async () => {
  const admin = await login(ADMIN, ADMIN_PW);
  const token = admin.json.access_token;
  const room = await request("/_matrix/client/v3/createRoom", { method: "POST", token, body: { name: `IT-Support e2e ${suffix}`, preset: "private_chat" } });
  expect(room.status === 200, `createRoom: ${room.status}`);
  const roomId = room.json.room_id;
  await pa.getByRole("link", { name: de("admin.tab.integrations") }).click();

  // Incoming webhook: its address (which holds the secret) is shown once, with a copy button.
  const hookName = `PRTG ${suffix}`;
  const hookForm = pa.getByRole("form", { name: de("hooks.create") });
  await hookForm.getByLabel(de("hooks.name"), { exact: true }).fill(hookName);
  await hookForm.getByLabel(de("hooks.room")).fill(roomId);
  await hookForm.getByLabel(de("hooks.format")).selectOption("prtg");
  await hookForm.getByLabel(de("hooks.bot")).fill(`prtg${suffix}`);
  await hookForm.getByRole("button", { name: de("hooks.create") }).click();
  const hookBox = pa.locator(".admin-secret").filter({ hasText: de("hooks.url") });
  const hookUrl = (await hookBox.locator("code").innerText()).trim();
  expect(/\/_amtsbote\/hooks\/v1\/[^/]+\/[^/]+$/.test(hookUrl), `unexpected webhook address ${hookUrl}`);
  await pa.getByRole("listitem").filter({ hasText: hookName }).waitFor();

  // Outgoing command rule: a command with a space is explained before asking the server; an address in the
  // server's own network is refused by the server, shown in plain language.
  const ruleName = `Ticket ${suffix}`;
  const ruleForm = pa.getByRole("form", { name: de("rules.create") });
  await ruleForm.getByLabel(de("rules.name"), { exact: true }).fill(ruleName);
  await ruleForm.getByLabel(de("rules.room")).fill(roomId);
  await ruleForm.getByRole("radio", { name: de("rules.kindCommand"), exact: true }).check();
  await ruleForm.getByLabel(de("rules.command")).fill("!ti cket");
  await ruleForm.getByLabel(de("rules.url")).fill("https://127.0.0.1/hook");
  await ruleForm.getByLabel(de("rules.bot")).fill(`ticketbot${suffix}`);
  await ruleForm.getByRole("button", { name: de("rules.create") }).click();
  await ruleForm.getByRole("alert").filter({ hasText: de("rules.errCommand") }).waitFor();
  await ruleForm.getByLabel(de("rules.command")).fill("!ticket");
  await ruleForm.getByRole("button", { name: de("rules.create") }).click();
  await ruleForm.getByRole("alert").filter({ hasText: TX("de", "admin.err.invalid") }).waitFor();
  await ruleForm.getByLabel(de("rules.url")).fill("https://tickets.example.org/hook");
  await ruleForm.getByRole("button", { name: de("rules.create") }).click();
  const secretBox = pa.locator(".admin-secret").filter({ hasText: de("rules.secret", { name: ruleName }) });
  const secret = (await secretBox.locator("code").innerText()).trim();
  expect(secret.length >= 20, `secret too short: ${secret.length}`);
  await secretBox.getByRole("button", { name: de("admin.copy") }).click();
  await secretBox.getByText(de("admin.copied")).waitFor();
  expect((await pa.evaluate(() => navigator.clipboard.readText())) === secret, "clipboard does not hold the rule's secret");
  const row = pa.locator("tr").filter({ has: pa.getByRole("rowheader", { name: ruleName, exact: true }) });
  await row.getByText("!ticket", { exact: true }).waitFor();
  await row.getByText("https://tickets.example.org/hook").waitFor();
  await row.getByText(de("rules.kindCommand"), { exact: true }).waitFor();
  await shot(pa, "09-rule-secret");
  await axeCheck(pa, "integrations-rules");

  // Shown once: after leaving the page and coming back neither the hook's address nor the secret is anywhere,
  // and the server's list does not carry the secret.
  await pa.getByRole("link", { name: de("admin.tab.status") }).click();
  await pa.getByRole("link", { name: de("admin.tab.integrations") }).click();
  await row.waitFor();
  const text = await pa.locator("body").innerText();
  expect(!text.includes(secret) && !text.includes(hookUrl), "the secret or the webhook address is shown again");
  const listed = await request("/_amtsbote/admin/v1/rules", { token });
  const mine = listed.json.rules?.find((r) => r.name === ruleName && r.room_id === roomId);
  expect(mine && mine.command === "!ticket" && mine.kind === "command" && !("secret" in mine), `rule as listed: ${JSON.stringify(mine)}`);

  // Delete with confirmation.
  await row.getByRole("button", { name: `${de("rules.delete")}: ${ruleName}` }).click();
  await pa.getByRole("dialog").getByText(de("rules.deleteConfirm", { name: ruleName, url: "https://tickets.example.org/hook" })).waitFor();
  await pa.getByRole("dialog").getByRole("button", { name: de("rules.delete") }).click();
  await row.waitFor({ state: "detached" });
  const after = await request("/_amtsbote/admin/v1/rules", { token });
  expect(!after.json.rules?.some((r) => r.id === mine.id), "the rule is still listed after deleting it");
  await request("/_matrix/client/v3/logout", { method: "POST", token, body: {} });
});

await check("server status page", async () => {
  await pa.getByRole("link", { name: de("admin.tab.status") }).click();
  await pa.getByText(serverName, { exact: true }).waitFor();
  await axeCheck(pa, "status");
});

await finish();
