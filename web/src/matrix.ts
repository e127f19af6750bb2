/** Everything that talks to matrix-js-sdk directly: session storage, login, media, rooms. */
import {
  ClientEvent,
  EventStatus,
  EventType,
  MatrixClient,
  Method,
  MatrixEvent,
  PendingEventOrdering,
  Preset,
  Room,
  Visibility,
  createClient,
} from "matrix-js-sdk";
import { logger as sdkLogger } from "matrix-js-sdk/lib/logger.js";
import type { SimpleEvent } from "./lib/timeline";
import { decryptAttachment, type EncryptedFile } from "./lib/attachments";
import { ENCRYPT_NEW_PRIVATE_ROOMS, cryptoCallbacks, encryptionState, initCrypto } from "./crypto";

// The SDK logs every request at debug level; keep the browser console readable.
(sdkLogger as unknown as { setLevel?: (l: string, persist?: boolean) => void }).setLevel?.("warn", false);

export interface Session {
  baseUrl: string;
  userId: string;
  accessToken: string;
  deviceId: string;
}

const SESSION_KEY = "amtsbote.session";
const NOTICE_KEY = "amtsbote.notice";

export function loadSession(): Session | null {
  try {
    const raw = localStorage.getItem(SESSION_KEY);
    if (!raw) return null;
    const s = JSON.parse(raw);
    return s && s.baseUrl && s.userId && s.accessToken ? s : null;
  } catch {
    return null;
  }
}

export function saveSession(s: Session | null): void {
  if (s) localStorage.setItem(SESSION_KEY, JSON.stringify(s));
  else localStorage.removeItem(SESSION_KEY);
}

/** A message to show on the sign-in page after a reload (e.g. "session revoked"). */
export function setNotice(key: string | null): void {
  if (key) sessionStorage.setItem(NOTICE_KEY, key);
  else sessionStorage.removeItem(NOTICE_KEY);
}
export function takeNotice(): string | null {
  const n = sessionStorage.getItem(NOTICE_KEY);
  sessionStorage.removeItem(NOTICE_KEY);
  return n;
}

export function defaultBaseUrl(): string {
  const param = new URLSearchParams(window.location.search).get("hs");
  return param || window.location.origin;
}

export async function login(baseUrl: string, username: string, password: string): Promise<Session> {
  const tmp = createClient({ baseUrl });
  const res = await tmp.loginRequest({
    type: "m.login.password",
    identifier: { type: "m.id.user", user: username.trim() },
    password,
    initial_device_display_name: "Amtsbote Web",
  });
  const base = res.well_known?.["m.homeserver"]?.base_url?.replace(/\/$/, "") || baseUrl;
  return { baseUrl: base, userId: res.user_id, accessToken: res.access_token, deviceId: res.device_id };
}

export function makeClient(s: Session): MatrixClient {
  return createClient({
    baseUrl: s.baseUrl,
    accessToken: s.accessToken,
    userId: s.userId,
    deviceId: s.deviceId,
    timelineSupport: false,
    useAuthorizationHeader: true,
    cryptoCallbacks,
    // Emoji (SAS) only: the client has no camera-based QR scanning.
    verificationMethods: ["m.sas.v1"],
  });
}

export async function startClient(client: MatrixClient): Promise<void> {
  try {
    await initCrypto(client);
  } catch (e) {
    // Without crypto the client still works for unencrypted rooms; encrypted messages show as undecryptable.
    console.error("encryption could not be started", e);
  }
  await client.startClient({ initialSyncLimit: 40, lazyLoadMembers: false, pollTimeout: 30000, pendingEventOrdering: PendingEventOrdering.Detached });
}

// ---------- media ----------

const blobCache = new Map<string, Promise<string>>();

/** Downloads (authenticated media, falling back to the legacy endpoint) and returns an object URL. */
export function mediaBlobUrl(client: MatrixClient, mxc: string, thumb?: { w: number; h: number }): Promise<string> {
  const key = `${mxc}|${thumb ? `${thumb.w}x${thumb.h}` : ""}`;
  let p = blobCache.get(key);
  if (!p) {
    p = fetchMedia(client, mxc, thumb).then((blob) => URL.createObjectURL(blob));
    blobCache.set(key, p);
    p.catch(() => blobCache.delete(key));
  }
  return p;
}

