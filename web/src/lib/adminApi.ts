/**
 * Typed calls of the admin console: Synapse's admin API subset (/_synapse/admin, field names as in Synapse's
 * documentation) and Amtsbote's own admin API (/_amtsbote/admin/v1). Errors become AdminError with the
 * Matrix errcode; a 401 M_UNKNOWN_TOKEN goes to the wipe handler like every other request of the client.
 */
import { reportAuthError } from "./wipe";

export class AdminError extends Error {
  constructor(
    readonly status: number,
    readonly errcode: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = "AdminError";
  }
}

/**
 * A fresh transaction id for an idempotent admin request: 128 random bits, hex. getRandomValues (not
 * randomUUID) because the console may be served over plain HTTP inside the office network.
 */
export function newTxnId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

const SYN = "/_synapse/admin";
const AMT = "/_amtsbote/admin/v1";
const enc = encodeURIComponent;

// ---------- response types ----------

export interface UserSummary {
  name: string;
  displayname?: string | null;
  admin: boolean | number;
  deactivated: boolean | number;
  locked?: boolean;
  is_guest?: boolean | number;
  creation_ts?: number;
  last_seen_ts?: number | null;
  erased?: boolean;
}
export interface UserList {
  users: UserSummary[];
  next_token?: string | number;
  total: number;
}
export interface UserDetails extends UserSummary {
  avatar_url?: string | null;
  threepids?: { medium: string; address: string }[];
}
export interface UserChanges {
  password?: string;
  logout_devices?: boolean;
  displayname?: string;
  admin?: boolean;
  deactivated?: boolean;
  locked?: boolean;
}
export interface Device {
  device_id: string;
  display_name?: string | null;
  last_seen_ip?: string | null;
  last_seen_ts?: number | null;
  last_seen_user_agent?: string | null;
  user_id?: string;
}
export interface Connection {
  ip: string;
  last_seen: number;
  user_agent: string;
}
export interface Whois {
  user_id: string;
  devices: Record<string, { sessions: { connections: Connection[] }[] }>;
}
export interface Wipe {
  device_id: string;
  requested_ts: number;
  requested_by: string;
  confirmed_ts: number | null;
}
export interface RoomSummary {
  room_id: string;
  name?: string | null;
  canonical_alias?: string | null;
  joined_members: number;
  joined_local_members?: number;
  encryption?: string | null;
  creator?: string;
  public?: boolean;
  state_events?: number;
  version?: string;
}
export interface RoomList {
  rooms: RoomSummary[];
  offset: number;
  total_rooms: number;
  next_batch?: number | string;
}
export interface RoomDetails extends RoomSummary {
  topic?: string | null;
}
export interface RoomDeletion {
  block?: boolean;
  purge?: boolean;
  message?: string;
}
export interface RegistrationToken {
  token: string;
  uses_allowed: number | null;
  pending: number;
  completed: number;
  expiry_time: number | null;
}
export interface AuditEntry {
  seq: number;
  ts: number;
  actor: string;
  ip?: string | null;
  action: string;
  target?: string | null;
  details?: unknown;
  prev_hash: string;
  hash: string;
}
export interface AuditPage {
  entries: AuditEntry[];
  next_from?: number;
}
export interface AuditFilter {
  action?: string;
  actor?: string;
  target?: string;
}
export type AuditVerify = { ok: true; entries: number } | { ok: false; entries: number; first_broken_seq: number; reason: string };
export interface LdapStatus {
  enabled: boolean;
  last_sync_ts?: number | null;
  last_result?: Record<string, unknown> | null;
}
export interface ServerStatus {
  server_name: string;
  version: string;
  uptime_ms: number;
  database: "sqlite" | "postgresql" | string;
  users: number;
  rooms: number;
  ldap: LdapStatus | null;
}
export interface Webhook {
  id: string;
  room_id: string;
  name: string;
  format: string;
  bot_user: string;
  created_by: string;
  created_ts: number;
  url?: string;
}
/** An outgoing rule as the server lists it (never with its secret). */
export interface OutgoingRule {
  id: string;
  room_id: string;
  name: string;
  kind: RuleKind;
  /** Set for kind "command": the first word that triggers the rule, e.g. "!ticket". */
  command?: string;
  /** Set for kind "pattern": a Java regular expression found anywhere in the message text. */
  pattern?: string;
  url: string;
  bot_user: string;
  created_by: string;
  created_ts: number;
}
export type RuleKind = "command" | "pattern";
/** The answer to creating a rule: the only time the signing secret is shown. */
export interface CreatedRule extends OutgoingRule {
  secret: string;
}
/** What the console's form collects; `trigger` is the command or the pattern, depending on kind. */
export interface NewRule {
  room_id: string;
  name: string;
  kind: RuleKind;
  trigger: string;
  url: string;
  bot_user: string;
}
export interface Bot {
  user_id: string;
  displayname?: string | null;
  created_ts: number;
  tokens: { device_id: string; name?: string | null; last_seen_ts?: number }[];
}
export interface IssuedToken {
  user_id: string;
  device_id: string;
  access_token: string;
}

