// Edits (m.replace), reactions (m.annotation), redactions.
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import {
    sdk, raw, ok, enc, createUser, syncedClient, stopAll, createRoom, joinAndWait, waitFor, rawTimelineEvents,
} from "../lib/harness.js";

let alice, bob, ac, bc, roomId;

before(async () => {
    alice = await createUser("rel_a");
    bob = await createUser("rel_b");
    ac = await syncedClient(alice);
    bc = await syncedClient(bob);
    roomId = await createRoom(ac, { invite: [bob.userId] });
    await joinAndWait(bc, roomId);
});
after(stopAll);

function rawRelationsPath(eventId, relType, eventType) {
    let p = `/_matrix/client/v1/rooms/${enc(roomId)}/relations/${enc(eventId)}`;
    if (relType) p += `/${enc(relType)}`;
    if (eventType) p += `/${enc(eventType)}`;
    return p;
}

function rawSeen(client, eventId) {
    return rawTimelineEvents(client, roomId).find((e) => e.event_id === eventId);
}

test("edit (m.replace) and reaction (m.annotation) are visible via /relations and in sync", { timeout: 60000 }, async () => {
    const { event_id: orig } = await ac.sendMessage(roomId, { msgtype: "m.text", body: "original text" });
    await waitFor(() => rawSeen(bc, orig), { what: "bob to receive the original", client: bc });

    const { event_id: edit } = await ac.sendEvent(roomId, "m.room.message", {
        msgtype: "m.text",
        body: "* edited text",
        "m.new_content": { msgtype: "m.text", body: "edited text" },
        "m.relates_to": { rel_type: "m.replace", event_id: orig },
    });
    const { event_id: reaction } = await bc.sendEvent(roomId, "m.reaction", {
        "m.relates_to": { rel_type: "m.annotation", event_id: orig, key: "👍" },
    });

    // sync: both relation events arrive at the other side, with m.relates_to intact
    const editAtBob = await waitFor(() => rawSeen(bc, edit), { what: "bob to receive the edit via sync", client: bc });
    assert.deepEqual(editAtBob.content["m.relates_to"], { rel_type: "m.replace", event_id: orig });
    assert.equal(editAtBob.content["m.new_content"].body, "edited text");
    const reactAtAlice = await waitFor(() => rawSeen(ac, reaction), { what: "alice to receive the reaction via sync", client: ac });
    assert.equal(reactAtAlice.type, "m.reaction");
    assert.deepEqual(reactAtAlice.content["m.relates_to"], { rel_type: "m.annotation", event_id: orig, key: "👍" });

    // the SDK applies the edit for bob
    await waitFor(() => bc.getRoom(roomId)?.findEventById(orig)?.getContent()?.body === "edited text", {
        what: "bob's SDK to show the edited body", client: bc,
    });

    // /relations: all
    const all = ok(await raw("GET", rawRelationsPath(orig), { token: bc.getAccessToken() }), "GET /relations");
    const allIds = all.chunk.map((e) => e.event_id).sort();
    assert.deepEqual(allIds, [edit, reaction].sort(), "/relations should list exactly the edit and the reaction");

    // /relations filtered by rel_type
    const ann = ok(await raw("GET", rawRelationsPath(orig, "m.annotation"), { token: bc.getAccessToken() }), "GET /relations/m.annotation");
    assert.deepEqual(ann.chunk.map((e) => e.event_id), [reaction]);
    const rep = ok(await raw("GET", rawRelationsPath(orig, "m.replace", "m.room.message"), { token: ac.getAccessToken() }), "GET /relations/m.replace/m.room.message");
    assert.deepEqual(rep.chunk.map((e) => e.event_id), [edit]);
    const none = ok(await raw("GET", rawRelationsPath(orig, "m.annotation", "m.room.message"), { token: ac.getAccessToken() }), "GET /relations/m.annotation/m.room.message");
    assert.deepEqual(none.chunk, [], "no m.room.message annotations expected");

    // the SDK's helper agrees
    const viaSdk = await bc.relations(roomId, orig, sdk.RelationType.Annotation, "m.reaction");
    assert.deepEqual(viaSdk.events.map((e) => e.getId()), [reaction]);
});

