import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { Direction, EventStatus, EventType, type MatrixClient, type MatrixEvent, type Room } from "matrix-js-sdk";
import { formatDayLabel, formatSize, formatTime, formatDateTime, t } from "../i18n";
import { errorMessage, isDirect, unreadCount, maxUploadBytes, mayDo, myMembership, roomEvents, roomName, toSimple } from "../matrix";
import { buildTimeline, previewText, type MessageItem, type TimelineItem } from "../lib/timeline";
import { markdownToHtml, sanitizeHtml, stripReplyFallbackText } from "../lib/sanitize";
import { buildVoiceContent, isVoiceMessage } from "../lib/voice";
import { Avatar, FileMessage, ImageMessage, ImageViewer, VoiceMessage } from "./Media";
import { Composer, type VoiceRecording } from "./Composer";
import { previewLabels } from "./RoomList";
import { Icon } from "./Icons";
import { useNewDevices, useUserVerified } from "./Security";
import { encryptAttachment, type EncryptedFile } from "../lib/attachments";

const QUICK_REACTIONS = ["👍", "❤️", "😂", "😮", "😢", "🙏", "✅"];

interface Upload {
  id: number;
  name: string;
  loaded: number;
  total: number;
  abort: AbortController;
}

function Linkified({ text }: { text: string }) {
  const parts = text.split(/(https?:\/\/[^\s<]+[^\s<.,;:!?)\]])/g);
  return (
    <>
      {parts.map((p, i) =>
        i % 2 === 1 ? (
          <a key={i} href={p} target="_blank" rel="noopener noreferrer nofollow">
            {p}
          </a>
        ) : (
          p
        ),
      )}
    </>
  );
}

function MessageBody({ client, content, onOpenImage }: { client: MatrixClient; content: Record<string, any>; onOpenImage: (url: string, name: string) => void }) {
  switch (content.msgtype) {
    case "m.image":
      return <ImageMessage client={client} content={content} onOpen={onOpenImage} />;
    case "m.file":
    case "m.video":
      return <FileMessage client={client} content={content} />;
    case "m.audio":
      return isVoiceMessage(content) || content.url || content.file ? <VoiceMessage client={client} content={content} /> : <FileMessage client={client} content={content} />;
    case "m.text":
    case "m.notice":
    case "m.emote":
    default: {
      if (typeof content.body !== "string") return <p className="muted">{t("msg.unknown")}</p>;
      if (content.format === "org.matrix.custom.html" && typeof content.formatted_body === "string") {
        return <div className="msg-text formatted" dangerouslySetInnerHTML={{ __html: sanitizeHtml(content.formatted_body) }} />;
      }
      return (
        <div className="msg-text">
          <Linkified text={stripReplyFallbackText(content.body)} />
        </div>
      );
    }
  }
}

