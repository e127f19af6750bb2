// End-to-end browser test of the Amtsbote web client against a running server.
// Needs env AMTSBOTE_URL (server base URL, which also serves the client at /), AMTSBOTE_ADMIN_USER, AMTSBOTE_ADMIN_PASSWORD.
// Uses playwright-core with Debian's chromium (installed via apt-get if missing); setup and runner in harness.mjs.
// Screenshots go to web/test-artifacts/.
import { readFileSync } from "node:fs";
import { T, TX, esc } from "./texts.mjs";
import { BASE, api, composer, createAccounts, expect, msgLi, newUser, roomOf, sendText, session, signIn, suffix, testRun } from "./harness.mjs";

const { step, check, shot, axeCheck, launch, newContext, openPage, finish } = testRun({ timeout: 20000 });

async function openActions(page, lang, text) {
  const li = msgLi(page, text);
  await li.hover().catch(() => undefined);
  await li.getByRole("button", { name: TX(lang, "msg.actions") }).click();
  return li;
}
const roomItem = (page, name) => page.locator(".room-item").filter({ has: page.locator(".room-name", { hasText: new RegExp(`^${esc(name)}$`) }) });

// ---------- the scenario ----------
const A = newUser("anna", "Anna Amt", "de");
const B = newUser("bernd", "Bernd Bauhof", "en");

