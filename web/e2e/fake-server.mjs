// A small in-memory Matrix homeserver, only for developing the web client while the real server is being written.
// It implements just the client-server API subset the client uses. NOT used by the real e2e run (which needs
// AMTSBOTE_URL pointing at the real Amtsbote server). Usage: node e2e/fake-server.mjs [port]
import http from "node:http";
import { readFileSync, existsSync, statSync } from "node:fs";
import { join, extname } from "node:path";
import { randomBytes } from "node:crypto";
import { fakeAdmin } from "./fake-admin.mjs";

const PORT = Number(process.argv[2] ?? process.env.PORT ?? 8448);
const SERVER = "localhost";
const DIST = new URL("../dist/", import.meta.url).pathname;
const MAX_UPLOAD = Number(process.env.FAKE_MAX_UPLOAD ?? 5 * 1024 * 1024);
const rnd = (n = 9) => randomBytes(n).toString("base64url");

const users = new Map(); // userId -> {password, displayname, avatar_url, admin}
const tokens = new Map(); // token -> {userId, deviceId}
const rooms = new Map(); // roomId -> room
const accountData = new Map(); // userId -> Map(type -> {content, pos})
const media = new Map();
const txns = new Map(); // token|txn -> event_id
let pos = 1;
let waiters = [];
function bump() {
  pos++;
  const w = waiters;
  waiters = [];
  w.forEach((f) => f());
}

function addUser(localpart, password, displayname, admin = false) {
  const id = `@${localpart}:${SERVER}`;
  users.set(id, { password, displayname: displayname ?? localpart, avatar_url: undefined, admin });
  return id;
}
addUser(process.env.AMTSBOTE_ADMIN_USER ?? "admin", process.env.AMTSBOTE_ADMIN_PASSWORD ?? "admin", "Admin", true);

function newRoom() {
  const id = `!${rnd()}:${SERVER}`;
  const room = { id, events: [], state: new Map(), typing: new Map(), typingPos: 0, receipts: {}, receiptPos: 0 };
  rooms.set(id, room);
  return room;
}
function addEvent(room, ev, txn) {
  bump();
  const full = { event_id: `$${rnd(12)}`, origin_server_ts: Date.now(), room_id: room.id, unsigned: {}, ...ev, pos };
  if (txn) full._txn = txn;
  if (full.state_key !== undefined) {
    const prev = room.state.get(`${full.type}|${full.state_key}`);
    if (prev) {
      full.unsigned.prev_content = prev.content;
      full.unsigned.replaces_state = prev.event_id;
    }
    room.state.set(`${full.type}|${full.state_key}`, full);
  }
  room.events.push(full);
  return full;
}
const stateContent = (room, type, key = "") => room.state.get(`${type}|${key}`)?.content;
const membership = (room, user) => stateContent(room, "m.room.member", user)?.membership;
function memberPos(room, user) {
  return room.state.get(`m.room.member|${user}`)?.pos ?? 0;
}
function powerOf(room, user) {
  const pl = stateContent(room, "m.room.power_levels") ?? {};
  return pl.users?.[user] ?? pl.users_default ?? 0;
}
function clientEvent(ev, forUser) {
  const { pos: _p, _txn, ...rest } = ev;
  const out = { ...rest, unsigned: { ...rest.unsigned, age: Date.now() - ev.origin_server_ts } };
  if (_txn && ev.sender === forUser) out.unsigned.transaction_id = _txn;
  return out;
}
function setAccountData(user, type, content) {
  bump();
  if (!accountData.has(user)) accountData.set(user, new Map());
  accountData.get(user).set(type, { content, pos });
}

