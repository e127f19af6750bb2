/** Pure timeline logic: turns a flat list of Matrix events into display items. No SDK or DOM dependencies. */

export type DeliveryStatus = "sending" | "sent" | "failed" | null;

export interface SimpleEvent {
  id: string;
  type: string;
  sender: string;
  ts: number;
  content: Record<string, any>;
  redacted: boolean;
  stateKey?: string;
  /** Only for local echoes of our own events. null = came from the server. */
  status: DeliveryStatus;
  /** prev_content of state events, if known. */
  prevContent?: Record<string, any>;
  /** ID of the event this one redacts (m.room.redaction). */
  redacts?: string;
  /** An encrypted event this device cannot decrypt (no key). Pending decryption has type m.room.encrypted without this. */
  undecryptable?: boolean;
}

export interface Reaction {
  key: string;
  count: number;
  senders: string[];
  /** Event ID of my own reaction with this key, so it can be removed. */
  myEventId?: string;
}

export interface MessageItem {
  kind: "message";
  key: string;
  event: SimpleEvent;
  /** Content to show (the latest edit's m.new_content if edited). */
  content: Record<string, any>;
  edited: boolean;
  deleted: boolean;
  replyTo?: string;
  reactions: Reaction[];
  /** First message of a run of consecutive messages by the same sender: show name and avatar. */
  groupStart: boolean;
  /** Last message of such a run. */
  groupEnd: boolean;
}

export interface DayItem { kind: "day"; key: string; ts: number }
export interface UnreadItem { kind: "unread"; key: string }
export interface StateItem { kind: "state"; key: string; event: SimpleEvent }
export type TimelineItem = MessageItem | DayItem | UnreadItem | StateItem;

export interface BuildOptions {
  myUserId: string;
  /** The event the user had read up to when the room was opened: the unread marker goes after it. */
  readUpToId?: string | null;
  /** Messages by the same sender closer than this are grouped. */
  groupWindowMs?: number;
}

const SHOWN_STATE = new Set(["m.room.member", "m.room.name", "m.room.topic", "m.room.avatar", "m.room.create"]);

export function relation(content: Record<string, any> | undefined): { relType?: string; eventId?: string; key?: string; inReplyTo?: string } {
  const rel = content?.["m.relates_to"];
  if (!rel || typeof rel !== "object") return {};
  return {
    relType: typeof rel.rel_type === "string" ? rel.rel_type : undefined,
    eventId: typeof rel.event_id === "string" ? rel.event_id : undefined,
    key: typeof rel.key === "string" ? rel.key : undefined,
    inReplyTo: typeof rel["m.in_reply_to"]?.event_id === "string" ? rel["m.in_reply_to"].event_id : undefined,
  };
}

export function sameDay(a: number, b: number): boolean {
  const da = new Date(a);
  const db = new Date(b);
  return da.getFullYear() === db.getFullYear() && da.getMonth() === db.getMonth() && da.getDate() === db.getDate();
}

/** Whether an event is shown in the timeline at all. */
export function isShown(ev: SimpleEvent): boolean {
  if (ev.type === "m.room.message" || ev.type === "m.sticker") {
    const rel = relation(ev.content);
    // Verification requests in a DM are handled by the verification dialog, not shown as messages.
    return rel.relType !== "m.replace" && ev.content.msgtype !== "m.key.verification.request";
  }
  // Not (yet) decrypted: shown as a placeholder, unless its cleartext relation says it is an edit or a reaction.
  if (ev.type === "m.room.encrypted") {
    const rel = relation(ev.content).relType;
    return rel !== "m.replace" && rel !== "m.annotation";
  }
  if (ev.stateKey !== undefined && SHOWN_STATE.has(ev.type)) {
    if (ev.type === "m.room.member") {
      // Hide pure profile changes and repeated joins.
      const m = ev.content.membership;
      const pm = ev.prevContent?.membership;
      if (m === "join" && pm === "join") return false;
    }
    return true;
  }
  return false;
}