/** Downloads media (authenticated, falling back to the legacy endpoint). */
async function fetchMedia(client: MatrixClient, mxc: string, thumb?: { w: number; h: number }): Promise<Blob> {
  const authed = thumb
    ? client.mxcUrlToHttp(mxc, thumb.w, thumb.h, "scale", false, true, true)
    : client.mxcUrlToHttp(mxc, undefined, undefined, undefined, false, true, true);
  if (!authed) throw new Error("invalid mxc");
  let res = await fetch(authed, { headers: { Authorization: `Bearer ${client.getAccessToken()}` } });
  if (!res.ok && (res.status === 404 || res.status === 400) && thumb) {
    // Server without thumbnails: fall back to the full file.
    const full = client.mxcUrlToHttp(mxc, undefined, undefined, undefined, false, true, true)!;
    res = await fetch(full, { headers: { Authorization: `Bearer ${client.getAccessToken()}` } });
  }
  if (!res.ok && (res.status === 404 || res.status === 405)) {
    const legacy = client.mxcUrlToHttp(mxc, undefined, undefined, undefined, false, true, false);
    if (legacy) res = await fetch(legacy);
  }
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.blob();
}

/** Object URL for the media of a message: decrypts attachments of encrypted rooms (content.file), else content.url. */
export function contentBlobUrl(client: MatrixClient, content: Record<string, any>, thumb?: { w: number; h: number }): Promise<string> {
  const file = content.file as EncryptedFile | undefined;
  if (!file?.url) return mediaBlobUrl(client, content.url, thumb);
  const key = `enc|${file.url}`;
  let p = blobCache.get(key);
  if (!p) {
    p = (async () => {
      // Encrypted media have no server-side thumbnails: always the full (encrypted) file.
      // (Not via an object URL: the page's Content-Security-Policy does not allow fetching blob: URLs.)
      const raw = await (await fetchMedia(client, file.url)).arrayBuffer();
      const plain = await decryptAttachment(raw, file);
      return URL.createObjectURL(new Blob([plain], { type: content.info?.mimetype ?? "application/octet-stream" }));
    })();
    blobCache.set(key, p);
    p.catch(() => blobCache.delete(key));
  }
  return p;
}

let mediaConfig: Promise<number | null> | null = null;
/** The server's upload limit in bytes, or null if unknown. */
export function maxUploadBytes(client: MatrixClient): Promise<number | null> {
  if (!mediaConfig) {
    mediaConfig = client
      .getMediaConfig(true)
      .catch(() => client.getMediaConfig(false))
      .then((c) => (typeof c?.["m.upload.size"] === "number" ? c["m.upload.size"] : null))
      .catch(() => null);
  }
  return mediaConfig;
}

// ---------- rooms ----------

export function isDirect(client: MatrixClient, room: Room): boolean {
  const direct = client.getAccountData(EventType.Direct)?.getContent() ?? {};
  for (const ids of Object.values(direct)) if (Array.isArray(ids) && ids.includes(room.roomId)) return true;
  const me = room.getMember(client.getUserId()!);
  if (me?.membership === "invite" && me.events.member?.getContent().is_direct) return true;
  return false;
}

export function dmPartner(client: MatrixClient, room: Room): string | null {
  const direct = client.getAccountData(EventType.Direct)?.getContent() ?? {};
  for (const [user, ids] of Object.entries(direct)) if (Array.isArray(ids) && ids.includes(room.roomId)) return user;
  return null;
}

export async function markDirect(client: MatrixClient, userId: string, roomId: string): Promise<void> {
  const direct: Record<string, string[]> = { ...(client.getAccountData(EventType.Direct)?.getContent() ?? {}) };
  const list = new Set(direct[userId] ?? []);
  if (list.has(roomId)) return;
  list.add(roomId);
  direct[userId] = [...list];
  await client.setAccountData(EventType.Direct, direct as any);
}

/** Finds an existing DM with the user (joined or invited), or creates one. */
export async function openOrCreateDm(client: MatrixClient, userId: string): Promise<string> {
  const direct = client.getAccountData(EventType.Direct)?.getContent() ?? {};
  for (const roomId of (direct[userId] as string[] | undefined) ?? []) {
    const room = client.getRoom(roomId);
    const m = room?.getMyMembership();
    if (room && (m === "join" || m === "invite")) {
      const other = room.getMember(userId)?.membership;
      if (other === "join" || other === "invite") return roomId;
    }
  }
  const res = await client.createRoom({
    is_direct: true,
    invite: [userId],
    preset: Preset.TrustedPrivateChat,
    visibility: Visibility.Private,
    initial_state: ENCRYPT_NEW_PRIVATE_ROOMS ? [encryptionState()] : [],
  });
  await markDirect(client, userId, res.room_id);
  return res.room_id;
}

