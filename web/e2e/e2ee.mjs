// Browser test of end-to-end encryption in the Amtsbote web client against a running server: an encrypted DM
// both ways, emoji verification, and reading old messages after a fresh sign-in with the recovery key.
// Same environment as run.mjs: AMTSBOTE_URL, AMTSBOTE_ADMIN_USER, AMTSBOTE_ADMIN_PASSWORD; screenshots in web/test-artifacts/.
// Setup and runner in harness.mjs.
import { readFileSync } from "node:fs";
import { T, TX } from "./texts.mjs";
import { BASE, api, composer, createAccounts, expect, msgLi, newUser, roomOf, sendText, session, signIn, suffix, testRun } from "./harness.mjs";

const { step, shot, axeCheck, launch, newContext, openPage, finish, timeout: TIMEOUT } = testRun({ prefix: "e2ee-", timeout: 30000 });

const A = newUser("anna", "Anna Amt", "de");
const B = newUser("bernd", "Bernd Bauhof", "en");

await launch();
const ctxA = await newContext({ viewport: { width: 1280, height: 860 }, locale: "de-DE" });
const ctxB = await newContext({ viewport: { width: 1280, height: 860 }, locale: "en-US" });
const pa = await openPage(ctxA, "anna");
const pb = await openPage(ctxB, "bernd");

let roomId;
let recoveryKey;

await step("create Anna and Bernd through the admin API", async () => {
  await createAccounts([A, B]);
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
  const ctx2 = await newContext({ viewport: { width: 1280, height: 860 }, locale: "de-DE" });
  const p2 = await openPage(ctx2, "anna2");
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

await finish();