function buildSync(user, since) {
  const res = { next_batch: String(pos), rooms: { join: {}, invite: {}, leave: {} }, account_data: { events: [] }, presence: { events: [] } };
  let changed = false;
  for (const room of rooms.values()) {
    const m = membership(room, user);
    const mpos = memberPos(room, user);
    if (m === "join") {
      const fresh = since === null || mpos > since;
      let timeline;
      let limited = false;
      if (fresh) {
        timeline = room.events.slice(-30);
        limited = room.events.length > 30;
      } else timeline = room.events.filter((e) => e.pos > since);
      const tIds = new Set(timeline.map((e) => e.event_id));
      const state = fresh ? [...room.state.values()].filter((e) => !tIds.has(e.event_id)) : [];
      const ephemeral = [];
      if (fresh || room.typingPos > since) {
        const now = Date.now();
        ephemeral.push({ type: "m.typing", content: { user_ids: [...room.typing].filter(([, exp]) => exp > now).map(([u]) => u) } });
      }
      if ((fresh || room.receiptPos > since) && Object.keys(room.receipts).length) ephemeral.push({ type: "m.receipt", content: room.receipts });
      if (fresh || timeline.length || ephemeral.length) {
        changed = true;
        const first = timeline[0];
        res.rooms.join[room.id] = {
          timeline: { events: timeline.map((e) => clientEvent(e, user)), limited, prev_batch: first ? `p${first.pos}` : `p${pos}` },
          state: { events: state.map((e) => clientEvent(e, user)) },
          ephemeral: { events: ephemeral },
          account_data: { events: [] },
          unread_notifications: {},
        };
      }
    } else if (m === "invite" && (since === null || mpos > since)) {
      changed = true;
      const strip = (e) => ({ type: e.type, state_key: e.state_key, content: e.content, sender: e.sender });
      const invState = ["m.room.create", "m.room.name", "m.room.avatar", "m.room.join_rules", "m.room.topic"]
        .map((t) => room.state.get(`${t}|`))
        .filter(Boolean)
        .map(strip);
      const me = room.state.get(`m.room.member|${user}`);
      const inviter = room.state.get(`m.room.member|${me.sender}`);
      if (inviter) invState.push(strip(inviter));
      invState.push({ ...strip(me), event_id: me.event_id, origin_server_ts: me.origin_server_ts });
      res.rooms.invite[room.id] = { invite_state: { events: invState } };
    } else if ((m === "leave" || m === "ban") && since !== null && mpos > since) {
      changed = true;
      const tl = room.events.filter((e) => e.pos > since && e.pos <= mpos);
      res.rooms.leave[room.id] = { timeline: { events: tl.map((e) => clientEvent(e, user)), limited: false }, state: { events: [] } };
    }
  }
  for (const [type, { content, pos: p }] of accountData.get(user) ?? []) {
    if (since === null || p > since) {
      res.account_data.events.push({ type, content });
      changed = true;
    }
  }
  return { res, changed };
}

function send(res, status, body, headers = {}) {
  const data = typeof body === "string" || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": typeof body === "object" && !Buffer.isBuffer(body) ? "application/json" : "application/octet-stream",
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Headers": "*",
    "Access-Control-Allow-Methods": "GET, POST, PUT, DELETE, OPTIONS",
    ...headers,
  });
  res.end(data);
}
const err = (res, status, errcode, error) => send(res, status, { errcode, error });
const readBody = (req) =>
  new Promise((resolve) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
  });

const MIME = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png", ".webmanifest": "application/manifest+json", ".wasm": "application/wasm", ".json": "application/json" };
function serveStatic(req, res, path) {
  let file = join(DIST, decodeURIComponent(path));
  if (!file.startsWith(DIST) || !existsSync(file) || statSync(file).isDirectory()) file = join(DIST, "index.html");
  if (!existsSync(file)) return send(res, 404, "client not built");
  send(res, 200, readFileSync(file), { "Content-Type": MIME[extname(file)] ?? "application/octet-stream", "Cache-Control": "no-cache" });
}

// Development fake of the admin APIs (see fake-admin.mjs).
const admin = fakeAdmin({ users, tokens, rooms, addUser, send, err, bump, SERVER, stateContent });

function createRoomFor(user, body) {
  const room = newRoom();
  addEvent(room, { type: "m.room.create", state_key: "", sender: user, content: { creator: user, room_version: "10" } });
  addEvent(room, { type: "m.room.member", state_key: user, sender: user, content: { membership: "join", displayname: users.get(user)?.displayname } });
  const plUsers = { [user]: 100 };
  if (body.preset === "trusted_private_chat") for (const i of body.invite ?? []) plUsers[i] = 100;
  addEvent(room, { type: "m.room.power_levels", state_key: "", sender: user, content: { users: plUsers, users_default: 0, events_default: 0, state_default: 50, ban: 50, kick: 50, redact: 50, invite: 0, events: {} } });
  addEvent(room, { type: "m.room.join_rules", state_key: "", sender: user, content: { join_rule: "invite" } });
  addEvent(room, { type: "m.room.history_visibility", state_key: "", sender: user, content: { history_visibility: "shared" } });
  for (const s of body.initial_state ?? []) addEvent(room, { type: s.type, state_key: s.state_key ?? "", sender: user, content: s.content });
  if (body.name) addEvent(room, { type: "m.room.name", state_key: "", sender: user, content: { name: body.name } });
  if (body.topic) addEvent(room, { type: "m.room.topic", state_key: "", sender: user, content: { topic: body.topic } });
  for (const i of body.invite ?? []) addEvent(room, { type: "m.room.member", state_key: i, sender: user, content: { membership: "invite", is_direct: !!body.is_direct, displayname: users.get(i)?.displayname } });
  return room;
}