export async function createGroup(
  client: MatrixClient,
  opts: { name: string; topic?: string; invite: string[]; avatarUrl?: string },
): Promise<string> {
  const initial_state: any[] = ENCRYPT_NEW_PRIVATE_ROOMS ? [encryptionState()] : [];
  if (opts.avatarUrl) initial_state.push({ type: "m.room.avatar", state_key: "", content: { url: opts.avatarUrl } });
  const res = await client.createRoom({
    name: opts.name,
    topic: opts.topic || undefined,
    invite: opts.invite,
    preset: Preset.PrivateChat,
    visibility: Visibility.Private,
    initial_state,
  });
  return res.room_id;
}

export async function acceptInvite(client: MatrixClient, room: Room): Promise<void> {
  const me = room.getMember(client.getUserId()!);
  const isDm = me?.events.member?.getContent().is_direct;
  await client.joinRoom(room.roomId);
  if (isDm && me?.events.member) await markDirect(client, me.events.member.getSender()!, room.roomId);
}

// Rooms this session left. A server whose sync "leave" section lacks our leave event would otherwise leave the
// SDK thinking we are still joined; a later invite (membership "invite") brings the room back.
const leftRooms = new Set<string>();

/** Leaves (or declines) a room and updates the local membership at once, without waiting for sync. */
export async function leaveRoom(client: MatrixClient, room: Room): Promise<void> {
  await client.leave(room.roomId);
  leftRooms.add(room.roomId);
  if (room.getMyMembership() !== "leave") room.updateMyMembership("leave");
}

/** My membership as the UI should see it ("join", "invite", "leave", ...). */
export function myMembership(room: Room): string {
  const m = room.getMyMembership();
  if (m === "join" && leftRooms.has(room.roomId)) return "leave";
  if (m === "invite") leftRooms.delete(room.roomId);
  return m;
}

export function roomName(client: MatrixClient, room: Room): string {
  return room.name || room.roomId;
}

export function lastActivityTs(room: Room): number {
  const evs = room.getLiveTimeline().getEvents();
  for (let i = evs.length - 1; i >= 0; i--) {
    const t = evs[i].getType();
    if (t === "m.room.message" || t === "m.room.member" || t === "m.room.create" || t === "m.room.encrypted") return evs[i].getTs();
  }
  return evs.length ? evs[evs.length - 1].getTs() : 0;
}

export function lastMessage(room: Room): MatrixEvent | null {
  const evs = room.getLiveTimeline().getEvents();
  for (let i = evs.length - 1; i >= 0; i--) {
    const ev = evs[i];
    if (ev.getType() === "m.room.message" && ev.getContent()["m.relates_to"]?.rel_type !== "m.replace" && ev.getContent().msgtype !== "m.key.verification.request") return ev;
  }
  return null;
}

/** Messages from others after my read receipt (computed locally so it works without server-side push rules). */
export function unreadCount(client: MatrixClient, room: Room): { count: number; highlight: boolean } {
  const me = client.getUserId()!;
  const readUpTo = room.getEventReadUpTo(me);
  const evs = room.getLiveTimeline().getEvents();
  let count = 0;
  let highlight = false;
  const myName = room.getMember(me)?.name;
  for (let i = evs.length - 1; i >= 0; i--) {
    const ev = evs[i];
    if (ev.getId() === readUpTo) break;
    if (ev.getSender() === me) break;
    if (ev.getType() !== "m.room.message" || ev.isRedacted()) continue;
    if (ev.getContent()["m.relates_to"]?.rel_type === "m.replace") continue;
    count++;
    const body: string = ev.getContent().body ?? "";
    const mentions = ev.getContent()["m.mentions"]?.user_ids;
    if ((Array.isArray(mentions) && mentions.includes(me)) || body.includes(me) || (myName && body.includes(myName))) highlight = true;
  }
  const serverHighlight = room.getUnreadNotificationCount("highlight" as any) ?? 0;
  return { count, highlight: highlight || serverHighlight > 0 };
}

function relationOnly(content: Record<string, any>): Record<string, any> {
  return content["m.relates_to"] ? { "m.relates_to": content["m.relates_to"] } : {};
}