/** Builds display items: day separators, unread marker, grouping, and aggregated edits/reactions/redactions. */
export function buildTimeline(events: SimpleEvent[], opts: BuildOptions): TimelineItem[] {
  const groupWindow = opts.groupWindowMs ?? 5 * 60_000;
  const byId = new Map<string, SimpleEvent>();
  for (const ev of events) byId.set(ev.id, ev);

  // Redactions that arrived without the target being marked redacted yet.
  const redactedIds = new Set<string>();
  for (const ev of events) {
    if (ev.redacted) redactedIds.add(ev.id);
    if (ev.type === "m.room.redaction" && ev.redacts && !ev.redacted) redactedIds.add(ev.redacts);
  }

  // Edits: latest valid replacement by the original sender.
  const edits = new Map<string, SimpleEvent>();
  // Reactions: target -> key -> sender -> event id
  const reactions = new Map<string, Map<string, Map<string, string>>>();
  for (const ev of events) {
    if (redactedIds.has(ev.id)) continue;
    const rel = relation(ev.content);
    if (ev.type === "m.room.message" && rel.relType === "m.replace" && rel.eventId) {
      const target = byId.get(rel.eventId);
      if (target && target.sender !== ev.sender) continue;
      if (!ev.content["m.new_content"]) continue;
      const prev = edits.get(rel.eventId);
      if (!prev || prev.ts <= ev.ts) edits.set(rel.eventId, ev);
    } else if (ev.type === "m.reaction" && rel.relType === "m.annotation" && rel.eventId && rel.key) {
      let keys = reactions.get(rel.eventId);
      if (!keys) reactions.set(rel.eventId, (keys = new Map()));
      let senders = keys.get(rel.key);
      if (!senders) keys.set(rel.key, (senders = new Map()));
      if (!senders.has(ev.sender)) senders.set(ev.sender, ev.id);
    }
  }

  const items: TimelineItem[] = [];
  let lastTs: number | null = null;
  let prevMessage: MessageItem | null = null;
  let unreadPlaced = false;
  let passedReadMarker = !opts.readUpToId;
  const markerKnown = !!opts.readUpToId && byId.has(opts.readUpToId);

  for (const ev of events) {
    if (!isShown(ev)) {
      if (ev.id === opts.readUpToId) passedReadMarker = true;
      continue;
    }
    if (lastTs === null || !sameDay(lastTs, ev.ts)) {
      items.push({ kind: "day", key: `day-${ev.id}`, ts: ev.ts });
      prevMessage = null;
    }
    lastTs = ev.ts;

    const isMessage = ev.type === "m.room.message" || ev.type === "m.sticker" || ev.type === "m.room.encrypted";
    if (markerKnown && passedReadMarker && !unreadPlaced && isMessage && ev.sender !== opts.myUserId && ev.status === null) {
      items.push({ kind: "unread", key: "unread-marker" });
      unreadPlaced = true;
      prevMessage = null;
    }

    if (isMessage) {
      const deleted = redactedIds.has(ev.id);
      const edit = edits.get(ev.id);
      const content = deleted ? {} : edit ? { ...edit.content["m.new_content"] } : ev.content;
      const rel = relation(ev.content);
      const reactionList: Reaction[] = [];
      const keys = reactions.get(ev.id);
      if (keys && !deleted) {
        for (const [key, senders] of keys) {
          reactionList.push({
            key,
            count: senders.size,
            senders: [...senders.keys()],
            myEventId: senders.get(opts.myUserId),
          });
        }
      }
      const grouped =
        prevMessage !== null &&
        prevMessage.event.sender === ev.sender &&
        ev.ts - prevMessage.event.ts < groupWindow;
      const item: MessageItem = {
        kind: "message",
        key: ev.id,
        event: ev,
        content,
        edited: !!edit && !deleted,
        deleted,
        replyTo: deleted ? undefined : rel.inReplyTo,
        reactions: reactionList,
        groupStart: !grouped,
        groupEnd: true,
      };
      if (grouped && prevMessage) prevMessage.groupEnd = false;
      items.push(item);
      prevMessage = item;
    } else {
      items.push({ kind: "state", key: ev.id, event: ev });
      prevMessage = null;
    }
    if (ev.id === opts.readUpToId) passedReadMarker = true;
  }
  return items;
}

/** Plain-text preview of a message for the chat list and notifications. */
export function previewText(content: Record<string, any>, labels: { image: string; file: string; voice: string; deleted: string }): string {
  if (!content || Object.keys(content).length === 0) return labels.deleted;
  switch (content.msgtype) {
    case "m.image":
      return `🖼 ${labels.image}`;
    case "m.file":
      return `📎 ${content.body ?? labels.file}`;
    case "m.audio":
      return `🎤 ${labels.voice}`;
    case "m.video":
      return `🎬 ${content.body ?? labels.file}`;
    default:
      return typeof content.body === "string" ? content.body.replace(/\s+/g, " ").slice(0, 200) : "";
  }
}

/** Case- and accent-insensitive name filter for the chat list. */
export function matchesFilter(name: string, query: string): boolean {
  const norm = (s: string) => s.normalize("NFD").replace(/\p{Diacritic}/gu, "").toLowerCase();
  const q = norm(query.trim());
  return q === "" || norm(name).includes(q);
}
