import { describe, expect, it } from "vitest";
import { AdminApi, AdminError, inviteLink, mergeWhois, newTxnId, query, ruleTrigger, toUserId } from "./adminApi";
import { onHardLogout } from "./wipe";

function fakeFetch(status: number, body: unknown) {
  const calls: { url: string; init?: RequestInit }[] = [];
  const fn = async (url: string, init?: RequestInit) => {
    calls.push({ url, init });
    return new Response(body === undefined ? "" : JSON.stringify(body), { status });
  };
  return { fn, calls };
}

describe("AdminApi", () => {
  it("sends the token, encodes IDs in paths and parses JSON", async () => {
    const f = fakeFetch(200, { name: "@anna:amt.de", admin: false, deactivated: false });
    const api = new AdminApi("https://amt.de", "tok", f.fn);
    const u = await api.getUser("@anna:amt.de");
    expect(u.name).toBe("@anna:amt.de");
    expect(f.calls[0].url).toBe("https://amt.de/_synapse/admin/v2/users/%40anna%3Aamt.de");
    expect((f.calls[0].init!.headers as Record<string, string>).Authorization).toBe("Bearer tok");
  });
  it("uses Synapse's field names for create/modify, reset password, deactivate and room deletion", async () => {
    const f = fakeFetch(200, {});
    const api = new AdminApi("", "t", f.fn);
    await api.putUser("@a:x", { password: "pw", displayname: "A", admin: true, locked: false });
    await api.resetPassword("@a:x", "new", true);
    await api.deactivate("@a:x", true);
    await api.deleteRoom("!r:x", { purge: true, block: true });
    await api.createToken({ uses_allowed: 1, expiry_time: 123 });
    await api.sendNotice("t1", "Hallo", ["@a:x"]);
    await api.sendNotice("t/2", "Alle");
    const sent = f.calls.map((c) => [c.init!.method, c.url, c.init!.body && JSON.parse(String(c.init!.body))]);
    expect(sent).toEqual([
      ["PUT", "/_synapse/admin/v2/users/%40a%3Ax", { password: "pw", displayname: "A", admin: true, locked: false }],
      ["POST", "/_synapse/admin/v1/reset_password/%40a%3Ax", { new_password: "new", logout_devices: true }],
      ["POST", "/_synapse/admin/v1/deactivate/%40a%3Ax", { erase: true }],
      ["DELETE", "/_synapse/admin/v2/rooms/!r%3Ax", { purge: true, block: true }],
      ["POST", "/_synapse/admin/v1/registration_tokens/new", { uses_allowed: 1, expiry_time: 123 }],
      ["PUT", "/_amtsbote/admin/v1/server_notices/t1", { body: "Hallo", user_ids: ["@a:x"] }],
      ["PUT", "/_amtsbote/admin/v1/server_notices/t%2F2", { body: "Alle" }],
    ]);
  });
  it("throws AdminError with the errcode", async () => {
    const api = new AdminApi("", "t", fakeFetch(400, { errcode: "M_USER_IN_USE", error: "taken" }).fn);
    await expect(api.putUser("@a:x", {})).rejects.toMatchObject({ status: 400, errcode: "M_USER_IN_USE", message: "taken" });
  });
  it("isAdmin: 200 yes, 403 no, other errors are thrown", async () => {
    expect(await new AdminApi("", "t", fakeFetch(200, { server_name: "x" }).fn).isAdmin()).toBe(true);
    expect(await new AdminApi("", "t", fakeFetch(403, { errcode: "M_FORBIDDEN", error: "no" }).fn).isAdmin()).toBe(false);
    await expect(new AdminApi("", "t", fakeFetch(500, { errcode: "M_UNKNOWN", error: "x" }).fn).isAdmin()).rejects.toBeInstanceOf(AdminError);
  });
  it("hands a hard logout (401 M_UNKNOWN_TOKEN) to the wipe handler", async () => {
    const seen: unknown[] = [];
    onHardLogout((b) => seen.push(b));
    const api = new AdminApi("", "t", fakeFetch(401, { errcode: "M_UNKNOWN_TOKEN", error: "gone", soft_logout: false }).fn);
    await expect(api.status()).rejects.toBeInstanceOf(AdminError);
    expect(seen).toHaveLength(1);
    onHardLogout(null);
  });
  it("outgoing rules: the trigger goes into command or pattern, ids are encoded, the secret comes back", async () => {
    const created = { id: "r/1", room_id: "!r:x", name: "Ticket", kind: "command", command: "!ticket", url: "https://t.example/h", bot_user: "@tb:x", created_by: "@a:x", created_ts: 1, secret: "s3cret" };
    const f = fakeFetch(200, created);
    const api = new AdminApi("", "t", f.fn);
    const r = await api.createRule({ room_id: "!r:x", name: "Ticket", kind: "command", trigger: "!ticket", url: "https://t.example/h", bot_user: "tb" });
    expect(r.secret).toBe("s3cret");
    await api.createRule({ room_id: "!r:x", name: "Störung", kind: "pattern", trigger: "(?i)störung", url: "https://t.example/h", bot_user: "tb" });
    await api.listRules();
    await api.deleteRule("r/1");
    const sent = f.calls.map((c) => [c.init!.method, c.url, c.init!.body && JSON.parse(String(c.init!.body))]);
    expect(sent).toEqual([
      ["POST", "/_amtsbote/admin/v1/rules", { room_id: "!r:x", name: "Ticket", kind: "command", command: "!ticket", url: "https://t.example/h", bot_user: "tb" }],
      ["POST", "/_amtsbote/admin/v1/rules", { room_id: "!r:x", name: "Störung", kind: "pattern", pattern: "(?i)störung", url: "https://t.example/h", bot_user: "tb" }],
      ["GET", "/_amtsbote/admin/v1/rules", undefined],
      ["DELETE", "/_amtsbote/admin/v1/rules/r%2F1", undefined],
    ]);
    expect(ruleTrigger(created as never)).toBe("!ticket");
    expect(ruleTrigger({ ...created, kind: "pattern", command: undefined, pattern: "a+" } as never)).toBe("a+");
  });
  it("outgoing rules: a refused rule becomes AdminError with the server's errcode", async () => {
    const api = new AdminApi("", "t", fakeFetch(400, { errcode: "M_INVALID_PARAM", error: "'url' must be an https:// URL" }).fn);
    await expect(api.createRule({ room_id: "!r:x", name: "n", kind: "command", trigger: "!t", url: "http://x", bot_user: "b" })).rejects.toMatchObject({ status: 400, errcode: "M_INVALID_PARAM" });
    const gone = new AdminApi("", "t", fakeFetch(404, { errcode: "M_NOT_FOUND", error: "No such rule" }).fn);
    await expect(gone.deleteRule("x")).rejects.toMatchObject({ status: 404, errcode: "M_NOT_FOUND" });
  });
  it("builds the audit query from the filters", async () => {
    const f = fakeFetch(200, { entries: [] });
    await new AdminApi("", "t", f.fn).audit({ action: "user.lock", actor: "", from: 10 });
    expect(f.calls[0].url).toBe("/_amtsbote/admin/v1/audit?action=user.lock&from=10&limit=50");
  });
});

