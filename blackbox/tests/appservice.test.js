// Application service API with matrix-bot-sdk's Appservice class against the real server: the service receives
// room events, registers a namespaced user, sends as it, masquerades, is refused outside its namespace and with
// a wrong token; when it is down it gets the backlog, in order, after it returns.
//
// The registration is written by the Java side (BlackBoxSuiteTest) into the server's config; its values come in
// through AMTSBOTE_AS_* (port the service listens on, tokens, id, server name). Without them the file is skipped.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import Module from "node:module";
import { fileURLToPath } from "node:url";
import { raw, ok, expectError, createUser, loginRaw, enc, waitFor, uniqueName, stopAll, adminToken } from "../lib/harness.js";

const env = process.env;
const configured = Boolean(env.AMTSBOTE_AS_PORT && env.AMTSBOTE_AS_TOKEN && env.AMTSBOTE_HS_TOKEN);
const skip = configured ? false : "AMTSBOTE_AS_* not set (run through BlackBoxSuiteTest)";

after(stopAll);

// matrix-bot-sdk imports the Rust crypto bindings at load time; this suite does not install their native
// library (see lib/no-crypto.cjs), so the import is pointed at a stand-in that fails if anything uses it.
const cryptoStub = fileURLToPath(new URL("../lib/no-crypto.cjs", import.meta.url));
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
    if (request === "@matrix-org/matrix-sdk-crypto-nodejs") return cryptoStub;
    return resolve.call(this, request, ...rest);
};
const botSdk = configured ? (await import("@vector-im/matrix-bot-sdk")).default : null;
botSdk?.LogService.setLevel(botSdk.LogLevel.ERROR);

const SERVER = env.AMTSBOTE_SERVER_NAME ?? "test.local";
const PREFIX = env.AMTSBOTE_AS_USER_PREFIX ?? "_bbas_";

function registration() {
    return {
        id: env.AMTSBOTE_AS_ID,
        url: `http://127.0.0.1:${env.AMTSBOTE_AS_PORT}`,
        as_token: env.AMTSBOTE_AS_TOKEN,
        hs_token: env.AMTSBOTE_HS_TOKEN,
        sender_localpart: env.AMTSBOTE_AS_SENDER,
        namespaces: { users: [{ exclusive: true, regex: `@${PREFIX}.*:${SERVER.replace(/\./g, "\\.")}` }], aliases: [], rooms: [] },
        rate_limited: false,
    };
}

/** A running Appservice that records the room events it receives. */
async function startService() {
    const service = new botSdk.Appservice({
        port: Number(env.AMTSBOTE_AS_PORT),
        bindAddress: "127.0.0.1",
        homeserverName: SERVER,
        homeserverUrl: env.AMTSBOTE_URL,
        registration: registration(),
        storage: new botSdk.MemoryStorageProvider(),
    });
    service.received = [];
    service.pings = [];
    service.on("room.event", (roomId, event) => service.received.push(event));
    // matrix-bot-sdk 0.7.0 has no /_matrix/app/v1/ping handler (spec v1.7); the service adds one, checking
    // the hs_token like the SDK's own routes.
    service.expressAppInstance.post("/_matrix/app/v1/ping", (req, res) => {
        if (!service.isAuthed(req)) return res.status(403).json({ errcode: "M_FORBIDDEN", error: "bad hs_token" });
        service.pings.push(req.body);
        return res.status(200).json({});
    });
    await service.begin();
    return service;
}

function messages(service, roomId) {
    return service.received.filter((e) => e.room_id === roomId && e.type === "m.room.message").map((e) => e.content.body);
}

async function say(user, roomId, body) {
    const txn = uniqueName("t");
    return ok(await raw("PUT", `/_matrix/client/v3/rooms/${enc(roomId)}/send/m.room.message/${txn}`,
        { token: user.accessToken, body: { msgtype: "m.text", body } }), `send ${body}`).event_id;
}

