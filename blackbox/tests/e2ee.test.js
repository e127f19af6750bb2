// End-to-end encryption with matrix-js-sdk's Rust crypto (vodozemac in WebAssembly), as Element Web uses it:
// encrypted messages both ways, a second device of a user, cross-signing bootstrap with UIA, server-side key
// backup restored on a fresh login.
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import {
    raw, ok, enc, createUser, loginClient, startSyncing, stopAll, stopClient, createRoom, joinAndWait, waitFor,
    rawTimelineEvents,
} from "../lib/harness.js";

const ENCRYPTION = { type: "m.room.encryption", state_key: "", content: { algorithm: "m.megolm.v1.aes-sha2" } };

// The Rust crypto layer logs through console; keep it quiet unless asked (as harness.js does for the SDK).
if (!process.env.BLACKBOX_SDK_LOG) {
    for (const level of ["log", "debug", "info", "warn"]) console[level] = () => {};
}

/** Secret storage keys created in this file, by key id (what a user would type in as a recovery key). */
const secretStorageKeys = new Map();
const cryptoCallbacks = {
    getSecretStorageKey: async ({ keys }) => {
        for (const keyId of Object.keys(keys)) {
            if (secretStorageKeys.has(keyId)) return [keyId, secretStorageKeys.get(keyId)];
        }
        return null;
    },
    cacheSecretStorageKey: (keyId, _info, key) => secretStorageKeys.set(keyId, key),
};

/** Logs in, starts Rust crypto (in-memory store) and syncing. */
async function cryptoClient(user) {
    const c = await loginClient(user, { cryptoCallbacks });
    await c.initRustCrypto({ useIndexedDB: false });
    await startSyncing(c);
    return c;
}

/** The decrypted body of the event, once the client could decrypt it (undefined until then). */
function clearBody(client, roomId, eventId) {
    const ev = client.getRoom(roomId)?.findEventById(eventId);
    if (!ev || ev.isDecryptionFailure() || ev.getType() !== "m.room.message") return undefined;
    assert.ok(ev.isEncrypted(), `event ${eventId} arrived unencrypted`);
    return ev.getContent().body;
}

async function expectDecrypted(client, roomId, eventId, body, who) {
    const got = await waitFor(() => clearBody(client, roomId, eventId), {
        what: `${who} to decrypt ${eventId}`, client,
    });
    assert.equal(got, body);
}

/** Waits until `client` knows the device (so that what it sends next is encrypted for it too). */
function waitForDevice(client, userId, deviceId) {
    return waitFor(async () => (await client.getCrypto().getUserDeviceInfo([userId], true)).get(userId)?.has(deviceId), {
        what: `${client.getUserId()} to see device ${deviceId} of ${userId}`, client,
    });
}

/** UIA as a client does it: try without auth, then answer the password stage with the session given. */
function passwordAuth(user) {
    return async (makeRequest) => {
        try {
            await makeRequest(null);
        } catch (e) {
            if (e.httpStatus !== 401 || !e.data?.flows) throw e;
            await makeRequest({
                type: "m.login.password",
                identifier: { type: "m.id.user", user: user.localpart },
                password: user.password,
                session: e.data.session,
            });
        }
    };
}

let alice, bob, ac, bc, roomId;

before(async () => {
    alice = await createUser("e2e_a");
    bob = await createUser("e2e_b");
    ac = await cryptoClient(alice);
    bc = await cryptoClient(bob);
    roomId = await createRoom(ac, { invite: [bob.userId], initial_state: [ENCRYPTION] });
    await joinAndWait(bc, roomId);
    await waitFor(() => ac.getRoom(roomId)?.hasEncryptionStateEvent() && bc.getRoom(roomId)?.hasEncryptionStateEvent(), {
        what: "both clients to see the room as encrypted",
    });
    await waitFor(() => ac.getRoom(roomId)?.getMember(bob.userId)?.membership === "join", {
        what: "alice to see bob joined", client: ac,
    });
});
after(stopAll);