export function RoomView({
  client,
  room,
  version,
  onBack,
  onSettings,
  announce,
  onVerify,
}: {
  client: MatrixClient;
  room: Room;
  version: number;
  onBack: () => void;
  onSettings: () => void;
  announce: (text: string) => void;
  onVerify: (userId: string) => void;
}) {
  const me = client.getUserId()!;
  const [replyTo, setReplyTo] = useState<MatrixEvent | null>(null);
  const [editing, setEditing] = useState<MatrixEvent | null>(null);
  const [viewer, setViewer] = useState<{ url: string; name: string } | null>(null);
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [errors, setErrors] = useState<string[]>([]);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [atBottom, setAtBottom] = useState(true);
  const [openActions, setOpenActions] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  // The unread marker goes where the user had read up to when opening the room, if anything was unread then.
  const [readUpToAtOpen] = useState(() => (unreadCount(client, room).count > 0 ? room.getEventReadUpTo(me) : null));
  const scroller = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const prevFirst = useRef<{ id: string | undefined; height: number } | null>(null);
  const lastAnnounced = useRef<string | null>(null);
  const lastReceipt = useRef<string | null>(null);
  const uploadSeq = useRef(0);

  const showError = useCallback((m: string) => setErrors((e) => [...e.slice(-2), m]), []);

  const events = roomEvents(room);
  const byId = new Map(events.map((e) => [e.getId() ?? "", e]));
  const simple = useMemo(() => events.map(toSimple), [version, room]);
  const items = useMemo(() => buildTimeline(simple, { myUserId: me, readUpToId: readUpToAtOpen }), [simple, me, readUpToAtOpen]);
  const direct = isDirect(client, room);
  const name = roomName(client, room);
  const members = room.getJoinedMembers();
  const encryptedRoom = room.hasEncryptionStateEvent();
  const newDevices = useNewDevices(client, encryptedRoom ? members.map((m) => m.userId) : []);
  const partner = direct ? (members.find((m) => m.userId !== me)?.userId ?? null) : null;
  const partnerVerified = useUserVerified(client, encryptedRoom ? partner : null);
  const memberName = (id: string) => room.getMember(id)?.name ?? id;
  const canRedactOthers = mayDo(room, me, "redact");
  const canPaginate = room.getLiveTimeline().getPaginationToken(Direction.Backward) !== null;

  // Who has read what: each other joined member's receipt position in the timeline.
  const liveEvents = room.getLiveTimeline().getEvents();
  const indexOf = new Map(liveEvents.map((e, i) => [e.getId(), i]));
  const readers = members
    .filter((m) => m.userId !== me)
    .map((m) => {
      const id = room.getEventReadUpTo(m.userId, true);
      const rec = room.getReadReceiptForUserId(m.userId, true);
      return { userId: m.userId, name: m.name, index: id ? (indexOf.get(id) ?? -1) : -1, ts: rec?.data?.ts };
    });
  let lastOwnIndex = -1;
  items.forEach((it, i) => {
    if (it.kind === "message" && it.event.sender === me) lastOwnIndex = i;
  });

  // ----- scrolling -----
  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    const bottom = el.scrollHeight - el.scrollTop - el.clientHeight < 60;
    stick.current = bottom;
    setAtBottom(bottom);
    if (el.scrollTop < 120 && canPaginate && !loadingOlder) void loadOlder();
  };
  const loadOlder = async () => {
    if (loadingOlder) return;
    setLoadingOlder(true);
    const el = scroller.current;
    prevFirst.current = { id: liveEvents[0]?.getId(), height: el?.scrollHeight ?? 0 };
    try {
      await client.scrollback(room, 30);
    } catch (e) {
      showError(t("error.generic", { message: errorMessage(e) }));
    } finally {
      setLoadingOlder(false);
    }
  };
  const scrollToBottom = () => {
    const el = scroller.current;
    if (el) el.scrollTop = el.scrollHeight;
    stick.current = true;
    setAtBottom(true);
  };
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    if (prevFirst.current && prevFirst.current.id !== liveEvents[0]?.getId()) {
      el.scrollTop += el.scrollHeight - prevFirst.current.height;
      prevFirst.current = null;
    } else if (stick.current) {
      el.scrollTop = el.scrollHeight;
    }
  });
  // On open: scroll to the unread marker if there is one.
  useLayoutEffect(() => {
    const marker = scroller.current?.querySelector(".unread-marker");
    if (marker) {
      marker.scrollIntoView({ block: "center" });
      onScroll();
    }
  }, []);
  // Fill the screen with history if the first page is short.
  useEffect(() => {
    const el = scroller.current;
    if (el && canPaginate && !loadingOlder && el.scrollHeight <= el.clientHeight + 50) void loadOlder();
  });

  // ----- read receipts -----
  useEffect(() => {
    const send = () => {
      if (!stick.current || document.visibilityState !== "visible") return;
      const live = room.getLiveTimeline().getEvents();
      const last = [...live].reverse().find((e) => e.getId()?.startsWith("$") && e.getSender() !== me);
      if (!last) return;
      const id = last.getId()!;
      if (lastReceipt.current === id) return;
      const current = room.getEventReadUpTo(me);
      if (current === id) {
        lastReceipt.current = id;
        return;
      }
      lastReceipt.current = id;
      client.sendReadReceipt(last).catch(() => (lastReceipt.current = null));
    };
    send();
    document.addEventListener("visibilitychange", send);
    window.addEventListener("focus", send);
    return () => {
      document.removeEventListener("visibilitychange", send);
      window.removeEventListener("focus", send);
    };
  }, [version, atBottom, room, client, me]);

  // ----- live region: announce new incoming messages -----
  useEffect(() => {
    const live = room.getLiveTimeline().getEvents();
    const last = live[live.length - 1];
    if (!last) return;
    if (lastAnnounced.current === null) {
      lastAnnounced.current = last.getId() ?? "";
      return;
    }
    if (last.getId() === lastAnnounced.current) return;
    lastAnnounced.current = last.getId() ?? "";
    if (last.getSender() !== me && last.getType() === "m.room.message" && last.getContent()["m.relates_to"]?.rel_type !== "m.replace") {
      announce(t("room.announce", { name: memberName(last.getSender()!), body: previewText(last.getContent(), previewLabels()) }));
    }
  }, [version]);

  // ----- sending -----
  const withReply = (content: Record<string, any>) => {
    if (replyTo) content["m.relates_to"] = { "m.in_reply_to": { event_id: replyTo.getId() } };
    return content;
  };
  const sendContent = (content: Record<string, any>) => {
    stick.current = true;
    client.sendEvent(room.roomId, EventType.RoomMessage, content as any).catch(() => {
      /* failed sends stay in the timeline with a retry button */
    });
  };
  const sendText = (text: string) => {
    const html = markdownToHtml(text);
    const base: Record<string, any> = { msgtype: "m.text", body: text };
    if (html) Object.assign(base, { format: "org.matrix.custom.html", formatted_body: html });
    if (editing) {
      const target = editing.getId()!;
      sendContent({ ...base, body: `* ${text}`, ...(html ? { formatted_body: `* ${html}` } : {}), "m.new_content": base, "m.relates_to": { rel_type: "m.replace", event_id: target } });
      setEditing(null);
      return;
    }
    sendContent(withReply(base));
    setReplyTo(null);
  };

  /** Uploads a file; in an encrypted room the file is encrypted first. Returns the content fields to send. */
  const upload = async (file: Blob, name: string, type: string): Promise<{ url: string } | { file: EncryptedFile } | null> => {
    const max = await maxUploadBytes(client);
    if (max && file.size > max) {
      showError(t("upload.tooBig", { name, size: formatSize(file.size), max: formatSize(max) }));
      return null;
    }
    const id = ++uploadSeq.current;
    const abort = new AbortController();
    setUploads((u) => [...u, { id, name, loaded: 0, total: file.size, abort }]);
    try {
      const encrypted = encryptedRoom ? await encryptAttachment(await file.arrayBuffer()) : null;
      const res = await client.uploadContent(encrypted ? new Blob([encrypted.data], { type: "application/octet-stream" }) : file, {
        name: encrypted ? "encrypted" : name,
        type: encrypted ? "application/octet-stream" : type,
        abortController: abort,
        progressHandler: ({ loaded, total }) => setUploads((u) => u.map((x) => (x.id === id ? { ...x, loaded, total: total || x.total } : x))),
      });
      return encrypted ? { file: { ...encrypted.info, url: res.content_uri } } : { url: res.content_uri };
    } catch (e: any) {
      if (abort.signal.aborted || e?.name === "AbortError") showError(t("upload.cancelled"));
      else if (e?.errcode === "M_TOO_LARGE" || e?.httpStatus === 413) showError(t("upload.tooBig", { name, size: formatSize(file.size), max: max ? formatSize(max) : "?" }));
      else showError(t("upload.failed", { name }));
      return null;
    } finally {
      setUploads((u) => u.filter((x) => x.id !== id));
    }
  };

  const sendFiles = async (files: File[]) => {
    const reply = replyTo;
    setReplyTo(null);
    for (const file of files) {
      const type = file.type || "application/octet-stream";
      const isImage = type.startsWith("image/");
      let dims: { w: number; h: number } | undefined;
      if (isImage) {
        try {
          const bmp = await createImageBitmap(file);
          dims = { w: bmp.width, h: bmp.height };
          bmp.close();
        } catch {
          /* not decodable: sent as image without dimensions */
        }
      }
      const media = await upload(file, file.name, type);
      if (!media) continue;
      const content: Record<string, any> = {
        msgtype: isImage ? "m.image" : "m.file",
        body: file.name,
        filename: file.name,
        ...media,
        info: { mimetype: type, size: file.size, ...(dims ?? {}) },
      };
      if (reply) content["m.relates_to"] = { "m.in_reply_to": { event_id: reply.getId() } };
      sendContent(content);
    }
  };

  const sendVoice = async (rec: VoiceRecording) => {
    const ext = rec.mimetype.includes("ogg") ? "ogg" : rec.mimetype.includes("mp4") ? "m4a" : "webm";
    const filename = `${t("msg.voice")}.${ext}`;
    const media = await upload(rec.blob, filename, rec.mimetype);
    if (!media) return;
    const voice = buildVoiceContent({ url: "url" in media ? media.url : media.file.url, mimetype: rec.mimetype, size: rec.blob.size, durationMs: rec.durationMs, waveform: rec.waveform, body: t("msg.voice"), filename });
    if ("file" in media) {
      // Encrypted room: the file (with its key) replaces the plain URL.
      delete voice.url;
      voice.file = media.file;
    }
    sendContent(withReply(voice));
    setReplyTo(null);
  };

  const react = (item: MessageItem, key: string) => {
    const existing = item.reactions.find((r) => r.key === key)?.myEventId;
    setOpenActions(null);
    if (existing) {
      client.redactEvent(room.roomId, existing).catch((e) => showError(t("error.generic", { message: errorMessage(e) })));
    } else {
      client
        .sendEvent(room.roomId, EventType.Reaction, { "m.relates_to": { rel_type: "m.annotation", event_id: item.event.id, key } } as any)
        .catch((e) => showError(t("error.generic", { message: errorMessage(e) })));
    }
  };
  const remove = (item: MessageItem) => {
    setOpenActions(null);
    const ev = byId.get(item.event.id);
    if (ev && ev.status === EventStatus.NOT_SENT) return client.cancelPendingEvent(ev);
    if (!window.confirm(t("msg.confirmDelete"))) return;
    client.redactEvent(room.roomId, item.event.id).catch((e: any) =>
      showError(e?.errcode === "M_FORBIDDEN" ? t("error.forbidden") : t("error.generic", { message: errorMessage(e) })),
    );
  };

  // Typing
  const typing = room.getMembers().filter((m) => m.typing && m.userId !== me);

  // ----- rendering -----
  const renderDelivery = (item: MessageItem, index: number) => {
    if (item.event.sender !== me) return null;
    const ev = byId.get(item.event.id);
    if (item.event.status === "sending") return (
        <span className="delivery">
          <Icon name="clock" size={14} /> {t("msg.sending")}
        </span>
      );
    if (item.event.status === "failed" && ev)
      return (
        <span className="delivery failed" role="alert">
          {t("msg.failed")}{" "}
          <button type="button" className="btn small" onClick={() => client.resendEvent(ev, room).catch(() => undefined)}>
            {t("msg.retry")}
          </button>{" "}
          <button type="button" className="btn small" onClick={() => client.cancelPendingEvent(ev)}>
            {t("msg.discard")}
          </button>
        </span>
      );
    const pos = indexOf.get(item.event.id);
    const readBy = pos === undefined ? [] : readers.filter((r) => r.index >= pos);
    if (index === lastOwnIndex && readBy.length > 0) {
      const names = readBy.map((r) => (r.ts ? t("msg.readByAt", { name: r.name, time: formatTime(r.ts) }) : r.name)).join(", ");
      return (
        <span className="delivery read" title={readBy.map((r) => `${r.name}: ${r.ts ? formatDateTime(r.ts) : ""}`).join("\n")}>
          <span aria-hidden="true">✓✓ </span>
          {t("msg.readBy", { names })}
        </span>
      );
    }
    if (readBy.length > 0)
      return (
        <span className="delivery read" aria-label={t("msg.readBy", { names: readBy.map((r) => r.name).join(", ") })}>
          ✓✓
        </span>
      );
    return (
      <span className="delivery" aria-label={t("msg.sent")} title={t("msg.sent")}>
        ✓
      </span>
    );
  };

  const renderItem = (item: TimelineItem, index: number) => {
    if (item.kind === "day")
      return (
        <li key={item.key} className="day-sep">
          <span>{formatDayLabel(item.ts)}</span>
        </li>
      );
    if (item.kind === "unread")
      return (
        <li key={item.key} className="unread-marker">
          <span>{t("room.newMessages")}</span>
        </li>
      );
    if (item.kind === "state") {
      const ev = item.event;
      const who = memberName(ev.sender);
      let text = "";
      if (ev.type === "m.room.create") text = t("event.created", { name: who });
      else if (ev.type === "m.room.name") text = t("event.name", { name: who, value: ev.content.name ?? "" });
      else if (ev.type === "m.room.topic") text = t("event.topic", { name: who, value: ev.content.topic ?? "" });
      else if (ev.type === "m.room.avatar") text = t("event.avatar", { name: who });
      else if (ev.type === "m.room.member") {
        const target = ev.content.displayname ?? memberName(ev.stateKey ?? "");
        const m = ev.content.membership;
        if (m === "join") text = t("event.joined", { name: target });
        else if (m === "invite") text = t("event.invited", { name: who, target });
        else if (m === "leave" && ev.sender !== ev.stateKey) text = t("event.kicked", { name: who, target: memberName(ev.stateKey ?? "") });
        else if (m === "leave") text = t("event.left", { name: memberName(ev.stateKey ?? "") });
        else if (m === "ban") text = t("event.kicked", { name: who, target: memberName(ev.stateKey ?? "") });
      }
      return text ? (
        <li key={item.key} className="state-event">
          {text}
        </li>
      ) : null;
    }
    const ev = item.event;
    const own = ev.sender === me;
    const senderName = memberName(ev.sender);
    const member = room.getMember(ev.sender);
    const replyEv = item.replyTo ? room.findEventById(item.replyTo) : undefined;
    const mxEvent = byId.get(ev.id);
    const canEdit = own && !item.deleted && item.event.status === null && (item.content.msgtype === "m.text" || item.content.msgtype === "m.emote");
    const canDelete = !item.deleted && (own || canRedactOthers);
    const actionsOpen = openActions === ev.id;
    return (
      <li key={item.key} id={`ev-${ev.id}`} className={`msg ${own ? "own" : ""} ${item.groupStart ? "group-start" : ""} ${item.groupEnd ? "group-end" : ""}`}>
        {!own && <div className="msg-avatar">{item.groupStart && <Avatar client={client} mxc={member?.getMxcAvatarUrl()} name={senderName} id={ev.sender} size={32} />}</div>}
        <div className="msg-main">
          <div className={`bubble ${item.deleted ? "deleted" : ""}`}>
            {(item.groupStart || !own) && (
              <div className={`msg-sender ${item.groupStart && !own && !direct ? "" : "sr-only"}`}>
                {own ? t("list.you") : senderName}
              </div>
            )}
            {replyEv && (
              <button
                type="button"
                className="reply-quote"
                onClick={() => document.getElementById(`ev-${item.replyTo}`)?.scrollIntoView({ block: "center", behavior: "smooth" })}
              >
                <span className="sr-only">{t("msg.replyTo", { name: memberName(replyEv.getSender()!) })}: </span>
                <span className="reply-name" aria-hidden="true">
                  {memberName(replyEv.getSender()!)}
                </span>
                <span className="reply-text">{previewText(replyEv.isRedacted() ? {} : (replyEv.replacingEvent()?.getContent()["m.new_content"] ?? replyEv.getOriginalContent()), previewLabels())}</span>
              </button>
            )}
            {item.deleted ? (
              <p className="msg-text muted">{t("msg.deleted")}</p>
            ) : ev.type === "m.room.encrypted" ? (
              <p className={`msg-text muted ${ev.undecryptable ? "undecryptable" : "decrypting"}`}>
                {ev.undecryptable ? t("msg.undecryptable") : t("msg.decrypting")}
              </p>
            ) : <MessageBody client={client} content={item.content} onOpenImage={(url, n) => setViewer({ url, name: n })} />}
            <div className="msg-meta">
              {item.edited && <span className="edited">({t("msg.edited")})</span>}
              <time dateTime={new Date(ev.ts).toISOString()} title={formatDateTime(ev.ts)}>
                {formatTime(ev.ts)}
              </time>
              {renderDelivery(item, index)}
            </div>
          </div>
          {item.reactions.length > 0 && (
            <div className="reactions">
              {item.reactions.map((r) => (
                <button
                  key={r.key}
                  type="button"
                  className={`reaction ${r.myEventId ? "mine" : ""}`}
                  aria-pressed={!!r.myEventId}
                  aria-label={t("msg.reactionCount", { emoji: r.key, count: r.count, names: r.senders.map(memberName).join(", ") })}
                  title={r.senders.map(memberName).join(", ")}
                  onClick={() => react(item, r.key)}
                >
                  {r.key} {r.count}
                </button>
              ))}
            </div>
          )}
          {!item.deleted && item.event.status !== "sending" && mxEvent && (
            <div className="msg-actions">
              <button
                type="button"
                className="btn icon small actions-toggle"
                aria-expanded={actionsOpen}
                aria-label={`${t("msg.actions")} (${senderName}, ${formatTime(ev.ts)})`}
                onClick={() => setOpenActions(actionsOpen ? null : ev.id)}
              >
                <Icon name="more" size={20} />
              </button>
              {actionsOpen && (
                <div className="actions-menu" role="group" aria-label={t("msg.actions")} onKeyDown={(e) => e.key === "Escape" && setOpenActions(null)}>
                  {item.event.status === null && (
                    <>
                      {QUICK_REACTIONS.map((k) => (
                        <button key={k} type="button" className="btn icon small" aria-label={t("msg.reactWith", { emoji: k })} onClick={() => react(item, k)}>
                          {k}
                        </button>
                      ))}
                      <button
                        type="button"
                        className="btn small"
                        autoFocus
                        onClick={() => {
                          setEditing(null);
                          setReplyTo(mxEvent);
                          setOpenActions(null);
                        }}
                      >
                        {t("msg.reply")}
                      </button>
                    </>
                  )}
                  {canEdit && (
                    <button
                      type="button"
                      className="btn small"
                      onClick={() => {
                        setReplyTo(null);
                        setEditing(mxEvent);
                        setOpenActions(null);
                      }}
                    >
                      {t("msg.edit")}
                    </button>
                  )}
                  {canDelete && (
                    <button type="button" className="btn small danger" onClick={() => remove(item)}>
                      {t("msg.delete")}
                    </button>
                  )}
                </div>
              )}
            </div>
          )}
        </div>
      </li>
    );
  };

  // Render the editing event with its current (edited) text in the composer.
  const editingView = useMemo(() => {
    if (!editing) return null;
    const item = items.find((i): i is MessageItem => i.kind === "message" && i.event.id === editing.getId());
    if (!item) return editing;
    return { getContent: () => item.content, getSender: () => editing.getSender(), getId: () => editing.getId() } as unknown as MatrixEvent;
  }, [editing]);

  const topic = room.currentState.getStateEvents(EventType.RoomTopic, "")?.getContent().topic;
  return (
    <main
      className={`room-view ${dragging ? "dragging" : ""}`}
      id="main"
      aria-label={name}
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes("Files")) {
          e.preventDefault();
          setDragging(true);
        }
      }}
      onDragLeave={(e) => {
        if (e.currentTarget === e.target) setDragging(false);
      }}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        const files = [...e.dataTransfer.files];
        if (files.length) void sendFiles(files);
      }}
    >
      <header className="room-header">
        <button type="button" className="btn icon back" onClick={onBack} aria-label={t("room.back")}>
          <Icon name="back" />
        </button>
        <Avatar client={client} mxc={room.getMxcAvatarUrl() ?? (direct ? room.getAvatarFallbackMember()?.getMxcAvatarUrl() : undefined)} name={name} id={room.roomId} size={36} />
        <div className="room-title">
          <h2>{name}</h2>
          <p className="muted">
            {encryptedRoom && (
              <span className="e2e-badge" title={t("room.encrypted")}>
                <Icon name="lock" size={14} /> <span className="sr-only">{t("room.encrypted")}</span>
              </span>
            )}
            {topic || (direct ? t("list.direct") : t("room.members", { count: members.length }))}
          </p>
        </div>
        {partner && partnerVerified === false && (
          <button type="button" className="btn icon" onClick={() => onVerify(partner)} aria-label={t("room.verifyUser", { name: memberName(partner) })} title={t("room.verifyUser", { name: memberName(partner) })}>
            <Icon name="shield" />
          </button>
        )}
        {partnerVerified && (
          <span className="verified-badge" title={t("verify.verified")}>
            <Icon name="shield" size={18} />
            <span className="sr-only">{t("verify.verified")}</span>
          </span>
        )}
        <button type="button" className="btn icon" onClick={onSettings} aria-label={t("room.settings")} title={t("room.settings")}>
          <Icon name="settings" />
        </button>
      </header>
      {newDevices.users.map((u) => (
        <div key={u} className="banner new-device" role="status">
          <p>{t("room.newDevice", { name: memberName(u) })}</p>
          <button type="button" className="btn small" onClick={() => (newDevices.dismiss(u), onVerify(u))}>
            {t("room.verifyUser", { name: memberName(u) })}
          </button>{" "}
          <button type="button" className="btn small" onClick={() => newDevices.dismiss(u)}>
            {t("dialog.close")}
          </button>
        </div>
      ))}

      <div className="timeline-wrap">
        <div className="timeline" ref={scroller} onScroll={onScroll} tabIndex={0} role="region" aria-label={t("room.timeline")}>
          <div className="history-top">
            {canPaginate ? (
              <button type="button" className="btn small" onClick={() => void loadOlder()} disabled={loadingOlder}>
                {loadingOlder ? t("room.loadingOlder") : t("room.loadOlder")}
              </button>
            ) : (
              <span className="muted">{t("room.start")}</span>
            )}
          </div>
          <ol className="events">{items.map(renderItem)}</ol>
        </div>
        {!atBottom && (
          <button type="button" className="btn jump-latest" onClick={scrollToBottom}>
            <Icon name="down" /> {t("room.jumpLatest")}
          </button>
        )}
        {dragging && <div className="drop-overlay">{t("composer.drop")}</div>}
      </div>

      <div className="typing" aria-live="polite">
        {typing.length > 0 ? t("room.typing", { count: typing.length, names: typing.map((m) => m.name).join(", ") }) : ""}
      </div>
      {uploads.map((u) => (
        <div key={u.id} className="upload">
          <label>
            {t("upload.progress", { name: u.name, percent: u.total ? Math.round((u.loaded / u.total) * 100) : 0 })}
            <progress max={u.total || 1} value={u.loaded} />
          </label>
          <button type="button" className="btn small" onClick={() => u.abort.abort()}>
            {t("upload.cancel")}
          </button>
        </div>
      ))}
      {errors.length > 0 && (
        <div className="errors" role="alert">
          {errors.map((e, i) => (
            <p key={i} className="error">
              {e}
            </p>
          ))}
          <button type="button" className="btn small" onClick={() => setErrors([])}>
            {t("dialog.close")}
          </button>
        </div>
      )}
      {myMembership(room) === "join" && (
        <Composer
          client={client}
          room={room}
          replyTo={replyTo}
          editing={editingView}
          onCancelContext={() => {
            setReplyTo(null);
            setEditing(null);
          }}
          onSendText={sendText}
          onFiles={(f) => void sendFiles(f)}
          onVoice={(r) => void sendVoice(r)}
          onError={showError}
          senderName={memberName}
        />
      )}
      {viewer && <ImageViewer url={viewer.url} name={viewer.name} onClose={() => setViewer(null)} />}
    </main>
  );
}