test("matrix-bot-sdk appservice: events, namespaced user, masquerading, refusals, backlog after downtime",
    { skip, timeout: 120000 }, async () => {
        let service = await startService();
        try {
            const human = await loginRaw(await createUser("ashuman"));
            const room = ok(await raw("POST", "/_matrix/client/v3/createRoom", { token: human.accessToken, body: {} }), "createRoom").room_id;

            // Registers a user in its namespace (m.login.application_service) and joins as it.
            const suffix = uniqueName("u");
            const intent = service.getIntentForSuffix(suffix);
            await intent.ensureRegistered();
            assert.equal(intent.userId, `@${PREFIX}${suffix}:${SERVER}`);
            ok(await raw("POST", `/_matrix/client/v3/rooms/${enc(room)}/invite`, { token: human.accessToken, body: { user_id: intent.userId } }), "invite");
            await intent.joinRoom(room);

            // The service receives the room's events by transaction.
            await say(human, room, "hello bridge");
            await waitFor(() => messages(service, room).includes("hello bridge"), { what: "the message pushed to the service" });
            assert.ok(service.received.some((e) => e.type === "m.room.member" && e.state_key === intent.userId), "its own join was pushed");

            // Sends as its user (as_token + user_id), the human sees that user as the sender.
            const eventId = await intent.underlyingClient.sendText(room, "hello from the bridge");
            const seen = ok(await raw("GET", `/_matrix/client/v3/rooms/${enc(room)}/event/${enc(eventId)}`, { token: human.accessToken }), "get event");
            assert.equal(seen.sender, intent.userId);
            assert.equal(seen.content.body, "hello from the bridge");

            // Masquerading, raw: inside the namespace yes, outside no; a wrong token and registration outside refused.
            const who = ok(await raw("GET", "/_matrix/client/v3/account/whoami", { token: env.AMTSBOTE_AS_TOKEN, query: { user_id: intent.userId } }), "whoami as user");
            assert.equal(who.user_id, intent.userId);
            const sender = ok(await raw("GET", "/_matrix/client/v3/account/whoami", { token: env.AMTSBOTE_AS_TOKEN }), "whoami as sender");
            assert.equal(sender.user_id, service.botUserId);
            expectError(await raw("GET", "/_matrix/client/v3/account/whoami", { token: env.AMTSBOTE_AS_TOKEN, query: { user_id: human.userId } }),
                403, "M_FORBIDDEN", "masquerading outside the namespace");
            expectError(await raw("PUT", `/_matrix/client/v3/rooms/${enc(room)}/send/m.room.message/${uniqueName("t")}`,
                { token: env.AMTSBOTE_AS_TOKEN, query: { user_id: human.userId }, body: { msgtype: "m.text", body: "forged" } }),
                403, "M_FORBIDDEN", "sending as a user outside the namespace");
            expectError(await raw("POST", "/_matrix/client/v3/register", { token: env.AMTSBOTE_AS_TOKEN,
                body: { type: "m.login.application_service", username: uniqueName("outside") } }), 400, "M_EXCLUSIVE", "registering outside");
            expectError(await raw("POST", "/_matrix/client/v3/register", { token: "not-the-as-token",
                body: { type: "m.login.application_service", username: `${PREFIX}${uniqueName("x")}` } }), 401, "M_UNKNOWN_TOKEN", "wrong token");
            expectError(await raw("GET", "/_matrix/client/v3/account/whoami", { token: "not-the-as-token", query: { user_id: intent.userId } }),
                401, "M_UNKNOWN_TOKEN", "wrong token with user_id");
            // Ordinary users cannot take names from the exclusive namespace.
            expectError(await raw("POST", "/_amtsbote/admin/v1/users", { token: await adminToken(),
                body: { username: `${PREFIX}${uniqueName("taken")}`, password: "long-enough-password" } }), 400, "M_EXCLUSIVE", "admin creating a namespaced user");

            // Ping through the spec's endpoint.
            const ping = ok(await raw("POST", `/_matrix/client/v1/appservice/${enc(env.AMTSBOTE_AS_ID)}/ping`,
                { token: env.AMTSBOTE_AS_TOKEN, body: { transaction_id: "bb" } }), "ping");
            assert.equal(typeof ping.duration_ms, "number");
            assert.deepEqual(service.pings, [{ transaction_id: "bb" }]);
            expectError(await raw("POST", `/_matrix/client/v1/appservice/${enc(env.AMTSBOTE_AS_ID)}/ping`,
                { token: human.accessToken, body: {} }), 403, "M_FORBIDDEN", "ping with a user's token");

            // Down: the service stops listening; messages sent meanwhile arrive after it is back, in order, once.
            service.stop();
            const backlog = [];
            for (let i = 0; i < 5; i++) {
                backlog.push(`while down ${i}`);
                await say(human, room, `while down ${i}`);
            }
            await new Promise((r) => setTimeout(r, 2500));
            service = await startService();
            await waitFor(() => messages(service, room).length >= backlog.length, { what: "the backlog", timeoutMs: 60000 });
            await new Promise((r) => setTimeout(r, 500));
            assert.deepEqual(messages(service, room), backlog, "the backlog, in order, each once");
        } finally {
            service.stop();
        }
    });