test("two users exchange encrypted messages both ways", { timeout: 90000 }, async () => {
    const { event_id: fromAlice } = await ac.sendMessage(roomId, { msgtype: "m.text", body: "hallo bob, geheim" });
    await expectDecrypted(bc, roomId, fromAlice, "hallo bob, geheim", "bob");
    const { event_id: fromBob } = await bc.sendMessage(roomId, { msgtype: "m.text", body: "hallo alice, auch geheim" });
    await expectDecrypted(ac, roomId, fromBob, "hallo alice, auch geheim", "alice");

    // What the server stored and delivered is ciphertext only.
    const wire = rawTimelineEvents(bc, roomId).find((e) => e.event_id === fromAlice);
    assert.equal(wire?.type, "m.room.encrypted", "bob's raw /sync should carry the event as m.room.encrypted");
    assert.ok(!JSON.stringify(wire).includes("geheim"), "plaintext in the raw event");
    // The room keys went over olm: to-device m.room.encrypted reached bob.
    assert.ok(bc.syncLog.some((s) => s.to_device?.events?.some((e) => e.type === "m.room.encrypted")),
        "no olm-encrypted to-device message in bob's /sync");
    // And /sync told alice's device its one-time key counts and fallback key state.
    const last = ac.syncLog.at(-1);
    assert.equal(typeof last.device_one_time_keys_count?.signed_curve25519, "number", JSON.stringify(last).slice(0, 300));
    assert.ok(Array.isArray(last.device_unused_fallback_key_types), "device_unused_fallback_key_types missing");
});

test("a second device of bob reads messages sent after it signed in", { timeout: 90000 }, async () => {
    const bc2 = await cryptoClient(bob);
    try {
        // Alice learns of the new device through device_lists.changed in her /sync.
        await waitFor(() => ac.syncLog.some((s) => s.device_lists?.changed?.includes(bob.userId)), {
            what: "alice's /sync to list bob in device_lists.changed", client: ac,
        });
        await waitForDevice(ac, bob.userId, bc2.getDeviceId());
        const { event_id: eventId } = await ac.sendMessage(roomId, { msgtype: "m.text", body: "für beide Geräte" });
        await expectDecrypted(bc2, roomId, eventId, "für beide Geräte", "bob's second device");
        await expectDecrypted(bc, roomId, eventId, "für beide Geräte", "bob's first device");
    } finally {
        stopClient(bc2);
    }
});

test("cross-signing bootstrap with UIA; keys visible to the other user; replacing needs UIA", { timeout: 90000 }, async () => {
    const crypto = ac.getCrypto();
    await crypto.bootstrapCrossSigning({ authUploadDeviceSigningKeys: passwordAuth(alice) });
    assert.equal(await crypto.isCrossSigningReady(), true, "alice's cross-signing is not ready");
    // The device's signature went up via /keys/signatures/upload; the client sees it after its own user shows
    // up in device_lists.changed and it queries the keys again.
    await waitFor(async () => (await crypto.getDeviceVerificationStatus(alice.userId, ac.getDeviceId()))?.crossSigningVerified,
        { what: "alice's device to be signed by her self-signing key", client: ac });

    assert.equal(await bc.getCrypto().userHasCrossSigningKeys(alice.userId, true), true,
        "bob does not see alice's cross-signing keys");
    const master = await crypto.getCrossSigningKeyId();
    const q = ok(await raw("POST", "/_matrix/client/v3/keys/query", {
        token: bc.getAccessToken(), body: { device_keys: { [alice.userId]: [] } },
    }), "keys/query");
    assert.ok(q.master_keys?.[alice.userId]?.keys?.[`ed25519:${master}`], JSON.stringify(q.master_keys));
    assert.ok(q.self_signing_keys?.[alice.userId], "self_signing_keys missing");
    assert.equal(q.user_signing_keys?.[alice.userId], undefined, "another user's user-signing key must not be shown");

    // Replacing the keys: the server asks for UIA (the callback sees the 401 and answers it).
    let asked = false;
    await crypto.bootstrapCrossSigning({
        setupNewCrossSigning: true,
        authUploadDeviceSigningKeys: async (makeRequest) => {
            try {
                await makeRequest(null);
            } catch (e) {
                asked = e.httpStatus === 401;
                await passwordAuth(alice)(makeRequest);
            }
        },
    });
    assert.ok(asked, "replacing cross-signing keys went through without UIA");
    assert.notEqual(await crypto.getCrossSigningKeyId(), master, "the master key was not replaced");
    await waitFor(async () => {
        const q2 = ok(await raw("POST", "/_matrix/client/v3/keys/query", {
            token: bc.getAccessToken(), body: { device_keys: { [alice.userId]: [] } },
        }));
        return q2.master_keys?.[alice.userId]?.keys?.[`ed25519:${await crypto.getCrossSigningKeyId()}`];
    }, { what: "the new master key in /keys/query" });
});