export function toSimple(ev: MatrixEvent): SimpleEvent {
  const status = ev.status;
  // Failed (no key on this device) or still being decrypted: a placeholder, never the SDK's English error body.
  const undecryptable = ev.isDecryptionFailure();
  const encrypted = undecryptable || ev.getType() === "m.room.encrypted";
  return {
    id: ev.getId() ?? ev.getTxnId() ?? "",
    type: encrypted ? "m.room.encrypted" : ev.getType(),
    undecryptable: undecryptable || undefined,
    sender: ev.getSender() ?? "",
    ts: ev.getTs(),
    // Relations of encrypted events are in cleartext: keep them so edits and reactions are not shown as messages.
    content: encrypted ? relationOnly(ev.getWireContent()) : ev.getOriginalContent(),
    redacted: ev.isRedacted(),
    stateKey: ev.getStateKey(),
    prevContent: ev.getPrevContent(),
    redacts: ev.event.redacts ?? (ev.getContent().redacts as string | undefined),
    status:
      status === EventStatus.NOT_SENT
        ? "failed"
        : status === EventStatus.SENDING || status === EventStatus.QUEUED || status === EventStatus.ENCRYPTING
          ? "sending"
          : status === EventStatus.SENT
            ? "sent"
            : null,
  };
}

/** Events of the live timeline plus our pending (unsent / failed) events at the end. */
export function roomEvents(room: Room): MatrixEvent[] {
  return [...room.getLiveTimeline().getEvents(), ...room.getPendingEvents()];
}

function powerLevelsContent(room: Room): Record<string, any> | null {
  return room.currentState.getStateEvents(EventType.RoomPowerLevels, "")?.getContent() ?? null;
}

/**
 * Room version 12 (and later) makes the room's creators privileged: they have infinite power and are not listed in
 * m.room.power_levels. matrix-js-sdk 37 does not know this yet, so power levels are computed here.
 */
export function isPrivilegedCreator(room: Room, userId: string): boolean {
  const create = room.currentState.getStateEvents(EventType.RoomCreate, "");
  if (!create) return false;
  const version = String(create.getContent().room_version ?? "1");
  const privileged = /^\d+$/.test(version) ? Number(version) >= 12 : version.includes("hydra");
  if (!privileged) return false;
  const extra = create.getContent().additional_creators;
  return create.getSender() === userId || (Array.isArray(extra) && extra.includes(userId));
}

export function powerLevel(room: Room, userId: string): number {
  if (isPrivilegedCreator(room, userId)) return Infinity;
  const pl = powerLevelsContent(room);
  if (!pl) return room.currentState.getStateEvents(EventType.RoomCreate, "")?.getSender() === userId ? 100 : 0;
  const v = pl.users?.[userId] ?? pl.users_default ?? 0;
  return typeof v === "number" ? v : Number(v) || 0;
}

/** The power level needed for an action or to send a state event type. */
export function requiredLevel(room: Room, what: "invite" | "kick" | "ban" | "redact" | { state: string }): number {
  const pl = powerLevelsContent(room);
  if (typeof what === "object") {
    if (!pl) return 0;
    return pl.events?.[what.state] ?? pl.state_default ?? 50;
  }
  const defaults = { invite: 0, kick: 50, ban: 50, redact: 50 };
  return pl?.[what] ?? defaults[what];
}

export function mayDo(room: Room, userId: string, what: Parameters<typeof requiredLevel>[1]): boolean {
  return powerLevel(room, userId) >= requiredLevel(room, what);
}

export function onceSynced(client: MatrixClient): Promise<void> {
  return new Promise((resolve) => {
    if (client.isInitialSyncComplete()) return resolve();
    const h = (state: string) => {
      if (state === "PREPARED" || state === "SYNCING") {
        client.off(ClientEvent.Sync, h);
        resolve();
      }
    };
    client.on(ClientEvent.Sync, h);
  });
}

/**
 * Sends a room state event. For the empty state key it uses the path without the trailing slash (both forms are
 * valid per spec; matrix-js-sdk always sends the slash, which some servers do not route).
 */
export async function sendState(client: MatrixClient, roomId: string, type: string, content: Record<string, any>, stateKey = ""): Promise<void> {
  if (stateKey !== "") {
    await client.sendStateEvent(roomId, type as any, content as any, stateKey);
    return;
  }
  const path = `/rooms/${encodeURIComponent(roomId)}/state/${encodeURIComponent(type)}`;
  await client.http.authedRequest(Method.Put, path, undefined, content);
}

export function errorMessage(err: unknown): string {
  const e = err as any;
  return e?.data?.error || e?.message || String(err);
}
