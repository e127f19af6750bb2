// Bad inputs and access control, via raw fetch.
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { raw, ok, expectError, enc, createUser, loginRaw, stopAll } from "../lib/harness.js";

const V3 = "/_matrix/client/v3";
let alice, bob, aTok, bTok, roomIdPromise;

before(async () => {
    alice = await createUser("err_a");
    bob = await createUser("err_b");
    aTok = (await loginRaw(alice)).accessToken;
    bTok = (await loginRaw(bob)).accessToken;
});

/** Alice's private room, created on first use (so tests that need no room do not depend on createRoom). */
function aliceRoom() {
    roomIdPromise ??= raw("POST", `${V3}/createRoom`, { token: aTok, body: { preset: "private_chat" } })
        .then((res) => ok(res, "createRoom").room_id);
    return roomIdPromise;
}
after(stopAll);

test("malformed JSON → 400 M_NOT_JSON", { timeout: 15000 }, async () => {
    for (const [method, path] of [
        ["POST", `${V3}/createRoom`],
        ["PUT", `${V3}/profile/${enc(alice.userId)}/displayname`],
    ]) {
        const res = await raw(method, path, {
            token: aTok, rawBody: '{"name": "unterminated', headers: { "Content-Type": "application/json" },
        });
        expectError(res, 400, "M_NOT_JSON", `${method} ${path} with malformed JSON`);
    }
    const login = await raw("POST", `${V3}/login`, { rawBody: "not json at all", headers: { "Content-Type": "application/json" } });
    expectError(login, 400, "M_NOT_JSON", "POST /login with malformed JSON");
});

test("malformed JSON when sending an event → 400 M_NOT_JSON", { timeout: 15000 }, async () => {
    const roomId = await aliceRoom();
    const path = `${V3}/rooms/${enc(roomId)}/send/m.room.message/nj${Date.now()}`;
    const res = await raw("PUT", path, { token: aTok, rawBody: "{{{", headers: { "Content-Type": "application/json" } });
    expectError(res, 400, "M_NOT_JSON", "send with malformed JSON");
});

test("wrong types → 400 M_BAD_JSON", { timeout: 15000 }, async () => {
    expectError(
        await raw("POST", `${V3}/createRoom`, { token: aTok, body: { invite: "@not-a-list:example.org" } }),
        400, "M_BAD_JSON", "createRoom with invite as a string",
    );
    expectError(
        await raw("POST", `${V3}/createRoom`, { token: aTok, body: { name: 12345 } }),
        400, "M_BAD_JSON", "createRoom with a numeric name",
    );
    expectError(
        await raw("PUT", `${V3}/profile/${enc(alice.userId)}/displayname`, { token: aTok, body: { displayname: 42 } }),
        400, "M_BAD_JSON", "displayname as a number",
    );
    expectError(
        await raw("POST", `${V3}/login`, { body: { type: "m.login.password", identifier: { type: "m.id.user", user: 7 }, password: "x" } }),
        400, "M_BAD_JSON", "login with a numeric user",
    );
});

test("wrong types in a room request → 400 M_BAD_JSON", { timeout: 15000 }, async () => {
    const roomId = await aliceRoom();
    expectError(
        await raw("POST", `${V3}/rooms/${enc(roomId)}/invite`, { token: aTok, body: { user_id: ["@x:y"] } }),
        400, "M_BAD_JSON", "invite with user_id as a list",
    );
});

test("missing token → 401 M_MISSING_TOKEN", { timeout: 15000 }, async () => {
    expectError(await raw("GET", `${V3}/account/whoami`), 401, "M_MISSING_TOKEN", "whoami without token");
    expectError(await raw("GET", `${V3}/sync`), 401, "M_MISSING_TOKEN", "sync without token");
    expectError(
        await raw("PUT", `${V3}/rooms/${enc("!nowhere:" + alice.userId.split(":")[1])}/send/m.room.message/mt${Date.now()}`, {
            body: { msgtype: "m.text", body: "x" },
        }),
        401, "M_MISSING_TOKEN", "send without token",
    );
});

test("unknown token → 401 M_UNKNOWN_TOKEN (header and query parameter)", { timeout: 15000 }, async () => {
    expectError(await raw("GET", `${V3}/account/whoami`, { token: "syt_this_is_not_a_token" }), 401, "M_UNKNOWN_TOKEN", "whoami with bogus header token");
    expectError(
        await raw("GET", `${V3}/account/whoami`, { query: { access_token: "syt_also_not_a_token" } }),
        401, "M_UNKNOWN_TOKEN", "whoami with bogus access_token query parameter",
    );
});

test("unknown endpoint → 404 M_UNRECOGNIZED; wrong method → 405 M_UNRECOGNIZED", { timeout: 15000 }, async () => {
    expectError(await raw("GET", `${V3}/this/endpoint/does/not/exist`, { token: aTok }), 404, "M_UNRECOGNIZED", "unknown endpoint");
    expectError(await raw("GET", "/_matrix/client/v3/nonsense"), 404, "M_UNRECOGNIZED", "unknown endpoint without token");
    expectError(await raw("DELETE", `${V3}/account/whoami`, { token: aTok }), 405, "M_UNRECOGNIZED", "DELETE on whoami");
});

