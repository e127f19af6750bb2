// Typing notifications and read receipts.
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import {
    sdk, raw, ok, enc, createUser, syncedClient, stopAll, createRoom, joinAndWait, waitFor, rawEphemeralEvents,
} from "../lib/harness.js";

let alice, bob, ac, bc, roomId;

before(async () => {
    alice = await createUser("eph_a");
    bob = await createUser("eph_b");
    ac = await syncedClient(alice);
    bc = await syncedClient(bob);
    roomId = await createRoom(ac, { invite: [bob.userId] });
    await joinAndWait(bc, roomId);
});
after(stopAll);

function typingSets(client) {
    return rawEphemeralEvents(client, roomId).filter((e) => e.type === "m.typing").map((e) => e.content?.user_ids ?? []);
}

test("typing notification is seen by the other member, and its end too", { timeout: 60000 }, async () => {
    const start = bc.syncLog.length;
    await ac.sendTyping(roomId, true, 20000);
    await waitFor(() => bc.getRoom(roomId)?.getMember(alice.userId)?.typing === true, {
        what: "bob to see alice typing", client: bc,
    });
    const sets = typingSets({ syncLog: bc.syncLog.slice(start) });
    assert.ok(sets.some((ids) => ids.includes(alice.userId)), "no m.typing event with alice in the raw /sync");

    await ac.sendTyping(roomId, false, 0);
    await waitFor(() => bc.getRoom(roomId)?.getMember(alice.userId)?.typing === false, {
        what: "bob to see alice stop typing", client: bc,
    });
    const last = typingSets({ syncLog: bc.syncLog.slice(start) }).at(-1);
    assert.deepEqual(last, [], "last m.typing event should have an empty user_ids list");
});

test("typing times out by itself", { timeout: 60000 }, async () => {
    await ac.sendTyping(roomId, true, 1500);
    await waitFor(() => bc.getRoom(roomId)?.getMember(alice.userId)?.typing === true, {
        what: "bob to see alice typing", client: bc,
    });
    await waitFor(() => bc.getRoom(roomId)?.getMember(alice.userId)?.typing === false, {
        timeoutMs: 15000, what: "alice's typing (timeout 1.5 s) to expire at bob", client: bc,
    });
});

test("read receipt is seen by the other member", { timeout: 60000 }, async () => {
    const { event_id: eventId } = await ac.sendMessage(roomId, { msgtype: "m.text", body: "please read me" });
    const ev = await waitFor(() => bc.getRoom(roomId)?.findEventById(eventId), {
        what: "bob to receive the message", client: bc,
    });
    const start = ac.syncLog.length;
    await bc.sendReadReceipt(ev, sdk.ReceiptType.Read);

    await waitFor(() => ac.getRoom(roomId)?.getEventReadUpTo(bob.userId) === eventId, {
        what: "alice to see bob's read receipt for the message", client: ac,
    });
    const receipts = rawEphemeralEvents({ syncLog: ac.syncLog.slice(start) }, roomId).filter((e) => e.type === "m.receipt");
    const hit = receipts.find((e) => e.content?.[eventId]?.["m.read"]?.[bob.userId]);
    assert.ok(hit, `no m.receipt for ${eventId} by bob in alice's raw /sync: ${JSON.stringify(receipts)}`);
    assert.equal(typeof hit.content[eventId]["m.read"][bob.userId].ts, "number", "receipt lacks ts");
});

test("private read receipt (m.read.private) is not shown to others", { timeout: 60000 }, async () => {
    const { event_id: e1 } = await ac.sendMessage(roomId, { msgtype: "m.text", body: "private one" });
    const { event_id: e2 } = await ac.sendMessage(roomId, { msgtype: "m.text", body: "public one" });
    const start = ac.syncLog.length;
    ok(await raw("POST", `/_matrix/client/v3/rooms/${enc(roomId)}/receipt/m.read.private/${enc(e1)}`, {
        token: bc.getAccessToken(), body: {},
    }), "private receipt");
    ok(await raw("POST", `/_matrix/client/v3/rooms/${enc(roomId)}/receipt/m.read/${enc(e2)}`, {
        token: bc.getAccessToken(), body: {},
    }), "public receipt");
    await waitFor(() => ac.getRoom(roomId)?.getEventReadUpTo(bob.userId) === e2, {
        what: "alice to see bob's public receipt", client: ac,
    });
    const leaked = rawEphemeralEvents({ syncLog: ac.syncLog.slice(start) }, roomId)
        .filter((e) => e.type === "m.receipt")
        .filter((e) => Object.values(e.content ?? {}).some((r) => r["m.read.private"]));
    assert.deepEqual(leaked, [], "alice received bob's m.read.private receipt");
});
