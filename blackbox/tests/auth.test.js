// Login, whoami, logout, wrong password, self-registration forbidden, admin user API.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import {
    raw, ok, expectError, passwordLogin, createUser, loginClient, adminToken,
    adminCreateUserRaw, loginRaw, uniqueName, stopAll,
} from "../lib/harness.js";

after(stopAll);

test("GET /versions lists a v1.x spec version", { timeout: 15000 }, async () => {
    const body = ok(await raw("GET", "/_matrix/client/versions"), "GET /versions");
    assert.ok(Array.isArray(body.versions), "versions is not an array");
    assert.ok(body.versions.some((v) => /^v1\.\d+$/.test(v)), `no v1.x in ${JSON.stringify(body.versions)}`);
});

test("GET /login advertises m.login.password", { timeout: 15000 }, async () => {
    const body = ok(await raw("GET", "/_matrix/client/v3/login"), "GET /login");
    const types = (body.flows ?? []).map((f) => f.type);
    assert.ok(types.includes("m.login.password"), `login flows ${JSON.stringify(types)} lack m.login.password`);
});

test("login via matrix-js-sdk, whoami, logout invalidates the token", { timeout: 30000 }, async () => {
    const alice = await createUser("auth");
    const client = await loginClient(alice);
    const token = client.getAccessToken();
    assert.ok(token, "client has no access token after login");

    const who = await client.whoami();
    assert.equal(who.user_id, alice.userId, "whoami user_id");
    assert.equal(who.device_id, client.getDeviceId(), "whoami device_id equals the login's device_id");

    await client.logout(true);
    const after = await raw("GET", "/_matrix/client/v3/account/whoami", { token });
    expectError(after, 401, "M_UNKNOWN_TOKEN", "whoami with a logged-out token");
});

test("two logins give two devices with distinct tokens; logout of one keeps the other", { timeout: 30000 }, async () => {
    const u = await createUser("auth2");
    const a = await loginRaw(u);
    const b = await loginRaw(u);
    assert.notEqual(a.accessToken, b.accessToken, "two logins returned the same access token");
    assert.notEqual(a.deviceId, b.deviceId, "two logins returned the same device_id");
    ok(await raw("POST", "/_matrix/client/v3/logout", { token: a.accessToken, body: {} }), "logout");
    expectError(await raw("GET", "/_matrix/client/v3/account/whoami", { token: a.accessToken }), 401, "M_UNKNOWN_TOKEN");
    const who = ok(await raw("GET", "/_matrix/client/v3/account/whoami", { token: b.accessToken }), "whoami on 2nd device");
    assert.equal(who.user_id, u.userId);
});

test("wrong password → 403 M_FORBIDDEN", { timeout: 15000 }, async () => {
    const u = await createUser("authpw");
    expectError(await passwordLogin(u.localpart, u.password + "x"), 403, "M_FORBIDDEN", "login with wrong password");
});

test("unknown user → 403 M_FORBIDDEN", { timeout: 15000 }, async () => {
    expectError(await passwordLogin(uniqueName("nobody"), "whatever"), 403, "M_FORBIDDEN", "login as unknown user");
});

test("login with full user id works too", { timeout: 15000 }, async () => {
    const u = await createUser("authfull");
    const body = ok(await passwordLogin(u.userId, u.password), "login with full MXID");
    assert.equal(body.user_id, u.userId);
});

test("open self-registration is forbidden: POST /register without a registration token → 403 M_FORBIDDEN", { timeout: 15000 }, async () => {
    const res = await raw("POST", "/_matrix/client/v3/register", {
        body: { username: uniqueName("selfreg"), password: "secret-secret", auth: { type: "m.login.dummy" } },
    });
    expectError(res, 403, "M_FORBIDDEN", "POST /register");
    // The only flow offered is token-authenticated registration (invite links).
    const r2 = await raw("POST", "/_matrix/client/v3/register", { body: {} });
    assert.equal(r2.status, 401, "POST /register with empty body gets the user-interactive auth challenge");
    assert.deepEqual(r2.json.flows, [{ stages: ["m.login.registration_token"] }]);
});

test("admin API: existing username → 400 M_USER_IN_USE", { timeout: 15000 }, async () => {
    const u = await createUser("dup");
    const res = await adminCreateUserRaw(await adminToken(), {
        username: u.localpart, password: "another-password", admin: false, displayname: "Dup",
    });
    expectError(res, 400, "M_USER_IN_USE", "creating an existing user");
});

test("admin API: non-admin caller → 403 M_FORBIDDEN", { timeout: 15000 }, async () => {
    const u = await createUser("nonadmin");
    const { accessToken } = await loginRaw(u);
    const res = await adminCreateUserRaw(accessToken, {
        username: uniqueName("victim"), password: "password-123", admin: false, displayname: "V",
    });
    expectError(res, 403, "M_FORBIDDEN", "non-admin calling the admin API");
});

test("admin API: no token → 401 M_MISSING_TOKEN", { timeout: 15000 }, async () => {
    const res = await adminCreateUserRaw(undefined, {
        username: uniqueName("anon"), password: "password-123", admin: false, displayname: "A",
    });
    expectError(res, 401, "M_MISSING_TOKEN", "admin API without a token");
});

test("admin-created user has the given display name", { timeout: 15000 }, async () => {
    const u = await createUser("dn", { displayname: "Dora Display" });
    const body = ok(
        await raw("GET", `/_matrix/client/v3/profile/${encodeURIComponent(u.userId)}/displayname`, { token: await adminToken() }),
        "GET displayname",
    );
    assert.equal(body.displayname, "Dora Display");
});