describe("helpers", () => {
  it("newTxnId: 128 random bits, a new one each time", () => {
    const ids = new Set(Array.from({ length: 50 }, () => newTxnId()));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
  });
  it("query drops empty values", () => {
    expect(query({ a: "1", b: "", c: undefined, d: 0, e: false })).toBe("?a=1&d=0&e=false");
    expect(query({})).toBe("");
  });
  it("invite link points at the sign-up page with the encoded token", () => {
    expect(inviteLink("https://amt.de/", "ab+c")).toBe("https://amt.de/#/register?token=ab%2Bc");
  });
  it("toUserId completes a plain username", () => {
    expect(toUserId(" Anna ", "amt.de")).toBe("@anna:amt.de");
    expect(toUserId("@bernd:other", "amt.de")).toBe("@bernd:other");
  });
  it("mergeWhois attaches the newest connections to each device", () => {
    const merged = mergeWhois([{ device_id: "D1" }, { device_id: "D2" }], {
      user_id: "@a:x",
      devices: { D1: { sessions: [{ connections: [{ ip: "10.0.0.1", last_seen: 1, user_agent: "old" }, { ip: "10.0.0.2", last_seen: 5, user_agent: "new" }] }] } },
    });
    expect(merged[0].connections.map((c) => c.ip)).toEqual(["10.0.0.2", "10.0.0.1"]);
    expect(merged[1].connections).toEqual([]);
  });
});

describe("AdminApi on a server without the endpoint", () => {
  it("turns a non-JSON 200 (the client's own index.html) into M_UNRECOGNIZED", async () => {
    const fn = async () => new Response("<!doctype html><html></html>", { status: 200 });
    await expect(new AdminApi("", "t", fn).listUsers({})).rejects.toMatchObject({ errcode: "M_UNRECOGNIZED" });
  });
});