test("key backup: secret storage and backup created, a fresh login restores it and decrypts old messages", { timeout: 120000 }, async () => {
    const crypto = ac.getCrypto();
    await crypto.bootstrapCrossSigning({ authUploadDeviceSigningKeys: passwordAuth(alice) });
    await crypto.bootstrapSecretStorage({
        createSecretStorageKey: () => crypto.createRecoveryKeyFromPassphrase(),
        setupNewSecretStorage: true,
        setupNewKeyBackup: true,
    });
    assert.equal(await crypto.isSecretStorageReady(), true, "secret storage not ready");
    const version = await waitFor(() => crypto.getActiveSessionBackupVersion(), { what: "an active key backup" });
    const info = ok(await raw("GET", "/_matrix/client/v3/room_keys/version", { token: ac.getAccessToken() }));
    assert.equal(info.version, version);
    assert.equal(info.algorithm, "m.megolm_backup.v1.curve25519-aes-sha2");

    const { event_id: old } = await ac.sendMessage(roomId, { msgtype: "m.text", body: "vor dem neuen Login" });
    await waitFor(async () => {
        const keys = ok(await raw("GET", "/_matrix/client/v3/room_keys/keys/" + enc(roomId), {
            token: ac.getAccessToken(), query: { version },
        }));
        return Object.keys(keys.sessions ?? {}).length > 0;
    }, { what: "alice's room key to reach the server-side backup" });

    const fresh = await cryptoClient(alice);
    try {
        await waitFor(() => fresh.getRoom(roomId)?.findEventById(old), {
            what: "the fresh login to see the old event", client: fresh,
        });
        assert.equal(clearBody(fresh, roomId, old), undefined, "the fresh login decrypted before restoring the backup");
        const freshCrypto = fresh.getCrypto();
        await freshCrypto.loadSessionBackupPrivateKeyFromSecretStorage();
        const check = await freshCrypto.checkKeyBackupAndEnable();
        assert.ok(check?.backupInfo, "no backup found by the fresh login");
        const result = await freshCrypto.restoreKeyBackup();
        assert.ok(result.imported >= 1, `restored ${result.imported} of ${result.total} keys`);
        const ev = fresh.getRoom(roomId).findEventById(old);
        await fresh.decryptEventIfNeeded(ev, { isRetry: true });
        await expectDecrypted(fresh, roomId, old, "vor dem neuen Login", "alice's fresh login");
    } finally {
        stopClient(fresh);
    }
});

test("one-time keys used up: a new olm session is built on the fallback key", { timeout: 90000 }, async () => {
    const carol = await createUser("e2e_c");
    const cc = await cryptoClient(carol);
    try {
        await ac.invite(roomId, carol.userId);
        await joinAndWait(cc, roomId);
        await waitFor(() => bc.getRoom(roomId)?.getMember(carol.userId)?.membership === "join", {
            what: "bob to see carol joined", client: bc,
        });
        await waitFor(() => cc.getRoom(roomId)?.hasEncryptionStateEvent(), { what: "carol to see the room encrypted" });
        // Claim all of bob's one-time keys until the server hands out his fallback key.
        const device = bc.getDeviceId();
        let usedFallback = false;
        for (let i = 0; i < 200 && !usedFallback; i++) {
            const claim = ok(await raw("POST", "/_matrix/client/v3/keys/claim", {
                token: ac.getAccessToken(),
                body: { one_time_keys: { [bob.userId]: { [device]: "signed_curve25519" } } },
            }), "keys/claim");
            const keys = Object.values(claim.one_time_keys?.[bob.userId]?.[device] ?? {});
            assert.equal(keys.length, 1, `claim ${i} returned ${JSON.stringify(claim)}`);
            usedFallback = keys[0].fallback === true;
        }
        assert.ok(usedFallback, "the server never handed out bob's fallback key");
        const start = bc.syncLog.length;

        // Carol has no olm session with bob yet: she claims a key (the fallback key) to send him the room key.
        const { event_id: eventId } = await cc.sendMessage(roomId, { msgtype: "m.text", body: "über den Fallback-Schlüssel" });
        await expectDecrypted(bc, roomId, eventId, "über den Fallback-Schlüssel", "bob");
        // Bob's /sync that brought carol's olm message showed no one-time keys and the fallback key as used.
        const withOlm = bc.syncLog.slice(start).find((s) => s.to_device?.events?.some(
            (e) => e.type === "m.room.encrypted" && e.sender === carol.userId));
        assert.ok(withOlm, "no olm message from carol in bob's /sync");
        assert.equal(withOlm.device_one_time_keys_count?.signed_curve25519, 0, JSON.stringify(withOlm.device_one_time_keys_count));
        assert.deepEqual(withOlm.device_unused_fallback_key_types, []);
    } finally {
        stopClient(cc);
    }
});