await launch(["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", "--autoplay-policy=no-user-gesture-required"]);
const ctxA = await newContext({ viewport: { width: 1440, height: 900 }, locale: "de-DE" });
const ctxB = await newContext({ viewport: { width: 390, height: 844 }, locale: "en-US", isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
for (const c of [ctxA, ctxB]) await c.grantPermissions(["microphone", "notifications"], { origin: BASE });
const pa = await openPage(ctxA, "anna");
const pb = await openPage(ctxB, "bernd");

let groupName = `Bauhof Team ${suffix}`;

await step("create two test users through the admin API", async () => {
  await createAccounts([A, B]);
});

await step("client is served at / with manifest, icons and service worker", async () => {
  for (const path of ["/", "/manifest.webmanifest", "/icons/icon-192.png", "/icons/icon-512.png", "/sw.js", "/some/deep/link"]) {
    const r = await fetch(BASE + path);
    expect(r.ok, `${path} -> ${r.status}`);
  }
  const manifest = await (await fetch(BASE + "/manifest.webmanifest")).json();
  expect(manifest.icons?.length >= 2 && manifest.start_url === "/", "manifest incomplete");
});

await step("sign-in page: German for a German browser, English for an English one, accessible", async () => {
  await pa.goto(BASE + "/");
  await pa.getByRole("heading", { name: "Amtsbote" }).waitFor();
  await pa.getByRole("button", { name: "Anmelden" }).waitFor();
  await pb.goto(BASE + "/");
  await pb.getByRole("button", { name: "Sign in" }).waitFor();
  await shot(pa, "desktop-01-login");
  await shot(pb, "phone-01-login");
  await axeCheck(pa, "desktop-login");
  await axeCheck(pb, "phone-login");
});

await step("wrong password shows a plain-language error", async () => {
  await pa.getByLabel("Benutzername").fill(A.username);
  await pa.getByLabel("Passwort", { exact: true }).fill("wrong-password");
  await pa.getByRole("button", { name: "Anmelden" }).click();
  await pa.getByRole("alert").filter({ hasText: T("de", "login.failed") }).waitFor();
});

await step("both users sign in", async () => {
  await signIn(pa, A);
  await signIn(pb, B);
});

await step("session survives a reload", async () => {
  await pa.reload();
  await pa.getByRole("navigation", { name: "Chats" }).waitFor();
  await pa.getByText(T("de", "list.empty")).waitFor();
  await shot(pa, "desktop-02-empty-list");
});

await step("Anna finds Bernd in the user directory and starts a DM", async () => {
  await pa.getByRole("button", { name: T("de", "menu.newChat") }).first().click();
  const dialog = pa.getByRole("dialog", { name: T("de", "newChat.title") });
  await dialog.getByLabel(T("de", "newChat.search")).fill(B.displayname.split(" ")[1] + " " + suffix);
  await shot(pa, "desktop-03-new-chat");
  await dialog.getByRole("button", { name: T("de", "newChat.start", { name: B.displayname }) }).click();
  await dialog.waitFor({ state: "detached" });
  await composer(pa, "de").waitFor();
});

await step("Anna sends a formatted message; Bernd gets the invite, accepts and sees it formatted", async () => {
  await sendText(pa, "de", "Hallo **Bernd**, bitte _heute_ prüfen: https://example.org/plan");
  await msgLi(pa, "Hallo").locator("strong", { hasText: "Bernd" }).waitFor();
  await pb.getByRole("button", { name: `${T("en", "invite.accept")}: ${A.displayname}` }).click();
  await composer(pb, "en").waitFor();
  const li = msgLi(pb, "Hallo");
  await li.locator("strong", { hasText: "Bernd" }).waitFor();
  await li.locator("em", { hasText: "heute" }).waitFor();
  const href = await li.locator("a").getAttribute("href");
  expect(href === "https://example.org/plan", `link href ${href}`);
});

await step("read receipt: Anna sees 'Gelesen von Bernd'", async () => {
  await msgLi(pa, "Hallo").getByText(TX("de", "msg.readBy")).waitFor();
  const text = await msgLi(pa, "Hallo").locator(".delivery").innerText();
  expect(text.includes(B.displayname), `receipt text: ${text}`);
});

await step("typing indicator and a reply from Bernd on the phone", async () => {
  await composer(pb, "en").fill("Hi Anna");
  await pa.locator(".typing").filter({ hasText: B.displayname }).waitFor();
  await composer(pb, "en").fill("");
  await openActions(pb, "en", "Hallo");
  await pb.getByRole("button", { name: T("en", "msg.reply"), exact: true }).click();
  await composer(pb, "en").fill("Hi Anna, mache ich!");
  await composer(pb, "en").press("Enter");
  const reply = msgLi(pa, "mache ich");
  await reply.waitFor();
  await reply.locator(".reply-quote", { hasText: "Hallo" }).waitFor();
  await shot(pb, "phone-03-dm");
});

await step("Anna sends an image with upload progress; Bernd sees the thumbnail and opens the viewer", async () => {
  await pa.evaluate(() => {
    window.__sawProgress = false;
    new MutationObserver(() => {
      if (document.querySelector(".upload progress")) window.__sawProgress = true;
    }).observe(document.body, { subtree: true, childList: true });
  });
  const png = readFileSync(new URL("../public/icons/icon-512.png", import.meta.url));
  await pa.locator(".composer input[type=file]").setInputFiles({ name: "lageplan.png", mimeType: "image/png", buffer: png });
  await msgLi(pa, "").locator(".image-msg img").last().waitFor();
  expect(await pa.evaluate(() => window.__sawProgress), "no upload progress bar was shown");
  const img = pb.locator(".image-msg img").last();
  await img.waitFor();
  await pb.getByRole("button", { name: T("en", "msg.openImage", { name: "lageplan.png" }) }).click();
  const viewer = pb.getByRole("dialog", { name: T("en", "viewer.title") });
  await viewer.locator("img").waitFor();
  await shot(pb, "phone-04-image-viewer");
  await viewer.getByRole("button", { name: T("en", "dialog.close") }).click();
  await viewer.waitFor({ state: "hidden" });
});

await step("Anna sends a 2 MB file with progress; Bernd sees a file card with size and can download it", async () => {
  await pa.evaluate(() => (window.__sawProgress = false));
  const buf = Buffer.alloc(2_000_000, 7);
  await pa.locator(".composer input[type=file]").setInputFiles({ name: "protokoll.pdf", mimeType: "application/pdf", buffer: buf });
  await msgLi(pa, "protokoll.pdf").locator(".file-card").waitFor();
  expect(await pa.evaluate(() => window.__sawProgress), "no upload progress bar was shown");
  const card = msgLi(pb, "protokoll.pdf").locator(".file-card");
  await card.waitFor();
  const size = await card.locator(".file-size").innerText();
  expect(/2(\.0)? MB|2,0 MB|2 MB/.test(size), `size label ${size}`);
  const [download] = await Promise.all([pb.waitForEvent("download"), card.getByRole("button").click()]);
  expect(download.suggestedFilename() === "protokoll.pdf", `download name ${download.suggestedFilename()}`);
});

await check("a file over the server's upload limit is refused with a clear message", async () => {
  const token = (await session(pa)).accessToken;
  const cfg = await api("/_matrix/client/v1/media/config", { token });
  const max = cfg["m.upload.size"];
  if (typeof max !== "number" || max > 200 * 1024 * 1024) {
    console.log(`   (limit ${max} too large to test in a browser, checked nothing)`);
    return;
  }
  await pa.locator(".composer input[type=file]").setInputFiles({ name: "zu-gross.bin", mimeType: "application/octet-stream", buffer: Buffer.alloc(max + 1) });
  await pa.getByRole("alert").filter({ hasText: TX("de", "upload.tooBig") }).waitFor();
  await pa.locator(".errors").getByRole("button", { name: T("de", "dialog.close") }).click();
});

await step("Anna records a voice message (click to record); Bernd gets an MSC3245 voice message with waveform", async () => {
  await pa.getByRole("button", { name: T("de", "composer.record") }).click();
  await pa.getByRole("button", { name: T("de", "composer.stopSend") }).waitFor();
  await pa.waitForTimeout(2200);
  await shot(pa, "desktop-05-recording");
  await pa.getByRole("button", { name: T("de", "composer.stopSend") }).click();
  const voice = pb.locator(".voice-msg").last();
  await voice.waitFor();
  await voice.getByRole("button", { name: T("en", "msg.play") }).waitFor({ state: "visible" });
  await pb.waitForFunction(() => !document.querySelector(".voice-msg:last-of-type button")?.disabled);
  const s = await session(pb);
  const roomId = await roomOf(pb);
  const msgs = await api(`/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/messages?dir=b&limit=20`, { token: s.accessToken });
  const ev = msgs.chunk.find((e) => e.content?.msgtype === "m.audio");
  if (ev) {
    expect(ev.content["org.matrix.msc3245.voice"] !== undefined, "voice marker missing");
    const audio = ev.content["org.matrix.msc1767.audio"];
    expect(audio?.duration > 1000 && Array.isArray(audio.waveform) && audio.waveform.length > 0, `audio details ${JSON.stringify(audio)}`);
    expect(ev.content.info?.size > 0 && ev.content.url?.startsWith("mxc://"), "voice file missing");
  } else {
    // The DM is end-to-end encrypted: the server only has ciphertext, so check what Bernd's client decrypted.
    expect(msgs.chunk.some((e) => e.type === "m.room.encrypted"), "no m.audio event in the room");
    expect((await voice.locator(".waveform .bar").count()) > 0, "no waveform shown");
    expect(/[1-9]/.test(await voice.locator(".voice-time").innerText()), "no duration shown");
  }
  await voice.getByRole("button", { name: T("en", "msg.play") }).click();
  await voice.getByRole("button", { name: T("en", "msg.pause") }).waitFor();
  await shot(pb, "phone-05-voice");
});

await step("Anna edits her message; Bernd sees the new text marked as edited", async () => {
  await openActions(pa, "de", "Hallo");
  await pa.getByRole("button", { name: T("de", "msg.edit"), exact: true }).click();
  await composer(pa, "de").fill("Hallo **Bernd**, bitte morgen prüfen");
  await composer(pa, "de").press("Enter");
  const li = msgLi(pb, "bitte morgen");
  await li.waitFor();
  await li.getByText(`(${T("en", "msg.edited")})`).waitFor();
});

await step("Bernd reacts with 👍; Anna sees the count", async () => {
  await openActions(pb, "en", "bitte morgen");
  await pb.getByRole("button", { name: T("en", "msg.reactWith", { emoji: "👍" }) }).click();
  await msgLi(pa, "bitte morgen").locator(".reaction", { hasText: "👍 1" }).waitFor();
});

await step("Anna deletes a message; Bernd sees 'Message deleted'", async () => {
  await sendText(pa, "de", "Versehen – bitte ignorieren");
  await msgLi(pb, "Versehen").waitFor();
  pa.once("dialog", (d) => d.accept());
  await openActions(pa, "de", "Versehen");
  await pa.getByRole("button", { name: T("de", "msg.delete"), exact: true }).click();
  await pb.locator("li.msg .bubble.deleted", { hasText: T("en", "msg.deleted") }).last().waitFor();
  await pb.locator("li.msg", { hasText: "Versehen" }).waitFor({ state: "detached" });
  await shot(pa, "desktop-06-dm");
});

await check("accessibility of the chat views (axe, both sizes)", async () => {
  await axeCheck(pa, "desktop-room");
  await axeCheck(pb, "phone-room");
});

await step("Anna creates a group with name and topic", async () => {
  await pa.getByRole("button", { name: T("de", "menu.label") }).click();
  await pa.getByRole("button", { name: T("de", "menu.newGroup") }).click();
  const dialog = pa.getByRole("dialog", { name: T("de", "newGroup.title") });
  await dialog.getByLabel(T("de", "newGroup.name")).fill(groupName);
  await dialog.getByLabel(T("de", "newGroup.topic")).fill("Winterdienst-Planung");
  await shot(pa, "desktop-07-new-group");
  await axeCheck(pa, "desktop-new-group-dialog");
  await dialog.getByRole("button", { name: T("de", "newGroup.create") }).click();
  await dialog.waitFor({ state: "detached" });
  await pa.getByRole("heading", { name: groupName }).waitFor();
  await pa.getByText("Winterdienst-Planung").first().waitFor();
});

await step("Anna invites Bernd from the group settings; Bernd accepts", async () => {
  await pa.getByRole("button", { name: T("de", "room.settings") }).click();
  const dialog = pa.getByRole("dialog", { name: T("de", "settings.title") });
  await dialog.getByLabel(T("de", "newChat.search")).fill(B.username);
  await dialog.getByRole("button", { name: `${T("de", "settings.inviteButton")}: ${B.displayname}` }).click();
  await dialog.locator(".member-list li", { hasText: B.displayname }).filter({ hasText: T("de", "role.invited") }).waitFor();
  await dialog.locator(".member-list li", { hasText: A.displayname }).filter({ hasText: T("de", "role.admin") }).waitFor();
  await shot(pa, "desktop-08-group-settings");
  await dialog.getByRole("button", { name: T("de", "dialog.close") }).first().click();
  await pb.getByRole("button", { name: T("en", "room.back") }).click();
  await pb.getByRole("button", { name: `${T("en", "invite.accept")}: ${groupName}` }).click();
  await pb.getByRole("heading", { name: groupName }).waitFor();
  await sendText(pb, "en", "Bin dabei.");
  await msgLi(pa, "Bin dabei.").waitFor();
});

await step("unread badge and title count when a message arrives in another chat", async () => {
  // Anna is in the group; Bernd writes in the DM.
  await pb.getByRole("button", { name: T("en", "room.back") }).click();
  await roomItem(pb, A.displayname).locator(".room-button").click();
  await pa.evaluate(() => {
    window.__titles = [document.title];
    new MutationObserver(() => window.__titles.push(document.title)).observe(document.querySelector("title"), { childList: true, characterData: true, subtree: true });
  });
  await sendText(pb, "en", "Noch eine Frage zum Plan");
  const item = roomItem(pa, B.displayname);
  await item.locator(".badge", { hasText: "1" }).waitFor();
  await pa.waitForFunction(() => document.title.startsWith("(1)"), null, { timeout: 10000 }).catch(async () => {
    const info = await pa.evaluate(() => [...document.querySelectorAll(".room-item")].map((e) => e.textContent).join(" | "));
    const app = await pa.evaluate(() => JSON.stringify({ ...document.querySelector(".app").dataset, vis: document.visibilityState }));
    throw new Error(`title is "${await pa.title()}"; app ${app}; history ${await pa.evaluate(() => JSON.stringify(window.__titles))}; list: ${info}`);
  });
  await shot(pa, "desktop-09-unread");
  await shot(pb, "phone-06-dm-more");
});

await step("chat list search filters by name", async () => {
  await pa.getByLabel(T("de", "list.search")).fill("bauhof team");
  await roomItem(pa, groupName).waitFor();
  await roomItem(pa, B.displayname).waitFor({ state: "detached" });
  await pa.getByLabel(T("de", "list.search")).fill("");
});

await step("Anna renames the group; Bernd leaves it", async () => {
  await pa.getByRole("button", { name: T("de", "room.settings") }).click();
  const dialog = pa.getByRole("dialog", { name: T("de", "settings.title") });
  groupName = `${groupName} Nord`;
  await dialog.getByLabel(T("de", "settings.name"), { exact: true }).fill(groupName);
  await dialog.getByRole("button", { name: T("de", "settings.save") }).click();
  await dialog.getByText(T("de", "settings.saved")).waitFor();
  await dialog.getByRole("button", { name: T("de", "dialog.close") }).first().click();
  await pb.getByRole("button", { name: T("en", "room.back") }).click();
  await roomItem(pb, groupName).waitFor();
  await shot(pb, "phone-02-list");
  await axeCheck(pb, "phone-list");
  await roomItem(pb, groupName).locator(".room-button").click();
  await pb.getByRole("button", { name: T("en", "room.settings") }).click();
  pb.once("dialog", (d) => d.accept());
  await pb.getByRole("button", { name: T("en", "settings.leave") }).click();
  await roomItem(pb, groupName).waitFor({ state: "detached" });
  await pa.locator(".state-event", { hasText: T("de", "event.left", { name: B.displayname }) }).waitFor();
});

await step("profile: Bernd changes his display name", async () => {
  await pb.getByRole("button", { name: new RegExp(`^${esc(T("en", "menu.profile"))}`) }).click();
  const dialog = pb.getByRole("dialog", { name: T("en", "profile.title") });
  await dialog.getByLabel(T("en", "profile.displayName")).fill(`${B.displayname} (Bauhof)`);
  await dialog.getByRole("button", { name: T("en", "settings.save") }).click();
  await dialog.getByText(T("en", "settings.saved")).waitFor();
  await shot(pb, "phone-07-profile");
  await dialog.getByRole("button", { name: T("en", "dialog.close") }).click();
});

await check("PWA: the app shell opens offline and says it is offline", async () => {
  await pb.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await pb.reload();
  await pb.waitForFunction(() => !!navigator.serviceWorker.controller);
  await ctxB.setOffline(true);
  await pb.reload();
  await pb.getByText(TX("en", "app.offlineBrowser")).waitFor();
  await shot(pb, "phone-08-offline");
  await ctxB.setOffline(false);
  await pb.reload();
  await pb.getByRole("navigation", { name: T("en", "list.title") }).waitFor();
});

await step("Bernd signs out", async () => {
  await pb.getByRole("button", { name: T("en", "menu.label") }).click();
  await pb.getByRole("button", { name: T("en", "menu.logout") }).click();
  await pb.getByText(T("en", "login.signedOut")).waitFor();
  expect((await pb.evaluate(() => localStorage.getItem("amtsbote.session"))) === null, "session still stored");
});

await step("a revoked session lands on the sign-in page with a clear message", async () => {
  const s = await session(pa);
  await api("/_matrix/client/v3/logout", { method: "POST", token: s.accessToken, body: {} });
  await pa.getByText(T("de", "login.revoked")).waitFor({ timeout: 60000 });
  await shot(pa, "desktop-10-revoked");
});

await finish();
