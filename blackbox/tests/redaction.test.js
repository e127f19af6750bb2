// Redactions: a member redacts their own message; a power-level-0 member cannot redact someone else's,
// neither through /redact nor through PUT /send/m.room.redaction (issue 6 security finding).
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import {
    raw, ok, enc, expectError, createUser, syncedClient, stopAll, createRoom, joinAndWait, waitFor, rawTimelineEvents,
} from "../lib/harness.js";

let alice, bob, ac, bc, roomId;

before(async () => {
    alice = await createUser("red_a");
    bob = await createUser("red_b");
    ac = await syncedClient(alice);
    bc = await syncedClient(bob);
    // alice creates the room (power 100 / creator); bob joins with the default power level 0.
    roomId = await createRoom(ac, { invite: [bob.userId] });
    await joinAndWait(bc, roomId);
});
after(stopAll);

function rawSeen(client, eventId) {
    return rawTimelineEvents(client, roomId).find((e) => e.event_id === eventId);
}

async function getEvent(client, eventId) {
    return ok(await raw("GET", `/_matrix/client/v3/rooms/${enc(roomId)}/event/${enc(eventId)}`, {
        token: client.getAccessToken(),
    }), "GET event");
}

test("a member redacts their own message and sees the redaction in /sync", { timeout: 60000 }, async () => {
    const { event_id: mine } = await bc.sendMessage(roomId, { msgtype: "m.text", body: "bob takes this back" });
    await waitFor(() => rawSeen(ac, mine), { what: "alice to receive bob's message", client: ac });

    const { event_id: redaction } = await bc.redactEvent(roomId, mine, undefined, { reason: "typo" });

    // The sender's own /sync carries the redaction, and the SDK marks the event redacted.
    const atBob = await waitFor(() => rawSeen(bc, redaction), { what: "bob to see his redaction via sync", client: bc });
    assert.equal(atBob.type, "m.room.redaction");
    assert.equal(atBob.content?.redacts ?? atBob.redacts, mine, "the redaction names the redacted event");
    await waitFor(() => bc.getRoom(roomId)?.findEventById(mine)?.isRedacted(), {
        what: "bob's SDK to mark his message redacted", client: bc,
    });
    // The other member too.
    await waitFor(() => rawSeen(ac, redaction), { what: "alice to see the redaction via sync", client: ac });
    const ev = await getEvent(ac, mine);
    assert.deepEqual(ev.content, {}, `redacted event still has content ${JSON.stringify(ev.content)}`);
    assert.equal(ev.unsigned?.redacted_because?.event_id, redaction);
});

test("a power level 0 member cannot redact another's message via /redact", { timeout: 30000 }, async () => {
    const { event_id: orig } = await ac.sendMessage(roomId, { msgtype: "m.text", body: "alice keeps this (redact)" });
    const res = await raw("PUT", `/_matrix/client/v3/rooms/${enc(roomId)}/redact/${enc(orig)}/r${Date.now()}`, {
        token: bc.getAccessToken(), body: {},
    });
    expectError(res, 403, "M_FORBIDDEN", "PL0 /redact of another's message");
    const ev = await getEvent(ac, orig);
    assert.equal(ev.content?.body, "alice keeps this (redact)", "an unauthorised redaction removed the content");
});

test("a power level 0 member cannot redact another's message via PUT /send/m.room.redaction", { timeout: 30000 }, async () => {
    const { event_id: orig } = await ac.sendMessage(roomId, { msgtype: "m.text", body: "alice keeps this (send)" });
    const res = await raw("PUT", `/_matrix/client/v3/rooms/${enc(roomId)}/send/m.room.redaction/s${Date.now()}`, {
        token: bc.getAccessToken(), body: { redacts: orig },
    });
    expectError(res, 403, "M_FORBIDDEN", "PL0 send of m.room.redaction against another's message");
    const ev = await getEvent(bc, orig);
    assert.equal(ev.content?.body, "alice keeps this (send)", "an unauthorised redaction removed the content");
    assert.equal(ev.unsigned?.redacted_because, undefined, "the message is marked redacted");
    // The SDK's own redactEvent (which uses /redact) is refused as well.
    await assert.rejects(bc.redactEvent(roomId, orig), (e) => e.httpStatus === 403 || e.errcode === "M_FORBIDDEN");
});
