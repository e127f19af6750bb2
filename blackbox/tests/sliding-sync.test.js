// Simplified sliding sync (MSC4186) through matrix-js-sdk's SlidingSync class and its SlidingSyncSdk client mode.
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { SlidingSync, SlidingSyncEvent } from "matrix-js-sdk/lib/sliding-sync.js";
import {
    sdk, raw, ok, createUser, loginClient, syncedClient, stopAll, createRoom, waitFor, BASE_URL,
} from "../lib/harness.js";

let alice, bob, ac, roomId;

before(async () => {
    alice = await createUser("ss_a");
    bob = await createUser("ss_b");
    ac = await syncedClient(alice);
    roomId = await createRoom(ac, { name: "Sliding", invite: [bob.userId] });
});
after(stopAll);

test("/versions advertises simplified sliding sync", async () => {
    const body = ok(await raw("GET", "/_matrix/client/versions"));
    assert.equal(body.unstable_features["org.matrix.simplified_msc3575"], true);
});

test("SlidingSync: the room list and its live timeline", { timeout: 60000 }, async () => {
    const bc = await loginClient(bob);
    ok(await raw("POST", `/_matrix/client/v3/join/${encodeURIComponent(roomId)}`, { token: bc.getAccessToken(), body: {} }));
    await ac.sendTextMessage(roomId, "before sliding");
    const lists = new Map([["all", {
        ranges: [[0, 9]], timeline_limit: 5, required_state: [["m.room.name", ""], ["m.room.member", "$LAZY"]],
    }]]);
    const ss = new SlidingSync(BASE_URL, lists, { timeline_limit: 5, required_state: [] }, bc, 5000);
    const seen = [];
    let count;
    ss.on(SlidingSyncEvent.RoomData, (id, data) => {
        if (id !== roomId) return;
        for (const e of data.timeline ?? []) if (e.type === "m.room.message") seen.push(e.content.body);
        if (data.name) seen.name = data.name;
    });
    ss.on(SlidingSyncEvent.Lifecycle, (state, resp) => {
        if (resp?.lists?.all) count = resp.lists.all.count;
    });
    ss.start();
    try {
        await waitFor(() => seen.includes("before sliding"), { what: "the first message via sliding sync" });
        assert.equal(count, 1);
        assert.equal(seen.name, "Sliding");
        await ac.sendTextMessage(roomId, "while sliding");
        await waitFor(() => seen.includes("while sliding"), { what: "a live message via sliding sync" });
        assert.equal(seen.filter((b) => b === "before sliding").length, 1, "no message twice");
    } finally {
        ss.stop();
    }
});

test("a matrix-js-sdk client running on sliding sync shows the room and new messages", { timeout: 60000 }, async () => {
    const bc = await loginClient(bob);
    const lists = new Map([["all", {
        ranges: [[0, 9]], timeline_limit: 10, required_state: [["*", "*"]],
    }]]);
    const ss = new SlidingSync(BASE_URL, lists, { timeline_limit: 10, required_state: [["*", "*"]] }, bc, 5000);
    await bc.startClient({ slidingSync: ss });
    try {
        await waitFor(() => bc.getRoom(roomId)?.name === "Sliding", { what: "the room in the client's model", client: bc });
        await ac.sendTextMessage(roomId, "to the sliding client");
        await waitFor(() => bc.getRoom(roomId)?.getLiveTimeline().getEvents()
            .some((e) => e.getContent().body === "to the sliding client"), { what: "the message in the timeline", client: bc });
    } finally {
        bc.stopClient();
    }
});