async function handle(req, res) {
  const url = new URL(req.url, `http://${req.headers.host}`);
  const path = url.pathname;
  if (req.method === "OPTIONS") return send(res, 204, "");
  if (!path.startsWith("/_matrix/") && !path.startsWith("/_amtsbote/") && !path.startsWith("/_synapse/")) return serveStatic(req, res, path);
  const raw = await readBody(req);
  let body = {};
  if (raw.length && (req.headers["content-type"] ?? "").includes("json")) {
    try {
      body = JSON.parse(raw.toString());
    } catch {
      return err(res, 400, "M_NOT_JSON", "bad json");
    }
  }
  if (admin.unauthenticated(req, res, path, url, body)) return;
  const p = path.replace(/^\/_matrix\/client\/(v3|r0|v1)/, "/C");
  if (path === "/_matrix/client/versions") return send(res, 200, { versions: ["v1.1", "v1.5", "v1.9", "v1.11"], unstable_features: {} });
  if (p === "/C/login" && req.method === "GET") return send(res, 200, { flows: [{ type: "m.login.password" }] });
  if (p === "/C/login") {
    const localpart = body.identifier?.user ?? body.user ?? "";
    const uid = localpart.startsWith("@") ? localpart : `@${localpart}:${SERVER}`;
    const u = users.get(uid);
    if (!u || u.password !== body.password) return err(res, 403, "M_FORBIDDEN", "Invalid username or password");
    const refused = admin.loginRefusal(uid);
    if (refused) return send(res, refused.status, refused);
    const token = rnd(24);
    const deviceId = rnd(6).toUpperCase();
    tokens.set(token, { userId: uid, deviceId, name: body.initial_device_display_name });
    return send(res, 200, { user_id: uid, access_token: token, device_id: deviceId });
  }
  if (path === "/_matrix/client/v1/media/config" || path === "/_matrix/media/v3/config") return send(res, 200, { "m.upload.size": MAX_UPLOAD });

  const auth = (req.headers.authorization ?? "").replace(/^Bearer /, "") || url.searchParams.get("access_token");
  const session = tokens.get(auth);
  if (!session) return admin.unknownToken(res, auth);
  Object.assign(session, { lastSeen: Date.now(), ip: req.socket.remoteAddress, ua: req.headers["user-agent"] });
  const me = session.userId;
  if (admin.lockedAnswer(res, me)) return;
  let m;
  if (admin.admin(req, res, path, url, body, me)) return;

  if (path === "/_amtsbote/admin/v1/users" && req.method === "POST") {
    if (!users.get(me)?.admin) return err(res, 403, "M_FORBIDDEN", "not admin");
    const id = `@${body.username}:${SERVER}`;
    if (users.has(id)) return err(res, 400, "M_USER_IN_USE", "taken");
    addUser(body.username, body.password, body.displayname, !!body.admin);
    return send(res, 200, { user_id: id });
  }
  if (path === "/_matrix/media/v3/upload" && req.method === "POST") {
    if (raw.length > MAX_UPLOAD) return err(res, 413, "M_TOO_LARGE", "too large");
    const id = rnd(12);
    media.set(id, { data: raw, type: req.headers["content-type"] ?? "application/octet-stream", name: url.searchParams.get("filename") });
    return send(res, 200, { content_uri: `mxc://${SERVER}/${id}` });
  }
  if ((m = path.match(/^\/_matrix\/client\/v1\/media\/(download|thumbnail)\/[^/]+\/([^/?]+)/))) {
    const f = media.get(m[2]);
    if (!f) return err(res, 404, "M_NOT_FOUND", "no media");
    return send(res, 200, f.data, { "Content-Type": f.type });
  }
  if (p === "/C/logout") {
    tokens.delete(auth);
    return send(res, 200, {});
  }
  if (p === "/C/account/whoami") return send(res, 200, { user_id: me, device_id: session.deviceId });
  if (p === "/C/capabilities") return send(res, 200, { capabilities: {} });
  if (p === "/C/pushrules/") return send(res, 200, { global: { override: [], content: [], room: [], sender: [], underride: [] } });
  if ((m = p.match(/^\/C\/user\/[^/]+\/filter(\/.*)?$/))) return send(res, 200, req.method === "POST" ? { filter_id: "1" } : {});
  if ((m = p.match(/^\/C\/user\/([^/]+)\/account_data\/([^/]+)$/))) {
    if (req.method === "PUT") {
      setAccountData(me, decodeURIComponent(m[2]), body);
      return send(res, 200, {});
    }
    const d = accountData.get(me)?.get(decodeURIComponent(m[2]));
    return d ? send(res, 200, d.content) : err(res, 404, "M_NOT_FOUND", "none");
  }
  if (p === "/C/sync") {
    const sinceParam = url.searchParams.get("since");
    const since = sinceParam ? Number(sinceParam) : null;
    const timeout = Math.min(Number(url.searchParams.get("timeout") ?? 0), 30000);
    let { res: out, changed } = buildSync(me, since);
    if (!changed && since !== null && timeout > 0) {
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, timeout);
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      if (!tokens.has(auth)) return admin.unknownToken(res, auth);
      out = buildSync(me, since).res;
    }
    return send(res, 200, out);
  }
  if ((m = p.match(/^\/C\/profile\/([^/]+)(\/(displayname|avatar_url))?$/))) {
    const uid = decodeURIComponent(m[1]);
    const u = users.get(uid);
    if (!u) return err(res, 404, "M_NOT_FOUND", "no such user");
    if (req.method === "PUT") {
      if (uid !== me) return err(res, 403, "M_FORBIDDEN", "not yours");
      if (m[3] === "displayname") u.displayname = body.displayname;
      if (m[3] === "avatar_url") u.avatar_url = body.avatar_url;
      for (const room of rooms.values())
        if (membership(room, me) === "join") addEvent(room, { type: "m.room.member", state_key: me, sender: me, content: { ...stateContent(room, "m.room.member", me), displayname: u.displayname, avatar_url: u.avatar_url } });
      return send(res, 200, {});
    }
    return send(res, 200, { displayname: u.displayname, avatar_url: u.avatar_url });
  }
  if (p === "/C/user_directory/search") {
    const term = String(body.search_term ?? "").toLowerCase();
    const results = [...users.entries()]
      .filter(([id, u]) => id.toLowerCase().includes(term) || (u.displayname ?? "").toLowerCase().includes(term))
      .slice(0, body.limit ?? 10)
      .map(([id, u]) => ({ user_id: id, display_name: u.displayname, avatar_url: u.avatar_url }));
    return send(res, 200, { results, limited: false });
  }
  if (p === "/C/createRoom") {
    const room = createRoomFor(me, body);
    return send(res, 200, { room_id: room.id });
  }
  if ((m = p.match(/^\/C\/(?:rooms|join)\/([^/]+)(?:\/join)?$/)) && req.method === "POST" && (p.endsWith("/join") || p.startsWith("/C/join/"))) {
    const room = rooms.get(decodeURIComponent(m[1]));
    if (!room) return err(res, 404, "M_NOT_FOUND", "no room");
    if (membership(room, me) !== "invite" && membership(room, me) !== "join") return err(res, 403, "M_FORBIDDEN", "not invited");
    addEvent(room, { type: "m.room.member", state_key: me, sender: me, content: { membership: "join", displayname: users.get(me)?.displayname, avatar_url: users.get(me)?.avatar_url } });
    return send(res, 200, { room_id: room.id });
  }
  if ((m = p.match(/^\/C\/rooms\/([^/]+)\/(.*)$/))) {
    const room = rooms.get(decodeURIComponent(m[1]));
    if (!room) return err(res, 404, "M_NOT_FOUND", "no room");
    const rest = m[2];
    const mine = membership(room, me);
    if (rest === "leave") {
      if (!mine || mine === "leave") return err(res, 403, "M_FORBIDDEN", "not in room");
      addEvent(room, { type: "m.room.member", state_key: me, sender: me, content: { membership: "leave" } });
      return send(res, 200, {});
    }
    if (mine !== "join") return err(res, 403, "M_FORBIDDEN", "You are not in this room");
    const pl = stateContent(room, "m.room.power_levels") ?? {};
    let mm;
    if (rest === "invite" || rest === "kick") {
      const target = body.user_id;
      if (rest === "invite") {
        if (powerOf(room, me) < (pl.invite ?? 0)) return err(res, 403, "M_FORBIDDEN", "no invite permission");
        if (membership(room, target) === "join") return err(res, 403, "M_FORBIDDEN", "already joined");
        addEvent(room, { type: "m.room.member", state_key: target, sender: me, content: { membership: "invite", displayname: users.get(target)?.displayname } });
      } else {
        if (powerOf(room, me) < (pl.kick ?? 50) || powerOf(room, me) <= powerOf(room, target)) return err(res, 403, "M_FORBIDDEN", "no kick permission");
        addEvent(room, { type: "m.room.member", state_key: target, sender: me, content: { membership: "leave", reason: body.reason } });
      }
      return send(res, 200, {});
    }
    if ((mm = rest.match(/^send\/([^/]+)\/([^/]+)$/))) {
      const key = `${auth}|${mm[2]}`;
      if (txns.has(key)) return send(res, 200, { event_id: txns.get(key) });
      const ev = addEvent(room, { type: decodeURIComponent(mm[1]), sender: me, content: body }, decodeURIComponent(mm[2]));
      txns.set(key, ev.event_id);
      return send(res, 200, { event_id: ev.event_id });
    }
    if ((mm = rest.match(/^redact\/([^/]+)\/([^/]+)$/))) {
      const targetId = decodeURIComponent(mm[1]);
      const target = room.events.find((e) => e.event_id === targetId);
      if (!target) return err(res, 404, "M_NOT_FOUND", "no event");
      if (target.sender !== me && powerOf(room, me) < (pl.redact ?? 50)) return err(res, 403, "M_FORBIDDEN", "cannot redact");
      const ev = addEvent(room, { type: "m.room.redaction", sender: me, redacts: targetId, content: { redacts: targetId, ...body } }, decodeURIComponent(mm[2]));
      target.content = {};
      target.unsigned = { ...target.unsigned, redacted_because: clientEvent(ev, null) };
      return send(res, 200, { event_id: ev.event_id });
    }
    if ((mm = rest.match(/^state\/([^/]+)(?:\/(.*))?$/))) {
      const type = decodeURIComponent(mm[1]);
      const key = decodeURIComponent(mm[2] ?? "");
      if (req.method === "PUT") {
        const needed = pl.events?.[type] ?? pl.state_default ?? 50;
        if (powerOf(room, me) < needed) return err(res, 403, "M_FORBIDDEN", "insufficient power level");
        const ev = addEvent(room, { type, state_key: key, sender: me, content: body });
        return send(res, 200, { event_id: ev.event_id });
      }
      const c = stateContent(room, type, key);
      return c ? send(res, 200, c) : err(res, 404, "M_NOT_FOUND", "no state");
    }
    if (rest === "state") return send(res, 200, [...room.state.values()].map((e) => clientEvent(e, me)));
    if (rest === "members") return send(res, 200, { chunk: [...room.state.values()].filter((e) => e.type === "m.room.member").map((e) => clientEvent(e, me)) });
    if (rest === "joined_members") {
      const joined = {};
      for (const e of room.state.values()) if (e.type === "m.room.member" && e.content.membership === "join") joined[e.state_key] = { display_name: e.content.displayname, avatar_url: e.content.avatar_url };
      return send(res, 200, { joined });
    }
    if (rest === "messages") {
      const from = url.searchParams.get("from");
      const limit = Math.min(Number(url.searchParams.get("limit") ?? 10), 100);
      const fromPos = from?.startsWith("p") ? Number(from.slice(1)) : pos + 1;
      const older = room.events.filter((e) => e.pos < fromPos).slice(-limit).reverse();
      const last = older[older.length - 1];
      const more = last && room.events[0].pos < last.pos;
      return send(res, 200, { chunk: older.map((e) => clientEvent(e, me)), start: from, ...(more ? { end: `p${last.pos}` } : {}), state: [] });
    }
    if ((mm = rest.match(/^receipt\/([^/]+)\/([^/]+)$/))) {
      const evId = decodeURIComponent(mm[2]);
      for (const [id, types] of Object.entries(room.receipts)) if (types["m.read"]?.[me]) delete types["m.read"][me], Object.keys(types["m.read"]).length || delete room.receipts[id];
      room.receipts[evId] = room.receipts[evId] ?? { "m.read": {} };
      room.receipts[evId]["m.read"][me] = { ts: Date.now() };
      bump();
      room.receiptPos = pos;
      return send(res, 200, {});
    }
    if (rest === "read_markers") return send(res, 200, {});
    if ((mm = rest.match(/^typing\/(.+)$/))) {
      if (body.typing) room.typing.set(me, Date.now() + (body.timeout ?? 30000));
      else room.typing.delete(me);
      bump();
      room.typingPos = pos;
      return send(res, 200, {});
    }
  }
  return err(res, 404, "M_UNRECOGNIZED", `Unrecognized request ${req.method} ${path}`);
}

http
  .createServer((req, res) =>
    handle(req, res).catch((e) => {
      console.error(e);
      err(res, 500, "M_UNKNOWN", String(e));
    }),
  )
  .listen(PORT, "127.0.0.1", () => console.log(`fake Matrix server on http://127.0.0.1:${PORT}`));
