// Ordered delivery of 200 messages and paging back history after a fresh login.
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import {
    sdk, raw, ok, enc, createUser, loginClient, syncedClient, startSyncing, stopAll, stopClient, createRoom,
    joinAndWait, waitFor, rawTimelineEvents, uniqueName,
} from "../lib/harness.js";

const N = 200;
let alice, bob, ac, bc, roomId;
const marker = uniqueName("run");
const sentIds = []; // event ids in send order

after(stopAll);

function summarize(list) {
    return list.length <= 12 ? JSON.stringify(list) : `${JSON.stringify(list.slice(0, 6))} … ${JSON.stringify(list.slice(-6))}`;
}

/** Checks that `seq` (array of message indices) is exactly 0..N-1. Returns a readable problem or null. */
function sequenceProblem(seq) {
    const seen = new Map();
    const dups = [];
    for (const i of seq) {
        if (seen.has(i)) dups.push(i);
        seen.set(i, true);
    }
    const missing = [];
    for (let i = 0; i < N; i++) if (!seen.has(i)) missing.push(i);
    const outOfOrder = [];
    for (let k = 1; k < seq.length; k++) if (seq[k] <= seq[k - 1]) outOfOrder.push(`${seq[k - 1]}→${seq[k]}`);
    if (!dups.length && !missing.length && !outOfOrder.length) return null;
    return `duplicates: ${summarize(dups)}; missing: ${summarize(missing)}; out of order: ${summarize(outOfOrder)}`;
}

before(async () => {
    alice = await createUser("ord_a");
    bob = await createUser("ord_b");
    ac = await syncedClient(alice);
    // a generous timeline limit, so that a lagging /sync never needs to be "limited"
    const filter = new sdk.Filter(bob.userId);
    filter.setDefinition({ room: { timeline: { limit: 500 } } });
    bc = await loginClient(bob);
    await startSyncing(bc, { filter });
    roomId = await createRoom(ac, { invite: [bob.userId], name: "ordering" });
    await joinAndWait(bc, roomId);
});

test(`${N} messages from alice arrive at bob in order, without duplicates`, { timeout: 120000 }, async () => {
    const received = [];
    bc.on(sdk.RoomEvent.Timeline, (ev, room, toStart, removed, data) => {
        if (room?.roomId !== roomId || toStart || !data?.liveEvent) return;
        const c = ev.getContent();
        if (ev.getType() === "m.room.message" && c.marker === marker) received.push(c.seq);
    });
    const rawStart = bc.syncLog.length;

    for (let i = 0; i < N; i++) {
        const res = await ac.sendMessage(roomId, { msgtype: "m.text", body: `message ${i}`, seq: i, marker });
        assert.match(res.event_id, /^\$/, `send ${i} returned no event_id`);
        sentIds.push(res.event_id);
    }
    assert.equal(new Set(sentIds).size, N, "server returned duplicate event ids for distinct sends");

    await waitFor(() => received.length >= N, {
        timeoutMs: 30000, what: `bob to receive ${N} messages (got ${received.length})`, client: bc,
    });
    await new Promise((r) => setTimeout(r, 500)); // catch late duplicates
    const problem = sequenceProblem(received);
    assert.equal(problem, null, `bob's client timeline: ${problem}`);

    // the SDK de-duplicates by event id, so check the raw /sync answers as well
    const rawSeqs = [];
    const rawIds = [];
    for (const s of bc.syncLog.slice(rawStart)) {
        const r = s?.rooms?.join?.[roomId];
        assert.ok(!r?.timeline?.limited, "a /sync answer was limited although the filter asked for 500 events");
        for (const ev of r?.timeline?.events ?? []) {
            if (ev.type === "m.room.message" && ev.content?.marker === marker) {
                rawSeqs.push(ev.content.seq);
                rawIds.push(ev.event_id);
            }
        }
    }
    const rawProblem = sequenceProblem(rawSeqs);
    assert.equal(rawProblem, null, `bob's raw /sync answers: ${rawProblem}`);
    assert.deepEqual(rawIds, sentIds, "event ids in /sync differ from those returned by send");
});

