// Shared helpers for the Amtsbote black-box suite.
//
// Everything here talks to the server only through its public HTTP API:
// the standard Matrix client-server API (via matrix-js-sdk or raw fetch)
// and the Amtsbote admin API for creating accounts.

import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import * as sdk from "matrix-js-sdk";
import { logger as sdkLogger } from "matrix-js-sdk/lib/logger.js";

// matrix-js-sdk logs a lot; keep it quiet unless asked (BLACKBOX_SDK_LOG=debug|info|warn|error).
sdkLogger.setLevel?.(process.env.BLACKBOX_SDK_LOG ?? "silent");

export { sdk };

// ---------------------------------------------------------------- config

function requiredEnv(name) {
    const v = process.env[name];
    if (!v) {
        throw new Error(
            `environment variable ${name} is not set; the suite needs AMTSBOTE_URL, ` +
                `AMTSBOTE_ADMIN_USER and AMTSBOTE_ADMIN_PASSWORD (see blackbox/README.md)`,
        );
    }
    return v;
}

export const BASE_URL = requiredEnv("AMTSBOTE_URL").replace(/\/+$/, "");
export const ADMIN_USER = requiredEnv("AMTSBOTE_ADMIN_USER");
export const ADMIN_PASSWORD = requiredEnv("AMTSBOTE_ADMIN_PASSWORD");

/** Default wait for something to show up via /sync. */
export const SYNC_WAIT_MS = Number(process.env.BLACKBOX_SYNC_WAIT_MS ?? 20000);

