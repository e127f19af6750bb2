// Initial sync, room creation, invite + join via sync, leave.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import {
    raw, ok, enc, createUser, loginClient, loginRaw, syncedClient, startSyncing, stopAll, createRoom,
    waitFor, waitForMembership, joinAndWait, rawSawRoomIn, uniqueName, SYNC_WAIT_MS,
} from "../lib/harness.js";

after(stopAll);

test("initial sync shows rooms the user is in, with name and members", { timeout: 60000 }, async () => {
    const u = await createUser("isync");
    const { accessToken } = await loginRaw(u);
    // create two rooms with raw HTTP before the client ever syncs
    const names = [uniqueName("first"), uniqueName("second")];
    const ids = [];
    for (const name of names) {
        const body = ok(await raw("POST", "/_matrix/client/v3/createRoom", {
            token: accessToken, body: { name, preset: "private_chat" },
        }), "createRoom");
        assert.match(body.room_id, /^!/);
        ids.push(body.room_id);
    }
    const client = await syncedClient(u);
    for (const [i, id] of ids.entries()) {
        const room = client.getRoom(id);
        assert.ok(room, `room ${id} is missing from the initial sync (rooms seen: ${client.getRooms().map((r) => r.roomId)})`);
        assert.equal(room.getMyMembership(), "join");
        assert.equal(room.name, names[i], "room name from m.room.name state");
        assert.ok(room.getMember(u.userId), "own member event in state");
        assert.ok(room.currentState.getStateEvents("m.room.create", ""), "m.room.create in state");
        assert.equal(room.currentState.getStateEvents("m.room.create", "").getSender(), u.userId);
    }
    // the raw initial sync put them in rooms.join
    for (const id of ids) assert.ok(rawSawRoomIn(client, id, "join"), `raw /sync had no rooms.join[${id}]`);
    // and next_batch is a string
    assert.equal(typeof client.syncLog[0]?.next_batch, "string", "initial /sync answer lacks next_batch");
});

test("raw /sync: incremental sync with since returns quickly with timeout=0 and long-polls otherwise", { timeout: 60000 }, async () => {
    const u = await createUser("rawsync");
    const { accessToken } = await loginRaw(u);
    const first = ok(await raw("GET", "/_matrix/client/v3/sync", { token: accessToken, query: { timeout: 0 } }), "initial sync");
    assert.equal(typeof first.next_batch, "string");
    // long-poll: nothing happens → should wait roughly `timeout` ms
    const t0 = Date.now();
    const second = ok(await raw("GET", "/_matrix/client/v3/sync", {
        token: accessToken, query: { since: first.next_batch, timeout: 1500 },
    }), "incremental sync");
    const took = Date.now() - t0;
    assert.equal(typeof second.next_batch, "string");
    assert.ok(took >= 1000, `long-poll with timeout=1500 returned after ${took} ms although nothing happened`);
    // a long-poll is woken by a new event
    const room = ok(await raw("POST", "/_matrix/client/v3/createRoom", { token: accessToken, body: {} }), "createRoom").room_id;
    const poll = raw("GET", "/_matrix/client/v3/sync", {
        token: accessToken, query: { since: second.next_batch, timeout: 20000 },
    });
    const t1 = Date.now();
    await new Promise((r) => setTimeout(r, 300));
    ok(await raw("PUT", `/_matrix/client/v3/rooms/${enc(room)}/send/m.room.message/wake1`, {
        token: accessToken, body: { msgtype: "m.text", body: "wake up" },
    }), "send");
    const res = ok(await poll, "woken sync");
    assert.ok(Date.now() - t1 < 10000, "long-poll was not woken by a new event within 10 s");
    // may need one more round if the room creation came first
    let events = res.rooms?.join?.[room]?.timeline?.events ?? [];
    let since = res.next_batch;
    for (let i = 0; i < 3 && !events.some((e) => e.content?.body === "wake up"); i++) {
        const more = ok(await raw("GET", "/_matrix/client/v3/sync", { token: accessToken, query: { since, timeout: 5000 } }));
        events = events.concat(more.rooms?.join?.[room]?.timeline?.events ?? []);
        since = more.next_batch;
    }
    assert.ok(events.some((e) => e.content?.body === "wake up"), "message not delivered by incremental sync");
});

