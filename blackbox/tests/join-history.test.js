// A user who joins after messages were sent sees the earlier visible history: the /sync answer with the
// join carries the room's state, a limited timeline with prev_batch, and paging back works; history
// visibility "joined" hides what came before the join.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import {
    raw, ok, enc, createUser, syncedClient, stopAll, createRoom, joinAndWait, waitFor, uniqueName,
} from "../lib/harness.js";

after(stopAll);

const bodiesOf = (client, roomId, marker) => client.getRoom(roomId).getLiveTimeline().getEvents()
    .filter((e) => e.getType() === "m.room.message" && e.getContent().marker === marker)
    .map((e) => e.getContent().seq);

/** The raw /sync answer in which the client saw its own join to the room. */
function joinAnswer(client, roomId) {
    for (const s of client.syncLog) {
        const r = s?.rooms?.join?.[roomId];
        if (r?.timeline?.events?.some((e) => e.type === "m.room.member" && e.state_key === client.getUserId()
            && e.content?.membership === "join")) return r;
    }
    return undefined;
}

for (const [label, opts] of [["", {}], [" (lazy-loaded members, as Element syncs)", { lazyLoadMembers: true }]]) {
test(`after joining, bob sees earlier shared history and can page back to the room's start${label}`, { timeout: 120000 }, async () => {
    const N = 60;
    const marker = uniqueName("hist");
    const alice = await createUser("jh_a");
    const bob = await createUser("jh_b");
    const ac = await syncedClient(alice);
    const bc = await syncedClient(bob, { initialSyncLimit: 20, ...opts });
    const roomId = await createRoom(ac, { invite: [bob.userId], name: "join-history" });
    for (let i = 0; i < N; i++) {
        await ac.sendMessage(roomId, { msgtype: "m.text", body: `before ${i}`, seq: i, marker });
    }
    // Bob's sync token moves past alice's messages before he joins (he is only invited, so they do not wake
    // him): the join's /sync window then holds nothing but the join, and the history comes from before it.
    await bc.setAccountData("org.amtsbote.test.marker", { marker });
    await waitFor(() => bc.getAccountData("org.amtsbote.test.marker")?.getContent()?.marker === marker,
        { what: "bob's sync to pass alice's messages", client: bc });
    await joinAndWait(bc, roomId);
    const answer = await waitFor(() => joinAnswer(bc, roomId), { what: "bob's join in a /sync answer", client: bc });
    assert.equal(answer.timeline.limited, true, "60 earlier messages do not fit a timeline of 20: limited");
    assert.equal(typeof answer.timeline.prev_batch, "string", "prev_batch for paging back");
    const stateTypes = new Set((answer.state?.events ?? []).map((e) => e.type));
    for (const t of ["m.room.create", "m.room.power_levels", "m.room.join_rules", "m.room.name"]) {
        assert.ok(stateTypes.has(t), `state of the newly joined room lacks ${t} (has ${[...stateTypes]})`);
    }
    const room = bc.getRoom(roomId);
    assert.equal(room.name, "join-history");
    const seen = bodiesOf(bc, roomId, marker);
    assert.ok(seen.length > 0, "the timeline after the join shows the latest earlier messages");
    assert.equal(seen[seen.length - 1], N - 1, "the newest earlier message is there");

    // Scrollback reaches every earlier message, in order, and then the room's creation.
    let rounds = 0;
    while (!room.getLiveTimeline().getEvents().some((e) => e.getType() === "m.room.create")) {
        rounds++;
        assert.ok(rounds <= 20, `scrollback did not reach m.room.create (have ${bodiesOf(bc, roomId, marker).length} of ${N})`);
        const before = room.getLiveTimeline().getEvents().length;
        await bc.scrollback(room, 30);
        if (room.getLiveTimeline().getEvents().length === before && !room.oldState.paginationToken) break;
    }
    assert.deepEqual(bodiesOf(bc, roomId, marker), [...Array(N).keys()], "all earlier messages, in order");
    assert.ok(room.getMember(alice.userId), "the sender's member event is known");
});
}

test("history visibility 'joined': bob sees nothing from before his join", { timeout: 120000 }, async () => {
    const marker = uniqueName("hidden");
    const alice = await createUser("jh_c");
    const bob = await createUser("jh_d");
    const ac = await syncedClient(alice);
    const bc = await syncedClient(bob);
    const roomId = await createRoom(ac, {
        invite: [bob.userId], name: "joined-only",
        initial_state: [{ type: "m.room.history_visibility", state_key: "", content: { history_visibility: "joined" } }],
    });
    for (let i = 0; i < 5; i++) await ac.sendMessage(roomId, { msgtype: "m.text", body: `secret ${i}`, seq: i, marker });
    await joinAndWait(bc, roomId);
    await ac.sendMessage(roomId, { msgtype: "m.text", body: "after the join", seq: 100, marker });
    await waitFor(() => bodiesOf(bc, roomId, marker).includes(100), { what: "the message after the join", client: bc });

    const room = bc.getRoom(roomId);
    for (let i = 0; i < 5 && room.oldState.paginationToken; i++) await bc.scrollback(room, 30);
    assert.deepEqual(bodiesOf(bc, roomId, marker), [100], "only the message sent after the join");

    // Raw /messages from the end agrees.
    const { accessToken } = { accessToken: bc.getAccessToken() };
    const res = ok(await raw("GET", `/_matrix/client/v3/rooms/${enc(roomId)}/messages?dir=b&limit=50`, { token: accessToken }),
        "/messages");
    const secrets = res.chunk.filter((e) => e.content?.marker === marker && e.content.seq < 100);
    assert.deepEqual(secrets, [], "no message from before the join over /messages");
});