/** Builds a query string from the defined, non-empty values. */
export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : "";
}

/** The invite link for a registration token: opens the web client's sign-up page. */
export function inviteLink(origin: string, token: string): string {
  return `${origin.replace(/\/$/, "")}/#/register?token=${enc(token)}`;
}

/** Full Matrix user ID from what an admin typed: "anna" → "@anna:server", "@anna:server" stays. */
export function toUserId(input: string, serverName: string): string {
  const s = input.trim();
  if (s.startsWith("@")) return s;
  return `@${s.toLowerCase()}:${serverName}`;
}

/** Last-seen information per device, from whois (IP, client) merged into the device list. */
export function mergeWhois(devices: Device[], whois: Whois | null): (Device & { connections: Connection[] })[] {
  return devices.map((d) => {
    const sessions = whois?.devices?.[d.device_id]?.sessions ?? [];
    const connections = sessions.flatMap((s) => s.connections ?? []).sort((a, b) => b.last_seen - a.last_seen);
    return { ...d, connections };
  });
}

/** The request body for POST /rules: the trigger goes into `command` or `pattern`, as the server expects. */
export function ruleBody(r: NewRule): Record<string, string> {
  const { trigger, ...rest } = r;
  return { ...rest, [r.kind === "command" ? "command" : "pattern"]: trigger };
}

/** What triggers a rule: its command or its pattern. */
export const ruleTrigger = (r: OutgoingRule) => (r.kind === "command" ? r.command : r.pattern) ?? "";

export class AdminApi {
  constructor(
    readonly baseUrl: string,
    private readonly accessToken: string,
    private readonly fetchFn: Fetch = (i, init) => fetch(i, init),
  ) {}