/** Random suffix so that repeated runs against one server never collide. */
export const RUN_ID = `${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;

let counter = 0;
export function uniqueName(prefix) {
    counter += 1;
    return `${prefix}_${RUN_ID}_${counter}_${randomBytes(2).toString("hex")}`.toLowerCase();
}

export function sleep(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

// ---------------------------------------------------------------- raw HTTP

/**
 * Raw HTTP request against the server.
 * opts: { token, body (JSON-serialised), rawBody (string/Buffer sent as is), headers, query, timeoutMs }
 * Returns { status, headers, json, text, bytes } — never throws on HTTP errors.
 */
export async function raw(method, path, opts = {}) {
    const url = new URL(BASE_URL + path);
    for (const [k, v] of Object.entries(opts.query ?? {})) {
        if (v !== undefined && v !== null) url.searchParams.set(k, String(v));
    }
    const headers = { ...(opts.headers ?? {}) };
    if (opts.token) headers["Authorization"] = `Bearer ${opts.token}`;
    let body;
    if (opts.rawBody !== undefined) {
        body = opts.rawBody;
    } else if (opts.body !== undefined) {
        body = JSON.stringify(opts.body);
        headers["Content-Type"] ??= "application/json";
    }
    let res;
    try {
        res = await fetch(url, {
            method,
            headers,
            body,
            signal: AbortSignal.timeout(opts.timeoutMs ?? 30000),
        });
    } catch (e) {
        throw new Error(`${method} ${url.pathname} failed without an HTTP answer: ${e.message}`);
    }
    const bytes = Buffer.from(await res.arrayBuffer());
    const text = bytes.toString("utf8");
    let json;
    try {
        json = JSON.parse(text);
    } catch {
        json = undefined;
    }
    return { status: res.status, headers: res.headers, json, text, bytes, method, path: url.pathname };
}

function describe(res) {
    const body = res.text.length > 400 ? res.text.slice(0, 400) + "…" : res.text;
    return `${res.method} ${res.path} → HTTP ${res.status} ${body}`;
}

/** Asserts a 2xx answer and returns its JSON body. */
export function ok(res, what = "") {
    if (res.status < 200 || res.status > 299) {
        assert.fail(`${what ? what + ": " : ""}expected 2xx, got ${describe(res)}`);
    }
    return res.json;
}

/** Asserts a Matrix error answer with the given status and errcode. */
export function expectError(res, status, errcode, what = "") {
    const prefix = what ? what + ": " : "";
    assert.equal(
        res.status,
        status,
        `${prefix}expected HTTP ${status} ${errcode}, got ${describe(res)}`,
    );
    assert.ok(res.json && typeof res.json === "object", `${prefix}error body is not JSON: ${describe(res)}`);
    assert.equal(res.json.errcode, errcode, `${prefix}expected errcode ${errcode}, got ${describe(res)}`);
    assert.equal(typeof res.json.error, "string", `${prefix}error body lacks a string "error" field: ${describe(res)}`);
}

export const enc = encodeURIComponent;

// ---------------------------------------------------------------- accounts

export async function passwordLogin(user, password, extra = {}) {
    return raw("POST", "/_matrix/client/v3/login", {
        body: {
            type: "m.login.password",
            identifier: { type: "m.id.user", user },
            password,
            ...extra,
        },
    });
}

let adminTokenPromise;
/** Access token of the configured admin account (logged in once per test file). */
export function adminToken() {
    adminTokenPromise ??= (async () => {
        const res = await passwordLogin(ADMIN_USER, ADMIN_PASSWORD, {
            initial_device_display_name: "blackbox admin",
        });
        return ok(res, `admin login as ${ADMIN_USER}`).access_token;
    })();
    return adminTokenPromise;
}

/** Raw call of the Amtsbote admin API for creating a user. */
export async function adminCreateUserRaw(token, body) {
    return raw("POST", "/_amtsbote/admin/v1/users", { token, body });
}

/**
 * Creates a fresh account with a random suffix.
 * Returns { localpart, userId, password, displayname }.
 */
export async function createUser(prefix = "u", { displayname, admin = false } = {}) {
    const localpart = uniqueName(prefix);
    const password = `pw-${randomBytes(9).toString("base64url")}`;
    displayname ??= `${prefix} ${RUN_ID}`;
    const res = await adminCreateUserRaw(await adminToken(), {
        username: localpart,
        password,
        admin,
        displayname,
    });
    const body = ok(res, `admin API: create user ${localpart}`);
    assert.equal(typeof body.user_id, "string", `admin API returned no user_id: ${describe(res)}`);
    assert.ok(
        body.user_id.startsWith(`@${localpart}:`),
        `admin API returned user_id ${body.user_id}, expected @${localpart}:<server_name>`,
    );
    return { localpart, userId: body.user_id, password, displayname };
}

/** Logs in with a password via raw HTTP; returns { accessToken, userId, deviceId }. */
export async function loginRaw(user) {
    const res = await passwordLogin(user.localpart, user.password);
    const body = ok(res, `login as ${user.localpart}`);
    return { accessToken: body.access_token, userId: body.user_id, deviceId: body.device_id };
}

// ---------------------------------------------------------------- SDK clients

/**
 * A matrix-js-sdk client with some instrumentation:
 *  - client.httpFailures: non-2xx answers seen (for readable timeout messages)
 *  - client.syncLog: every raw /sync JSON answer body, in arrival order
 */
export function makeClient({ accessToken, userId, deviceId, cryptoCallbacks } = {}) {
    const httpFailures = [];
    const syncLog = [];
    const fetchFn = async (resource, init) => {
        if (client.stopped) {
            // a stopped client must not talk to the server any more; its sync loop treats this as logout
            stopLater(client);
            return new Response(JSON.stringify({ errcode: "M_UNKNOWN_TOKEN", error: "client stopped by the test" }), {
                status: 401,
                headers: { "Content-Type": "application/json" },
            });
        }
        let res;
        try {
            res = await fetch(resource, init);
        } finally {
            // matrix-js-sdk sometimes arms retry timers when a request ends after stopClient(): clear them again
            if (client.stopped) stopLater(client);
        }
        const url = new URL(typeof resource === "string" ? resource : resource.url ?? String(resource));
        if (!res.ok) {
            let text = "";
            try {
                text = await res.clone().text();
            } catch {}
            const line = `${init?.method ?? "GET"} ${url.pathname} → ${res.status} ${text.slice(0, 200)}`;
            httpFailures.push(line);
            if (httpFailures.length > 50) httpFailures.shift();
            // endpoints without which the SDK's sync loop can never start: fail fast instead of retrying
            if (res.status === 404 && /\/(pushrules\/?|filter(\/[^/]*)?|sync)$/.test(url.pathname)) {
                client.onFatalStartupError?.(new Error(`the sync loop cannot start: ${line}`));
            }
        } else if (url.pathname.endsWith("/sync")) {
            try {
                syncLog.push(await res.clone().json());
            } catch {}
        }
        return res;
    };
    const client = sdk.createClient({
        baseUrl: BASE_URL,
        accessToken,
        userId,
        deviceId,
        fetchFn,
        timelineSupport: true,
        cryptoCallbacks,
    });
    client.httpFailures = httpFailures;
    client.syncLog = syncLog;
    return client;
}

const liveClients = new Set();

/**
 * Logs the user in through matrix-js-sdk (m.login.password) and returns a client
 * that carries the new access token. Does not start syncing.
 */
export async function loginClient(user, { cryptoCallbacks } = {}) {
    const anon = makeClient();
    const resp = await anon.loginRequest({
        type: "m.login.password",
        identifier: { type: "m.id.user", user: user.localpart },
        password: user.password,
        initial_device_display_name: "blackbox",
    });
    assert.ok(resp.access_token, `login for ${user.localpart} returned no access_token`);
    assert.equal(resp.user_id, user.userId, "login returned a different user_id");
    return makeClient({ accessToken: resp.access_token, userId: resp.user_id, deviceId: resp.device_id, cryptoCallbacks });
}

/**
 * Starts the client's sync loop and waits until the initial sync is processed
 * (sync state PREPARED). opts are passed to startClient.
 */
export async function startSyncing(client, opts = {}, timeoutMs = SYNC_WAIT_MS) {
    liveClients.add(client);
    const prepared = new Promise((resolve, reject) => {
        const onSync = (state, _prev, data) => {
            if (state === "PREPARED" || state === "SYNCING") {
                client.off(sdk.ClientEvent.Sync, onSync);
                resolve();
            } else if (state === "ERROR" && data?.error) {
                client.lastSyncError = data.error;
            }
        };
        client.on(sdk.ClientEvent.Sync, onSync);
    });
    const fatal = new Promise((_, reject) => {
        client.onFatalStartupError = reject;
    });
    fatal.catch(() => {});
    await client.startClient({ initialSyncLimit: 50, pollTimeout: 30000, ...opts });
    await withTimeout(Promise.race([prepared, fatal]), timeoutMs, () =>
        `initial sync of ${client.getUserId()} did not complete (sync state ${client.getSyncState()}; ` +
        `last error: ${client.lastSyncError?.message ?? "none"}; recent HTTP failures: ` +
        `${recentFailures(client)})`,
    ).finally(() => {
        client.onFatalStartupError = undefined;
    });
    return client;
}

/** Logs in and starts syncing. */
export async function syncedClient(user, opts = {}) {
    const c = await loginClient(user);
    await startSyncing(c, opts);
    return c;
}

function stopLater(c) {
    setTimeout(() => {
        try {
            c.stopClient();
        } catch {}
    }, 0);
}

export function stopClient(c) {
    liveClients.delete(c);
    c.stopped = true;
    try {
        c.stopClient();
    } catch {}
}

export function stopAll() {
    for (const c of [...liveClients]) stopClient(c);
}

/** The client's last distinct HTTP failures, with repeat counts, for error messages. */
export function recentFailures(client, n = 5) {
    const counts = new Map();
    for (const f of client.httpFailures) counts.set(f, (counts.get(f) ?? 0) + 1);
    const list = [...counts].slice(-n).map(([f, c]) => (c > 1 ? `${c}× ${f}` : f));
    return list.length ? list.join(" | ") : "none";
}

// ---------------------------------------------------------------- waiting

export async function withTimeout(promise, ms, message) {
    let timer;
    const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${typeof message === "function" ? message() : message}`)), ms);
    });
    try {
        return await Promise.race([promise, timeout]);
    } finally {
        clearTimeout(timer);
    }
}