test("sending to a room you are not in → 403 M_FORBIDDEN", { timeout: 15000 }, async () => {
    const roomId = await aliceRoom();
    expectError(
        await raw("PUT", `${V3}/rooms/${enc(roomId)}/send/m.room.message/nm${Date.now()}`, {
            token: bTok, body: { msgtype: "m.text", body: "let me in" },
        }),
        403, "M_FORBIDDEN", "bob sending into alice's room",
    );
    expectError(
        await raw("PUT", `${V3}/rooms/${enc(roomId)}/state/m.room.name`, { token: bTok, body: { name: "pwned" } }),
        403, "M_FORBIDDEN", "bob setting state in alice's room",
    );
});

test("a non-member cannot read /messages, /state or /event (403)", { timeout: 15000 }, async () => {
    const roomId = await aliceRoom();
    const { event_id } = ok(await raw("PUT", `${V3}/rooms/${enc(roomId)}/send/m.room.message/priv${Date.now()}`, {
        token: aTok, body: { msgtype: "m.text", body: "members only" },
    }));
    expectError(await raw("GET", `${V3}/rooms/${enc(roomId)}/messages`, { token: bTok, query: { dir: "b" } }), 403, "M_FORBIDDEN", "non-member /messages");
    expectError(await raw("GET", `${V3}/rooms/${enc(roomId)}/state`, { token: bTok }), 403, "M_FORBIDDEN", "non-member /state");
    const ev = await raw("GET", `${V3}/rooms/${enc(roomId)}/event/${enc(event_id)}`, { token: bTok });
    assert.ok([403, 404].includes(ev.status), `non-member /event → ${ev.status} ${ev.text}`);
    assert.ok(!ev.text.includes("members only"), "non-member got the event content");
});

test("joining a private room without invite → 403 M_FORBIDDEN", { timeout: 15000 }, async () => {
    const roomId = await aliceRoom();
    expectError(await raw("POST", `${V3}/join/${enc(roomId)}`, { token: bTok, body: {} }), 403, "M_FORBIDDEN", "uninvited join");
});

test("same txnId twice returns the same event_id and /messages has the event once", { timeout: 30000 }, async () => {
    const roomId = await aliceRoom();
    const txn = `dup${Date.now()}`;
    const path = `${V3}/rooms/${enc(roomId)}/send/m.room.message/${txn}`;
    const content = { msgtype: "m.text", body: `idempotent ${txn}` };
    const first = ok(await raw("PUT", path, { token: aTok, body: content }), "first send");
    const second = ok(await raw("PUT", path, { token: aTok, body: content }), "second send with same txnId");
    assert.equal(second.event_id, first.event_id, "retried send returned a different event_id");
    // concurrent retries too
    const txn2 = `dupc${Date.now()}`;
    const path2 = `${V3}/rooms/${enc(roomId)}/send/m.room.message/${txn2}`;
    const results = await Promise.all([1, 2, 3].map(() => raw("PUT", path2, { token: aTok, body: { ...content, body: txn2 } })));
    const ids = results.map((r) => ok(r, "concurrent send").event_id);
    assert.equal(new Set(ids).size, 1, `concurrent sends with one txnId gave ${JSON.stringify(ids)}`);

    const msgs = ok(await raw("GET", `${V3}/rooms/${enc(roomId)}/messages`, { token: aTok, query: { dir: "b", limit: 50 } }), "/messages");
    const hits = msgs.chunk.filter((e) => e.content?.body === content.body);
    assert.equal(hits.length, 1, `expected the event once in /messages, found ${hits.length}`);
    assert.equal(hits[0].event_id, first.event_id);
    assert.equal(msgs.chunk.filter((e) => e.content?.body === txn2).length, 1, "concurrent retries created several events");
    // transaction ids are per device: the same txnId from another login is a new event
    const other = await loginRaw(alice);
    const third = ok(await raw("PUT", path, { token: other.accessToken, body: content }), "same txnId from another device");
    assert.notEqual(third.event_id, first.event_id, "txnId was shared across devices");
});

test("errors are JSON with Content-Type application/json", { timeout: 15000 }, async () => {
    const res = await raw("GET", `${V3}/account/whoami`);
    assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
});

test("CORS preflight is answered", { timeout: 15000 }, async () => {
    const res = await raw("OPTIONS", `${V3}/account/whoami`, {
        headers: { Origin: "https://client.example", "Access-Control-Request-Method": "GET" },
    });
    assert.ok(res.status === 200 || res.status === 204, `OPTIONS → ${res.status}`);
    assert.equal(res.headers.get("access-control-allow-origin"), "*");
});