test("several reactions and /relations pagination", { timeout: 60000 }, async () => {
    const { event_id: orig } = await ac.sendMessage(roomId, { msgtype: "m.text", body: "react to me" });
    const keys = ["a", "b", "c", "d", "e"];
    const ids = [];
    for (const key of keys) {
        const r = await bc.sendEvent(roomId, "m.reaction", { "m.relates_to": { rel_type: "m.annotation", event_id: orig, key } });
        ids.push(r.event_id);
    }
    const seen = [];
    let from;
    for (let page = 0; page < 10; page++) {
        const body = ok(await raw("GET", rawRelationsPath(orig, "m.annotation"), {
            token: ac.getAccessToken(), query: { limit: 2, from, dir: "f" },
        }), "GET /relations page");
        assert.ok(body.chunk.length <= 2, `limit=2 gave ${body.chunk.length}`);
        seen.push(...body.chunk.map((e) => e.event_id));
        if (!body.next_batch) break;
        from = body.next_batch;
    }
    assert.deepEqual(seen, ids, "paging /relations with dir=f should return all reactions in order");
});

test("redaction removes the content for everyone", { timeout: 60000 }, async () => {
    const { event_id: orig } = await ac.sendMessage(roomId, { msgtype: "m.text", body: "secret to be removed", extra: "x" });
    await waitFor(() => rawSeen(bc, orig), { what: "bob to receive the message", client: bc });
    const { event_id: redaction } = await ac.redactEvent(roomId, orig, undefined, { reason: "oops" });

    const redAtBob = await waitFor(() => rawSeen(bc, redaction), { what: "bob to receive the redaction via sync", client: bc });
    assert.equal(redAtBob.type, "m.room.redaction");
    assert.equal(redAtBob.content?.redacts ?? redAtBob.redacts, orig, "redaction event names the redacted event");

    await waitFor(() => bc.getRoom(roomId)?.findEventById(orig)?.isRedacted(), {
        what: "bob's SDK to mark the event redacted", client: bc,
    });
    for (const [who, c] of [["alice", ac], ["bob", bc]]) {
        const ev = ok(await raw("GET", `/_matrix/client/v3/rooms/${enc(roomId)}/event/${enc(orig)}`, { token: c.getAccessToken() }), `${who}: GET event`);
        assert.deepEqual(ev.content, {}, `${who}: redacted event still has content ${JSON.stringify(ev.content)}`);
        assert.equal(ev.unsigned?.redacted_because?.event_id, redaction, `${who}: unsigned.redacted_because`);
    }
    // and in /messages
    const msgs = ok(await raw("GET", `/_matrix/client/v3/rooms/${enc(roomId)}/messages`, {
        token: bc.getAccessToken(), query: { dir: "b", limit: 20 },
    }), "GET /messages");
    const inMsgs = msgs.chunk.find((e) => e.event_id === orig);
    assert.ok(inMsgs, "redacted event missing from /messages");
    assert.deepEqual(inMsgs.content, {}, "redacted event in /messages still has content");
    // a fresh sync does not show the old body anywhere
    const fresh = ok(await raw("GET", "/_matrix/client/v3/sync", { token: bc.getAccessToken(), query: { timeout: 0 } }), "fresh sync");
    assert.ok(!JSON.stringify(fresh).includes("secret to be removed"), "the redacted text still appears in an initial sync");
});

test("redacting someone else's message without power has no effect (403, or accepted but not applied)", { timeout: 30000 }, async () => {
    const { event_id: orig } = await ac.sendMessage(roomId, { msgtype: "m.text", body: "bob cannot remove this" });
    const res = await raw("PUT", `/_matrix/client/v3/rooms/${enc(roomId)}/redact/${enc(orig)}/t${Date.now()}`, {
        token: bc.getAccessToken(), body: {},
    });
    if (res.status === 403) {
        assert.equal(res.json?.errcode, "M_FORBIDDEN");
    } else {
        // The auth rules let a same-server redaction event in; the server must not apply it.
        assert.equal(res.status, 200, `expected 403 or 200, got ${res.status} ${res.text}`);
    }
    const ev = ok(await raw("GET", `/_matrix/client/v3/rooms/${enc(roomId)}/event/${enc(orig)}`, { token: ac.getAccessToken() }), "GET event");
    assert.equal(ev.content?.body, "bob cannot remove this", "an unauthorised redaction removed the content");
});