  /** One request; JSON in and out. Throws AdminError for every non-2xx answer. */
  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.raw(method, path, body);
    const text = await res.text();
    try {
      return (text ? JSON.parse(text) : {}) as T;
    } catch {
      // Not JSON (e.g. the web client's own page from a server without this endpoint): not offered here.
      throw new AdminError(res.status, "M_UNRECOGNIZED", `not a JSON answer from ${path}`);
    }
  }

  /** A request whose answer is a file (audit export). */
  async download(path: string): Promise<Blob> {
    return (await this.raw("GET", path)).blob();
  }

  private async raw(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { Authorization: `Bearer ${this.accessToken}` };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const res = await this.fetchFn(this.baseUrl + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (res.ok) return res;
    let err: { errcode?: string; error?: string; soft_logout?: boolean } = {};
    try {
      err = await res.json();
    } catch {
      /* not JSON: keep the status */
    }
    reportAuthError(res.status, err);
    throw new AdminError(res.status, err.errcode, err.error ?? `HTTP ${res.status}`);
  }

  // ----- who may use the console -----
  status = () => this.request<ServerStatus>("GET", `${AMT}/status`);
  /** Whether the signed-in user is a server admin: /status answers 200 for admins, 403 otherwise. */
  async isAdmin(): Promise<boolean> {
    try {
      await this.status();
      return true;
    } catch (e) {
      if (e instanceof AdminError && (e.status === 403 || e.status === 404 || e.status === 401)) return false;
      throw e;
    }
  }
  serverVersion = () => this.request<{ server_version: string }>("GET", `${SYN}/v1/server_version`);

  // ----- users (Synapse admin API) -----
  listUsers = (opts: { name?: string; from?: string; limit?: number; deactivated?: boolean; locked?: boolean }) =>
    this.request<UserList>("GET", `${SYN}/v2/users${query({ name: opts.name, from: opts.from, limit: opts.limit ?? 50, deactivated: opts.deactivated ?? true, locked: opts.locked ?? true, guests: false })}`);
  getUser = (userId: string) => this.request<UserDetails>("GET", `${SYN}/v2/users/${enc(userId)}`);
  /** Creates (201) or changes (200) an account. */
  putUser = (userId: string, changes: UserChanges) => this.request<UserDetails>("PUT", `${SYN}/v2/users/${enc(userId)}`, changes);
  resetPassword = (userId: string, newPassword: string, logoutDevices = true) =>
    this.request<{}>("POST", `${SYN}/v1/reset_password/${enc(userId)}`, { new_password: newPassword, logout_devices: logoutDevices });
  deactivate = (userId: string, erase: boolean) => this.request<{ id_server_unbind_result?: string }>("POST", `${SYN}/v1/deactivate/${enc(userId)}`, { erase });
  whois = (userId: string) => this.request<Whois>("GET", `${SYN}/v1/whois/${enc(userId)}`);

  // ----- devices -----
  listDevices = (userId: string) => this.request<{ devices: Device[]; total: number }>("GET", `${SYN}/v2/users/${enc(userId)}/devices`);
  deleteDevice = (userId: string, deviceId: string) => this.request<{}>("DELETE", `${SYN}/v2/users/${enc(userId)}/devices/${enc(deviceId)}`);
  deleteDevices = (userId: string, deviceIds: string[]) => this.request<{}>("POST", `${SYN}/v2/users/${enc(userId)}/delete_devices`, { devices: deviceIds });
  wipeDevice = (userId: string, deviceId: string) => this.request<{}>("POST", `${AMT}/users/${enc(userId)}/devices/${enc(deviceId)}/wipe`, {});
  listWipes = (userId: string) => this.request<{ wipes: Wipe[] }>("GET", `${AMT}/users/${enc(userId)}/wipes`);

  // ----- rooms -----
  listRooms = (opts: { search?: string; from?: number | string; limit?: number }) =>
    this.request<RoomList>("GET", `${SYN}/v1/rooms${query({ search_term: opts.search, from: opts.from, limit: opts.limit ?? 50, order_by: "joined_members", dir: "b" })}`);
  getRoom = (roomId: string) => this.request<RoomDetails>("GET", `${SYN}/v1/rooms/${enc(roomId)}`);
  roomMembers = (roomId: string) => this.request<{ members: string[]; total: number }>("GET", `${SYN}/v1/rooms/${enc(roomId)}/members`);
  roomBlock = (roomId: string) => this.request<{ block: boolean; user_id?: string }>("GET", `${SYN}/v1/rooms/${enc(roomId)}/block`);
  setRoomBlock = (roomId: string, block: boolean) => this.request<{ block: boolean }>("PUT", `${SYN}/v1/rooms/${enc(roomId)}/block`, { block });
  deleteRoom = (roomId: string, opts: RoomDeletion) => this.request<{ delete_id: string }>("DELETE", `${SYN}/v2/rooms/${enc(roomId)}`, opts);
  deleteStatus = (deleteId: string) => this.request<{ status: string; error?: string }>("GET", `${SYN}/v2/rooms/delete_status/${enc(deleteId)}`);

  // ----- registration tokens (invite links) -----
  listTokens = () => this.request<{ registration_tokens: RegistrationToken[] }>("GET", `${SYN}/v1/registration_tokens`);
  createToken = (opts: { uses_allowed: number | null; expiry_time: number | null }) => this.request<RegistrationToken>("POST", `${SYN}/v1/registration_tokens/new`, opts);
  deleteToken = (token: string) => this.request<{}>("DELETE", `${SYN}/v1/registration_tokens/${enc(token)}`);

  // ----- audit log -----
  audit = (filter: AuditFilter & { from?: number; limit?: number }) => this.request<AuditPage>("GET", `${AMT}/audit${query({ ...filter, limit: filter.limit ?? 50 })}`);
  auditExport = (format: "csv" | "json") => this.download(`${AMT}/audit/export${query({ format })}`);
  auditVerify = () => this.request<AuditVerify>("GET", `${AMT}/audit/verify`);

  // ----- server notices, LDAP -----
  /**
   * Sends a notice at most once per txnId (PUT .../server_notices/{txnId}): a retry with the same txnId gets
   * the first answer and sends nothing. Use one {@link newTxnId} per send action of the admin.
   */
  sendNotice = (txnId: string, body: string, userIds?: string[]) =>
    this.request<{ sent: number }>("PUT", `${AMT}/server_notices/${enc(txnId)}`, userIds ? { body, user_ids: userIds } : { body });
  ldap = () => this.request<LdapStatus>("GET", `${AMT}/ldap`);
  ldapSync = () => this.request<Record<string, unknown>>("POST", `${AMT}/ldap/sync`, {});

  // ----- webhooks, outgoing rules, bots (Amtsbote APIs, see docs/webhooks.md) -----
  listWebhooks = () => this.request<{ webhooks: Webhook[] }>("GET", `${AMT}/webhooks`);
  createWebhook = (h: { room_id: string; name: string; format: string; bot_user: string }) => this.request<Webhook>("POST", `${AMT}/webhooks`, h);
  deleteWebhook = (id: string) => this.request<{}>("DELETE", `${AMT}/webhooks/${enc(id)}`);
  listRules = () => this.request<{ rules: OutgoingRule[] }>("GET", `${AMT}/rules`);
  createRule = (r: NewRule) => this.request<CreatedRule>("POST", `${AMT}/rules`, ruleBody(r));
  deleteRule = (id: string) => this.request<{}>("DELETE", `${AMT}/rules/${enc(id)}`);
  listBots = () => this.request<{ bots: Bot[] }>("GET", `${AMT}/bots`);
  createBot = (b: { username: string; displayname?: string; token_name?: string }) => this.request<IssuedToken>("POST", `${AMT}/bots`, b);
  issueBotToken = (userId: string, name?: string) => this.request<IssuedToken>("POST", `${AMT}/bots/${enc(userId)}/tokens`, name ? { name } : {});
  revokeBotToken = (userId: string, deviceId: string) => this.request<{}>("DELETE", `${AMT}/bots/${enc(userId)}/tokens/${enc(deviceId)}`);
}