/**
 * Polls `check` (sync or async; truthy result = done) until it succeeds
 * or the timeout elapses. Returns the truthy value.
 */
export async function waitFor(check, { timeoutMs = SYNC_WAIT_MS, intervalMs = 50, what = "condition", client } = {}) {
    const deadline = Date.now() + timeoutMs;
    let last;
    while (Date.now() < deadline) {
        try {
            last = await check();
            if (last) return last;
        } catch (e) {
            last = e;
        }
        await sleep(intervalMs);
    }
    const extra = client
        ? ` (client ${client.getUserId()}: sync state ${client.getSyncState()}, recent HTTP failures ${recentFailures(client)})`
        : "";
    const lastInfo = last instanceof Error ? `; last error: ${last.message}` : "";
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastInfo}${extra}`);
}

// ---------------------------------------------------------------- raw sync inspection

/** All raw timeline events for roomId over the client's /sync answers (join section), in order. */
export function rawTimelineEvents(client, roomId, section = "join") {
    const out = [];
    for (const s of client.syncLog) {
        const r = s?.rooms?.[section]?.[roomId];
        for (const ev of r?.timeline?.events ?? []) out.push(ev);
    }
    return out;
}

/** Raw ephemeral events for roomId seen by the client. */
export function rawEphemeralEvents(client, roomId) {
    const out = [];
    for (const s of client.syncLog) {
        for (const ev of s?.rooms?.join?.[roomId]?.ephemeral?.events ?? []) out.push(ev);
    }
    return out;
}

/** Was the room in the given section (join/invite/leave) of any /sync answer? */
export function rawSawRoomIn(client, roomId, section) {
    return client.syncLog.some((s) => s?.rooms?.[section]?.[roomId] !== undefined);
}

// ---------------------------------------------------------------- room helpers

/** Creates a room as `client`, invites `others` (array of user ids), returns room_id. */
export async function createRoom(client, { name, invite = [], preset = "private_chat", ...rest } = {}) {
    const res = await client.createRoom({ name: name ?? uniqueName("room"), invite, preset, ...rest });
    assert.match(res.room_id, /^!/, "createRoom returned no room_id");
    return res.room_id;
}

/** Waits until `client` sees `roomId` with the wanted own membership. */
export function waitForMembership(client, roomId, membership, timeoutMs = SYNC_WAIT_MS) {
    return waitFor(() => client.getRoom(roomId)?.getMyMembership() === membership, {
        timeoutMs,
        what: `${client.getUserId()} to see membership "${membership}" in ${roomId} via sync`,
        client,
    });
}

/** A client that has joined `roomId` and has it in its store. */
export async function joinAndWait(client, roomId) {
    await waitForMembership(client, roomId, "invite");
    await client.joinRoom(roomId);
    await waitForMembership(client, roomId, "join");
}

/** Live timeline events of a room (matrix-js-sdk view) filtered by type. */
export function timelineEvents(client, roomId, type) {
    const room = client.getRoom(roomId);
    if (!room) return [];
    const evs = room.getLiveTimeline().getEvents();
    return type ? evs.filter((e) => e.getType() === type) : evs;
}
