// DEVELOPMENT FAKE of the admin APIs for e2e/fake-server.mjs (Synapse admin subset + /_amtsbote/admin/v1 as in the
// helpers' API contract), so the admin console can be developed and its browser test (e2e/admin.mjs) tried before
// the real server has them. It fakes behaviour only as far as the client sees it; the real test runs against Amtsbote.
import { createHash, randomBytes } from "node:crypto";

export function fakeAdmin({ users, tokens, rooms, addUser, send, err, bump, SERVER, stateContent }) {
  const wiped = new Map(); // token -> wipe record (the device's next request confirms it)
  const wipes = []; // {user_id, device_id, requested_ts, requested_by, confirmed_ts}
  const regTokens = new Map(); // token -> {token, uses_allowed, pending, completed, expiry_time}
  const uiaSessions = new Map(); // session -> {completed: []}
  const audit = [];
  const noticeTxns = new Map(); // "<admin> <path with txnId>" -> first answer of PUT server_notices/{txnId}
  const bots = new Map(); // user_id -> bot as listed
  const blocked = new Set(); // room ids
  const webhooks = new Map(); // id -> hook with its secret
  const outgoingRules = new Map(); // id -> rule as listed (the fake keeps no secret)
  const integrationBots = new Set(); // user ids the fake created as hook/rule bots
  const started = Date.now();
  const rnd = (n = 9) => randomBytes(n).toString("base64url");

  function record(actor, action, target, details = {}) {
    const prev = audit.length ? audit[audit.length - 1].hash : "";
    const e = { seq: audit.length + 1, ts: Date.now(), actor, ip: "127.0.0.1", action, target, details, prev_hash: prev };
    e.hash = createHash("sha256").update(prev + JSON.stringify({ ...e, hash: undefined })).digest("hex");
    audit.push(e);
  }
  const userJson = (id) => {
    const u = users.get(id);
    const devs = [...tokens.values()].filter((s) => s.userId === id);
    const seen = Math.max(0, ...devs.map((d) => d.lastSeen ?? 0));
    return { name: id, displayname: u.displayname ?? null, avatar_url: u.avatar_url ?? null, admin: !!u.admin, deactivated: !!u.deactivated, locked: !!u.locked, is_guest: false, erased: !!u.erased, creation_ts: Math.floor((u.created ?? started) / 1000), last_seen_ts: seen || null };
  };
  const endSessions = (userId) => {
    for (const [t, s] of tokens) if (s.userId === userId) tokens.delete(t);
    bump();
  };
  const tokenValid = (t) => {
    const r = regTokens.get(t);
    if (!r) return false;
    if (r.expiry_time && r.expiry_time < Date.now()) return false;
    return r.uses_allowed === null || r.completed + r.pending < r.uses_allowed;
  };
  const roomJson = (room) => {
    const joined = [...room.state.values()].filter((e) => e.type === "m.room.member" && e.content.membership === "join").length;
    return { room_id: room.id, name: stateContent(room, "m.room.name")?.name ?? null, canonical_alias: null, joined_members: joined, joined_local_members: joined, encryption: stateContent(room, "m.room.encryption")?.algorithm ?? null, creator: stateContent(room, "m.room.create")?.creator, public: false, state_events: room.state.size, version: "10", topic: stateContent(room, "m.room.topic")?.topic ?? null };
  };

  /** Requests without a session: sign-up with a registration token. Returns true if handled. */
  function unauthenticated(req, res, path, url, body) {
    if (path === "/_matrix/client/v1/register/m.login.registration_token/validity") {
      send(res, 200, { valid: tokenValid(url.searchParams.get("token") ?? "") });
      return true;
    }
    if (path === "/_matrix/client/v3/register" && req.method === "POST") {
      const auth = body.auth;
      if (!auth?.session || !uiaSessions.has(auth.session)) {
        const session = rnd();
        uiaSessions.set(session, { completed: [] });
        send(res, 401, { session, flows: [{ stages: ["m.login.registration_token"] }], params: {} });
        return true;
      }
      const flows = [{ stages: ["m.login.registration_token"] }];
      if (auth.type !== "m.login.registration_token" || !tokenValid(auth.token)) {
        send(res, 401, { session: auth.session, flows, params: {}, completed: [], errcode: "M_FORBIDDEN", error: "Invalid registration token" });
        return true;
      }
      const id = `@${String(body.username).toLowerCase()}:${SERVER}`;
      if (!/^[a-z0-9._=\-/]+$/.test(String(body.username))) return err(res, 400, "M_INVALID_USERNAME", "bad username"), true;
      if (users.has(id)) return err(res, 400, "M_USER_IN_USE", "User ID already taken."), true;
      if (String(body.password ?? "").length < 8) return err(res, 400, "M_WEAK_PASSWORD", "Password too short (8 characters minimum)"), true;
      regTokens.get(auth.token).completed++;
      uiaSessions.delete(auth.session);
      addUser(body.username, body.password, body.username);
      users.get(id).created = Date.now();
      const token = rnd(24);
      const deviceId = rnd(6).toUpperCase();
      tokens.set(token, { userId: id, deviceId, name: body.initial_device_display_name });
      send(res, 200, { user_id: id, access_token: token, device_id: deviceId });
      return true;
    }
    return false;
  }

  /** Answers a request with an unknown token: wiped devices get the wipe marker (and confirm the wipe). */
  function unknownToken(res, auth) {
    const w = wiped.get(auth);
    if (w) {
      w.confirmed_ts ??= Date.now();
      return send(res, 401, { errcode: "M_UNKNOWN_TOKEN", error: "This device was wiped by an administrator", soft_logout: false, "de.amtsbote.wiped": true });
    }
    return err(res, 401, "M_UNKNOWN_TOKEN", "Unknown access token");
  }

  /** Authenticated admin routes. Returns true if handled. */
  function admin(req, res, path, url, body, me) {
    if (!path.startsWith("/_synapse/admin/") && !path.startsWith("/_amtsbote/admin/v1/")) return false;
    if (path === "/_amtsbote/admin/v1/users") return false; // the old creation endpoint stays in fake-server.mjs
    if (!users.get(me)?.admin) return err(res, 403, "M_FORBIDDEN", "You are not a server admin"), true;
    const S = "/_synapse/admin";
    const A = "/_amtsbote/admin/v1";
    const ok = (b = {}) => (send(res, 200, b), true);
    let m;
    const M = req.method;
    if (path === `${A}/status`) return ok({ server_name: SERVER, version: "fake", uptime_ms: Date.now() - started, database: "sqlite", users: users.size, rooms: rooms.size, ldap: null });
    if (path === `${S}/v1/server_version`) return ok({ server_version: "fake" });
    if (path === `${S}/v2/users` && M === "GET") {
      const name = (url.searchParams.get("name") ?? "").toLowerCase();
      const from = Number(url.searchParams.get("from") ?? 0);
      const limit = Number(url.searchParams.get("limit") ?? 100);
      const all = [...users.keys()].filter((id) => id.toLowerCase().includes(name) || (users.get(id).displayname ?? "").toLowerCase().includes(name)).sort();
      const page = all.slice(from, from + limit).map(userJson);
      return ok({ users: page, total: all.length, ...(from + limit < all.length ? { next_token: String(from + limit) } : {}) });
    }
    if ((m = path.match(/^\/_synapse\/admin\/v2\/users\/([^/]+)$/))) {
      const id = decodeURIComponent(m[1]);
      if (M === "GET") return users.has(id) ? ok(userJson(id)) : (err(res, 404, "M_NOT_FOUND", "User not found"), true);
      if (M === "PUT") {
        const created = !users.has(id);
        if (created) {
          addUser(id.slice(1).split(":")[0], body.password, body.displayname, !!body.admin);
          users.get(id).created = Date.now();
          record(me, "user.create", id);
        } else {
          const u = users.get(id);
          if (body.password) (u.password = body.password), body.logout_devices !== false && endSessions(id);
          if (body.displayname !== undefined) u.displayname = body.displayname;
          if (body.admin !== undefined) u.admin = !!body.admin;
          if (body.locked !== undefined) {
            // Like Synapse: a locked account's sessions stay, but every request answers 401 M_USER_LOCKED.
            u.locked = !!body.locked;
            bump();
          }
          record(me, "user.modify", id, { fields: Object.keys(body).filter((k) => k !== "password") });
        }
        send(res, created ? 201 : 200, userJson(id));
        return true;
      }
    }
    if ((m = path.match(/^\/_synapse\/admin\/v1\/reset_password\/([^/]+)$/)) && M === "POST") {
      const id = decodeURIComponent(m[1]);
      users.get(id).password = body.new_password;
      if (body.logout_devices !== false) endSessions(id);
      record(me, "user.reset_password", id);
      return ok();
    }
    if ((m = path.match(/^\/_synapse\/admin\/v1\/deactivate\/([^/]+)$/)) && M === "POST") {
      const id = decodeURIComponent(m[1]);
      const u = users.get(id);
      u.deactivated = true;
      if (body.erase) (u.erased = true), (u.displayname = null);
      endSessions(id);
      record(me, "user.deactivate", id, { erase: !!body.erase });
      return ok({ id_server_unbind_result: "success" });
    }
    if ((m = path.match(/^\/_synapse\/admin\/v1\/whois\/([^/]+)$/))) {
      const id = decodeURIComponent(m[1]);
      const devices = {};
      for (const s of tokens.values()) if (s.userId === id) devices[s.deviceId] = { sessions: [{ connections: s.lastSeen ? [{ ip: s.ip, last_seen: s.lastSeen, user_agent: s.ua }] : [] }] };
      return ok({ user_id: id, devices });
    }
    if ((m = path.match(/^\/_synapse\/admin\/v2\/users\/([^/]+)\/devices$/))) {
      const id = decodeURIComponent(m[1]);
      const devices = [...tokens.values()].filter((s) => s.userId === id).map((s) => ({ device_id: s.deviceId, display_name: s.name ?? null, last_seen_ip: s.ip ?? null, last_seen_ts: s.lastSeen ?? null, last_seen_user_agent: s.ua ?? null, user_id: id }));
      return ok({ devices, total: devices.length });
    }
    const dropDevice = (userId, deviceId) => {
      for (const [t, s] of tokens) if (s.userId === userId && s.deviceId === deviceId) tokens.delete(t);
    };
    if ((m = path.match(/^\/_synapse\/admin\/v2\/users\/([^/]+)\/devices\/([^/]+)$/)) && M === "DELETE") {
      dropDevice(decodeURIComponent(m[1]), decodeURIComponent(m[2]));
      bump();
      record(me, "device.delete", decodeURIComponent(m[1]), { device_id: decodeURIComponent(m[2]) });
      return ok();
    }
    if ((m = path.match(/^\/_synapse\/admin\/v2\/users\/([^/]+)\/delete_devices$/)) && M === "POST") {
      for (const d of body.devices ?? []) dropDevice(decodeURIComponent(m[1]), d);
      bump();
      return ok();
    }
    if ((m = path.match(/^\/_amtsbote\/admin\/v1\/users\/([^/]+)\/devices\/([^/]+)\/wipe$/)) && M === "POST") {
      const userId = decodeURIComponent(m[1]);
      const deviceId = decodeURIComponent(m[2]);
      const hit = [...tokens].find(([, s]) => s.userId === userId && s.deviceId === deviceId);
      if (!hit) return err(res, 404, "M_NOT_FOUND", "Unknown device"), true;
      const w = { user_id: userId, device_id: deviceId, requested_ts: Date.now(), requested_by: me, confirmed_ts: null };
      wipes.push(w);
      wiped.set(hit[0], w);
      tokens.delete(hit[0]);
      bump();
      record(me, "device.wipe", userId, { device_id: deviceId });
      return ok();
    }
    if ((m = path.match(/^\/_amtsbote\/admin\/v1\/users\/([^/]+)\/wipes$/))) {
      const userId = decodeURIComponent(m[1]);
      return ok({ wipes: wipes.filter((w) => w.user_id === userId).map(({ user_id, ...w }) => w) });
    }
    if (path === `${S}/v1/rooms`) {
      const term = (url.searchParams.get("search_term") ?? "").toLowerCase();
      const list = [...rooms.values()].map(roomJson).filter((r) => !term || (r.name ?? "").toLowerCase().includes(term) || r.room_id.toLowerCase().includes(term));
      return ok({ rooms: list, offset: 0, total_rooms: list.length });
    }
    if ((m = path.match(/^\/_synapse\/admin\/v1\/rooms\/([^/]+)$/))) {
      const room = rooms.get(decodeURIComponent(m[1]));
      return room ? ok(roomJson(room)) : (err(res, 404, "M_NOT_FOUND", "Room not found"), true);
    }
    if ((m = path.match(/^\/_synapse\/admin\/v1\/rooms\/([^/]+)\/block$/))) {
      const id = decodeURIComponent(m[1]);
      if (M === "PUT") body.block ? blocked.add(id) : blocked.delete(id);
      return ok({ block: blocked.has(id) });
    }
    if ((m = path.match(/^\/_synapse\/admin\/v1\/rooms\/([^/]+)\/members$/))) {
      const room = rooms.get(decodeURIComponent(m[1]));
      if (!room) return err(res, 404, "M_NOT_FOUND", "Room not found"), true;
      const members = [...room.state.values()].filter((e) => e.type === "m.room.member" && e.content.membership === "join").map((e) => e.state_key);
      return ok({ members, total: members.length });
    }
    if ((m = path.match(/^\/_synapse\/admin\/v2\/rooms\/([^/]+)$/)) && M === "DELETE") {
      rooms.delete(decodeURIComponent(m[1]));
      bump();
      record(me, "room.delete", decodeURIComponent(m[1]), { purge: body.purge !== false, block: !!body.block });
      return ok({ delete_id: rnd() });
    }
    if ((m = path.match(/^\/_synapse\/admin\/v2\/rooms\/delete_status\/([^/]+)$/))) return ok({ status: "complete" });
    if (path === `${S}/v1/registration_tokens`) return ok({ registration_tokens: [...regTokens.values()] });
    if (path === `${S}/v1/registration_tokens/new` && M === "POST") {
      const token = body.token ?? rnd(12).replace(/[^A-Za-z0-9]/g, "x");
      const t = { token, uses_allowed: body.uses_allowed ?? null, pending: 0, completed: 0, expiry_time: body.expiry_time ?? null };
      regTokens.set(token, t);
      record(me, "registration_token.create", token);
      return ok(t);
    }
    if ((m = path.match(/^\/_synapse\/admin\/v1\/registration_tokens\/([^/]+)$/)) && M === "DELETE") {
      if (!regTokens.delete(decodeURIComponent(m[1]))) return err(res, 404, "M_NOT_FOUND", "No such registration token"), true;
      record(me, "registration_token.delete", decodeURIComponent(m[1]));
      return ok();
    }
    if (path === `${A}/audit`) {
      const f = (k) => url.searchParams.get(k) ?? "";
      const from = url.searchParams.get("from");
      const limit = Number(f("limit") || 50);
      const list = [...audit].reverse().filter((e) => (!f("action") || e.action === f("action")) && (!f("actor") || e.actor === f("actor")) && (!f("target") || e.target === f("target")) && (!from || e.seq <= Number(from)));
      const page = list.slice(0, limit);
      return ok({ entries: page, ...(list.length > limit ? { next_from: list[limit].seq } : {}) });
    }
    if (path === `${A}/audit/verify`) return ok({ ok: true, entries: audit.length });
    if (path === `${A}/audit/export`) {
      const json = url.searchParams.get("format") === "json";
      const body = json ? JSON.stringify(audit) : ["seq,ts,actor,action,target", ...audit.map((e) => `${e.seq},${e.ts},${e.actor},${e.action},${e.target}`)].join("\n");
      send(res, 200, body, { "Content-Type": json ? "application/json" : "text/csv" });
      return true;
    }
    const noticeTxn = path.startsWith(`${A}/server_notices/`) && M === "PUT" ? `${me} ${path}` : null;
    if (noticeTxn && noticeTxns.has(noticeTxn)) return ok(noticeTxns.get(noticeTxn));
    if ((path === `${A}/server_notices` && M === "POST") || noticeTxn) {
      const targets = body.user_ids ?? [...users.keys()].filter((id) => !users.get(id).deactivated);
      record(me, "server_notice.send", null, { recipients: targets.length });
      if (noticeTxn) noticeTxns.set(noticeTxn, { sent: targets.length });
      return ok({ sent: targets.length });
    }
    // Webhooks and outgoing rules (docs/webhooks.md): the fake checks what the console explains to the admin
    // (unknown room, a person's account as bot, command and URL form) and never calls or accepts calls.
    const integration = (fields) => {
      for (const f of fields) {
        if (body[f] === undefined) return err(res, 400, "M_MISSING_PARAM", `'${f}' is required`), null;
        if (typeof body[f] !== "string") return err(res, 400, "M_BAD_JSON", `'${f}' must be a string`), null;
      }
      if (!rooms.has(body.room_id)) return err(res, 404, "M_NOT_FOUND", "Room not found"), null;
      const bot = `@${body.bot_user}:${SERVER}`;
      if (users.has(bot) && !integrationBots.has(bot)) return err(res, 400, "M_USER_IN_USE", `User ${bot} exists and is not a webhook bot`), null;
      if (!users.has(bot)) addUser(body.bot_user, rnd(), body.name);
      integrationBots.add(bot);
      return bot;
    };
    const hookJson = ({ secret, ...h }) => h;
    if (path === `${A}/webhooks` && M === "GET") return ok({ webhooks: [...webhooks.values()].map(hookJson) });
    if (path === `${A}/webhooks` && M === "POST") {
      const bot = integration(["room_id", "name", "format", "bot_user"]);
      if (!bot) return true;
      if (!["prtg", "alertmanager", "generic"].includes(body.format)) return err(res, 400, "M_INVALID_PARAM", "'format' must be prtg, alertmanager or generic"), true;
      const h = { id: rnd(), room_id: body.room_id, name: body.name, format: body.format, bot_user: bot, created_by: me, created_ts: Date.now(), secret: rnd(24) };
      webhooks.set(h.id, h);
      record(me, "webhook.create", h.id, { room_id: h.room_id, name: h.name });
      return ok({ ...hookJson(h), url: `http://${req.headers.host}/_amtsbote/hooks/v1/${h.id}/${h.secret}` });
    }
    if ((m = path.match(/^\/_amtsbote\/admin\/v1\/webhooks\/([^/]+)$/)) && M === "DELETE") {
      if (!webhooks.delete(decodeURIComponent(m[1]))) return err(res, 404, "M_NOT_FOUND", "No such webhook"), true;
      record(me, "webhook.delete", decodeURIComponent(m[1]));
      return ok();
    }
    if (path === `${A}/rules` && M === "GET") return ok({ rules: [...outgoingRules.values()] });
    if (path === `${A}/rules` && M === "POST") {
      if (body.kind !== "command" && body.kind !== "pattern") return err(res, 400, "M_INVALID_PARAM", `'kind' must be "pattern" or "command"`), true;
      const bot = integration(["room_id", "name", body.kind, "url", "bot_user"]);
      if (!bot) return true;
      if (body.kind === "command" && (!body.command || /\s/.test(body.command) || body.command.length > 50)) return err(res, 400, "M_INVALID_PARAM", "'command' must be one word of 1 to 50 characters without spaces, e.g. !ticket"), true;
      if (/^https?:\/\/(localhost|127\.|10\.|192\.168\.|\[::1\])/i.test(body.url)) return err(res, 400, "M_INVALID_PARAM", "'url' points into the server's own network, which the administrator has not allowed for outgoing rules (webhooks.outgoing_allow_internal_targets)"), true;
      if (!/^https:\/\/[^/@#]+/.test(body.url)) return err(res, 400, "M_INVALID_PARAM", "'url' must be an https:// URL (plain http only to allowed internal addresses)"), true;
      if ([...outgoingRules.values()].some((r) => r.room_id === body.room_id && r.name === body.name)) return err(res, 400, "M_INVALID_PARAM", `The room already has a rule named '${body.name}'`), true;
      const r = { id: rnd(), room_id: body.room_id, name: body.name, kind: body.kind, [body.kind]: body[body.kind], url: body.url, bot_user: bot, created_by: me, created_ts: Date.now() };
      outgoingRules.set(r.id, r);
      record(me, "rule.create", r.id, { room_id: r.room_id, name: r.name });
      return ok({ ...r, secret: rnd(30) });
    }
    if ((m = path.match(/^\/_amtsbote\/admin\/v1\/rules\/([^/]+)$/)) && M === "DELETE") {
      if (!outgoingRules.delete(decodeURIComponent(m[1]))) return err(res, 404, "M_NOT_FOUND", "No such rule"), true;
      record(me, "rule.delete", decodeURIComponent(m[1]));
      return ok();
    }
    if (path === `${A}/bots` && M === "GET") return ok({ bots: [...bots.values()] });
    if (path === `${A}/bots` && M === "POST") {
      const user_id = `@${body.username}:${SERVER}`;
      if (users.has(user_id)) return err(res, 400, "M_USER_IN_USE", "taken"), true;
      addUser(body.username, rnd(), body.displayname ?? body.username);
      const device_id = rnd(6).toUpperCase();
      bots.set(user_id, { user_id, displayname: body.displayname ?? null, created_ts: Date.now(), tokens: [{ device_id, name: body.token_name ?? "bot" }] });
      return ok({ user_id, device_id, access_token: rnd(24) });
    }
    if ((m = path.match(/^\/_amtsbote\/admin\/v1\/bots\/([^/]+)\/tokens\/([^/]+)$/)) && M === "DELETE") {
      const b = bots.get(decodeURIComponent(m[1]));
      if (b) b.tokens = b.tokens.filter((t) => t.device_id !== decodeURIComponent(m[2]));
      return ok();
    }
    err(res, 404, "M_UNRECOGNIZED", `fake admin: ${M} ${path}`);
    return true;
  }

  /** Login rules of the fake: locked and deactivated accounts cannot sign in. */
  function loginRefusal(userId) {
    const u = users.get(userId);
    if (u?.deactivated) return { status: 403, errcode: "M_USER_DEACTIVATED", error: "This account has been deactivated" };
    if (u?.locked) return { status: 401, errcode: "M_USER_LOCKED", error: "This account has been locked", soft_logout: true };
    return null;
  }

  /** Requests of a locked account: 401 M_USER_LOCKED with soft_logout (as Synapse answers). Returns true if refused. */
  function lockedAnswer(res, userId) {
    if (!users.get(userId)?.locked) return false;
    send(res, 401, { errcode: "M_USER_LOCKED", error: "This account has been locked", soft_logout: true });
    return true;
  }

  return { unauthenticated, unknownToken, admin, loginRefusal, lockedAnswer };
}