test("create room, invite: invitee sees invite via sync, joins, both see each other", { timeout: 60000 }, async () => {
    const alice = await createUser("inv_a");
    const bob = await createUser("inv_b");
    const ac = await syncedClient(alice);
    const bc = await syncedClient(bob);

    const roomId = await createRoom(ac, { name: uniqueName("invite-room") });
    await waitForMembership(ac, roomId, "join");
    await ac.invite(roomId, bob.userId);

    await waitForMembership(bc, roomId, "invite");
    assert.ok(rawSawRoomIn(bc, roomId, "invite"), "invite was not in rooms.invite of the raw /sync");
    const invited = bc.getRoom(roomId);
    const inviter = invited.getMember(bob.userId)?.events?.member?.getSender();
    assert.equal(inviter, alice.userId, "invite event sender");

    await bc.joinRoom(roomId);
    await waitForMembership(bc, roomId, "join");
    await waitFor(() => ac.getRoom(roomId)?.getMember(bob.userId)?.membership === "join", {
        what: "alice to see bob joined", client: ac,
    });
    // Bob, now joined, has the room state including the name and alice as member
    const room = bc.getRoom(roomId);
    await waitFor(() => room.getMember(alice.userId)?.membership === "join", { what: "bob to see alice as member", client: bc });
    const members = ok(await raw("GET", `/_matrix/client/v3/rooms/${enc(roomId)}/joined_members`, {
        token: bc.getAccessToken(),
    }), "joined_members");
    assert.deepEqual(Object.keys(members.joined).sort(), [alice.userId, bob.userId].sort());
});

test("invite via createRoom's invite list reaches the invitee", { timeout: 60000 }, async () => {
    const alice = await createUser("cinv_a");
    const bob = await createUser("cinv_b");
    const ac = await syncedClient(alice);
    const bc = await syncedClient(bob);
    const roomId = await createRoom(ac, { invite: [bob.userId] });
    await joinAndWait(bc, roomId);
});

test("leave: room moves to the leave section of sync", { timeout: 60000 }, async () => {
    const alice = await createUser("leave_a");
    const bob = await createUser("leave_b");
    const ac = await syncedClient(alice);
    const bc = await syncedClient(bob);
    const roomId = await createRoom(ac, { invite: [bob.userId] });
    await joinAndWait(bc, roomId);

    await bc.leave(roomId);
    await waitFor(() => rawSawRoomIn(bc, roomId, "leave"), {
        what: `room ${roomId} in rooms.leave of bob's /sync`, client: bc,
    });
    const lastJoinIdx = bc.syncLog.findLastIndex((s) => s?.rooms?.join?.[roomId]);
    const leaveIdx = bc.syncLog.findIndex((s) => s?.rooms?.leave?.[roomId]);
    assert.ok(leaveIdx > lastJoinIdx, "room showed up in rooms.join after it was in rooms.leave");
    const leaveEv = bc.syncLog[leaveIdx].rooms.leave[roomId].timeline?.events?.find(
        (e) => e.type === "m.room.member" && e.state_key === bob.userId,
    );
    assert.equal(
        leaveEv?.content?.membership, "leave",
        `rooms.leave[room].timeline must carry bob's own leave event, got ${JSON.stringify(bc.syncLog[leaveIdx].rooms.leave[roomId])}`,
    );
    await waitForMembership(bc, roomId, "leave");

    await waitFor(() => ac.getRoom(roomId)?.getMember(bob.userId)?.membership === "leave", {
        what: "alice to see bob's leave", client: ac,
    });
    // joined_members no longer has bob
    const members = ok(await raw("GET", `/_matrix/client/v3/rooms/${enc(roomId)}/joined_members`, {
        token: ac.getAccessToken(),
    }), "joined_members");
    assert.deepEqual(Object.keys(members.joined), [alice.userId]);

    // a fresh login of bob: room is not in join; with include_leave it is in leave
    const { accessToken } = await loginRaw(bob);
    const fresh = ok(await raw("GET", "/_matrix/client/v3/sync", { token: accessToken, query: { timeout: 0 } }), "fresh sync");
    assert.ok(!fresh.rooms?.join?.[roomId], "left room still in rooms.join of a fresh initial sync");
    const withLeave = ok(await raw("GET", "/_matrix/client/v3/sync", {
        token: accessToken,
        query: { timeout: 0, filter: JSON.stringify({ room: { include_leave: true } }) },
    }), "fresh sync with include_leave");
    assert.ok(withLeave.rooms?.leave?.[roomId], "left room not in rooms.leave of an initial sync with include_leave=true");
});

test("state with an empty state key: the trailing slash is optional (PUT and GET)", { timeout: 30000 }, async () => {
    const u = await createUser("slash");
    const { accessToken: token } = await loginRaw(u);
    const roomId = ok(await raw("POST", "/_matrix/client/v3/createRoom", { token, body: {} }), "createRoom").room_id;
    const base = `/_matrix/client/v3/rooms/${enc(roomId)}/state/m.room.topic`;
    ok(await raw("PUT", base, { token, body: { topic: "no slash" } }), "PUT state without trailing slash");
    ok(await raw("PUT", `${base}/`, { token, body: { topic: "with slash" } }), "PUT state with trailing slash");
    assert.equal(ok(await raw("GET", base, { token }), "GET state without trailing slash").topic, "with slash");
    assert.equal(ok(await raw("GET", `${base}/`, { token }), "GET state with trailing slash").topic, "with slash");
});