test("paging back after a fresh login returns all messages in order (scrollback)", { timeout: 120000 }, async () => {
    assert.equal(sentIds.length, N, "previous test did not send all messages");
    const fresh = await loginClient(bob);
    await startSyncing(fresh, { initialSyncLimit: 10 });
    const room = fresh.getRoom(roomId);
    assert.ok(room, "room missing after fresh login");
    const ourIds = () => room.getLiveTimeline().getEvents()
        .filter((e) => e.getType() === "m.room.message" && e.getContent().marker === marker)
        .map((e) => e.getId());
    let rounds = 0;
    while (!room.getLiveTimeline().getEvents().some((e) => e.getType() === "m.room.create")) {
        rounds += 1;
        assert.ok(rounds <= 60, `scrollback did not reach m.room.create after 60 rounds (have ${ourIds().length} of ${N})`);
        const before = room.getLiveTimeline().getEvents().length;
        await fresh.scrollback(room, 30);
        if (room.getLiveTimeline().getEvents().length === before && !room.oldState.paginationToken) break;
    }
    const ids = ourIds();
    assert.equal(ids.length, N, `scrollback found ${ids.length} of ${N} messages`);
    assert.deepEqual(ids, sentIds, "scrollback order differs from send order");
    stopClient(fresh);
});

test("paging back with createMessagesRequest (dir=b) returns all messages, newest first, then forward (dir=f)", { timeout: 120000 }, async () => {
    assert.equal(sentIds.length, N, "previous test did not send all messages");
    const fresh = await loginClient(bob);
    const back = [];
    let from = null;
    let pages = 0;
    for (;;) {
        const res = await fresh.createMessagesRequest(roomId, from, 25, sdk.Direction.Backward);
        pages += 1;
        assert.ok(pages <= 50, "more than 50 pages of 25 for ~210 events");
        assert.ok(Array.isArray(res.chunk), "/messages answer lacks chunk");
        assert.ok(res.chunk.length <= 25, `/messages returned ${res.chunk.length} events with limit=25`);
        for (const ev of res.chunk) if (ev.type === "m.room.message" && ev.content?.marker === marker) back.push(ev.event_id);
        if (!res.end || res.chunk.length === 0) break;
        assert.notEqual(res.end, from, "/messages returned the same end token again");
        from = res.end;
    }
    assert.deepEqual(back, [...sentIds].reverse(), "backward pagination is not exactly newest→oldest");

    // forward from the very start
    const fwd = [];
    from = null;
    pages = 0;
    for (;;) {
        const res = await fresh.createMessagesRequest(roomId, from, 50, sdk.Direction.Forward);
        pages += 1;
        assert.ok(pages <= 30, "too many forward pages");
        for (const ev of res.chunk) if (ev.type === "m.room.message" && ev.content?.marker === marker) fwd.push(ev.event_id);
        if (!res.end || res.chunk.length === 0) break;
        from = res.end;
    }
    assert.deepEqual(fwd, sentIds, "forward pagination is not exactly oldest→newest");
});

test("GET /rooms/{id}/event/{eventId} and /context return the message", { timeout: 30000 }, async () => {
    const id = sentIds[100];
    const token = bc.getAccessToken();
    const ev = ok(await raw("GET", `/_matrix/client/v3/rooms/${enc(roomId)}/event/${enc(id)}`, { token }), "GET event");
    assert.equal(ev.event_id, id);
    assert.equal(ev.content.seq, 100);
    assert.equal(ev.sender, alice.userId);
    assert.equal(typeof ev.origin_server_ts, "number");
    const ctx = ok(await raw("GET", `/_matrix/client/v3/rooms/${enc(roomId)}/context/${enc(id)}`, { token, query: { limit: 4 } }), "GET context");
    assert.equal(ctx.event.event_id, id);
    const before = ctx.events_before.map((e) => e.event_id);
    const afterIds = ctx.events_after.map((e) => e.event_id);
    assert.ok(before.length + afterIds.length <= 4, `context limit=4 returned ${before.length}+${afterIds.length} events`);
    assert.ok(before.length + afterIds.length >= 1, "context returned no surrounding events");
    // events_before is newest-first, events_after oldest-first
    assert.deepEqual(before, [sentIds[99], sentIds[98], sentIds[97], sentIds[96]].slice(0, before.length), "events_before");
    assert.deepEqual(afterIds, [sentIds[101], sentIds[102], sentIds[103], sentIds[104]].slice(0, afterIds.length), "events_after");
});
