// Display name changes are visible to room members.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { raw, ok, enc, createUser, syncedClient, stopAll, createRoom, joinAndWait, waitFor, uniqueName } from "../lib/harness.js";

after(stopAll);

test("display name change is visible via profile API and to room members via sync", { timeout: 60000 }, async () => {
    const alice = await createUser("prof_a");
    const bob = await createUser("prof_b");
    const ac = await syncedClient(alice);
    const bc = await syncedClient(bob);
    const roomId = await createRoom(ac, { invite: [bob.userId] });
    await joinAndWait(bc, roomId);
    await waitFor(() => bc.getRoom(roomId)?.getMember(alice.userId), { what: "bob to know alice as member", client: bc });

    const newName = `Alice ${uniqueName("renamed")}`;
    await ac.setDisplayName(newName);

    const prof = ok(await raw("GET", `/_matrix/client/v3/profile/${enc(alice.userId)}/displayname`, { token: bc.getAccessToken() }), "GET displayname");
    assert.equal(prof.displayname, newName, "profile API displayname");
    const full = ok(await raw("GET", `/_matrix/client/v3/profile/${enc(alice.userId)}`, { token: bc.getAccessToken() }), "GET profile");
    assert.equal(full.displayname, newName, "full profile displayname");

    await waitFor(() => bc.getRoom(roomId)?.getMember(alice.userId)?.rawDisplayName === newName, {
        what: `bob to see alice's member event with displayname "${newName}"`, client: bc,
    });
    const memberEv = bc.getRoom(roomId).currentState.getStateEvents("m.room.member", alice.userId);
    assert.equal(memberEv.getContent().membership, "join", "profile change keeps membership join");
    assert.equal(memberEv.getContent().displayname, newName);
});

test("setting a display name of the wrong type is rejected and the old name stays", { timeout: 30000 }, async () => {
    const u = await createUser("prof_bad", { displayname: "Stays" });
    const c = await syncedClient(u);
    const res = await raw("PUT", `/_matrix/client/v3/profile/${enc(u.userId)}/displayname`, {
        token: c.getAccessToken(), body: { displayname: 42 },
    });
    assert.equal(res.status, 400, `expected 400, got ${res.status} ${res.text}`);
    const prof = ok(await raw("GET", `/_matrix/client/v3/profile/${enc(u.userId)}/displayname`, { token: c.getAccessToken() }));
    assert.equal(prof.displayname, "Stays");
});

test("cannot set someone else's display name → 403", { timeout: 30000 }, async () => {
    const a = await createUser("prof_x");
    const b = await createUser("prof_y");
    const ac = await syncedClient(a);
    const res = await raw("PUT", `/_matrix/client/v3/profile/${enc(b.userId)}/displayname`, {
        token: ac.getAccessToken(), body: { displayname: "hijacked" },
    });
    assert.equal(res.status, 403, `expected 403, got ${res.status} ${res.text}`);
    assert.equal(res.json?.errcode, "M_FORBIDDEN");
});
