import { describe, expect, it } from "vitest";
import { buildTimeline, matchesFilter, previewText, type SimpleEvent, type MessageItem } from "./timeline";

const base = new Date(2026, 2, 10, 9, 0, 0).getTime();
let n = 0;
function msg(sender: string, minutes: number, body: string, extra: Partial<SimpleEvent> = {}): SimpleEvent {
  return {
    id: `$e${++n}`,
    type: "m.room.message",
    sender,
    ts: base + minutes * 60_000,
    content: { msgtype: "m.text", body },
    redacted: false,
    status: null,
    ...extra,
  };
}
const messages = (items: ReturnType<typeof buildTimeline>) => items.filter((i): i is MessageItem => i.kind === "message");

describe("buildTimeline grouping", () => {
  it("groups consecutive messages of one sender within five minutes", () => {
    const evs = [msg("@a:x", 0, "1"), msg("@a:x", 1, "2"), msg("@a:x", 3, "3"), msg("@b:x", 4, "4"), msg("@b:x", 20, "5")];
    const m = messages(buildTimeline(evs, { myUserId: "@a:x" }));
    expect(m.map((i) => i.groupStart)).toEqual([true, false, false, true, true]);
    expect(m.map((i) => i.groupEnd)).toEqual([false, false, true, true, true]);
  });

  it("inserts a day separator when the day changes and breaks the group", () => {
    const evs = [msg("@a:x", 0, "1"), msg("@a:x", 24 * 60, "2")];
    const items = buildTimeline(evs, { myUserId: "@a:x" });
    expect(items.map((i) => i.kind)).toEqual(["day", "message", "day", "message"]);
    expect(messages(items)[1].groupStart).toBe(true);
  });

  it("a state event between messages breaks the group", () => {
    const evs = [
      msg("@a:x", 0, "1"),
      { id: "$s", type: "m.room.name", sender: "@a:x", ts: base + 60_000, content: { name: "N" }, stateKey: "", redacted: false, status: null },
      msg("@a:x", 2, "2"),
    ];
    const items = buildTimeline(evs as SimpleEvent[], { myUserId: "@a:x" });
    expect(items.map((i) => i.kind)).toEqual(["day", "message", "state", "message"]);
    expect(messages(items)[1].groupStart).toBe(true);
  });

  it("hides unknown state events and profile-only member changes", () => {
    const evs: SimpleEvent[] = [
      { id: "$p", type: "m.room.power_levels", sender: "@a:x", ts: base, content: {}, stateKey: "", redacted: false, status: null },
      { id: "$m", type: "m.room.member", sender: "@a:x", ts: base, content: { membership: "join", displayname: "A" }, prevContent: { membership: "join" }, stateKey: "@a:x", redacted: false, status: null },
    ];
    expect(buildTimeline(evs, { myUserId: "@a:x" })).toEqual([]);
  });
});

describe("buildTimeline relations", () => {
  it("applies the latest edit by the original sender and marks it edited", () => {
    const orig = msg("@a:x", 0, "Hallo");
    const edit1 = msg("@a:x", 1, "* Hallo Welt", { content: { msgtype: "m.text", body: "* Hallo Welt", "m.new_content": { msgtype: "m.text", body: "Hallo Welt" }, "m.relates_to": { rel_type: "m.replace", event_id: orig.id } } });
    const forged = msg("@b:x", 2, "* hacked", { content: { msgtype: "m.text", body: "* hacked", "m.new_content": { msgtype: "m.text", body: "hacked" }, "m.relates_to": { rel_type: "m.replace", event_id: orig.id } } });
    const m = messages(buildTimeline([orig, edit1, forged], { myUserId: "@a:x" }));
    expect(m).toHaveLength(1);
    expect(m[0].content.body).toBe("Hallo Welt");
    expect(m[0].edited).toBe(true);
  });

  it("shows redacted messages as deleted and drops their reactions", () => {
    const orig = msg("@a:x", 0, "weg");
    const react = { ...msg("@b:x", 1, ""), type: "m.reaction", content: { "m.relates_to": { rel_type: "m.annotation", event_id: orig.id, key: "👍" } } };
    const red = { ...msg("@a:x", 2, ""), type: "m.room.redaction", content: {}, redacts: orig.id };
    const m = messages(buildTimeline([orig, react, red], { myUserId: "@a:x" }));
    expect(m).toHaveLength(1);
    expect(m[0].deleted).toBe(true);
    expect(m[0].content).toEqual({});
    expect(m[0].reactions).toEqual([]);
  });

  it("counts reactions per key, once per sender, and remembers my own", () => {
    const orig = msg("@a:x", 0, "Frage");
    const r = (sender: string, key: string) => ({ ...msg(sender, 1, ""), type: "m.reaction", content: { "m.relates_to": { rel_type: "m.annotation", event_id: orig.id, key } } });
    const mine = r("@a:x", "👍");
    const evs = [orig, mine, r("@b:x", "👍"), r("@b:x", "👍"), r("@c:x", "❤️")];
    const [item] = messages(buildTimeline(evs, { myUserId: "@a:x" }));
    expect(item.reactions).toEqual([
      { key: "👍", count: 2, senders: ["@a:x", "@b:x"], myEventId: mine.id },
      { key: "❤️", count: 1, senders: ["@c:x"], myEventId: undefined },
    ]);
  });

  it("ignores a redacted reaction", () => {
    const orig = msg("@a:x", 0, "x");
    const react = { ...msg("@b:x", 1, ""), type: "m.reaction", redacted: true, content: { "m.relates_to": { rel_type: "m.annotation", event_id: orig.id, key: "👍" } } };
    expect(messages(buildTimeline([orig, react], { myUserId: "@a:x" }))[0].reactions).toEqual([]);
  });

  it("exposes the reply target", () => {
    const orig = msg("@a:x", 0, "Frage");
    const reply = msg("@b:x", 1, "Antwort", { content: { msgtype: "m.text", body: "Antwort", "m.relates_to": { "m.in_reply_to": { event_id: orig.id } } } });
    expect(messages(buildTimeline([orig, reply], { myUserId: "@a:x" }))[1].replyTo).toBe(orig.id);
  });
});

describe("unread marker", () => {
  it("goes before the first message from others after the read-up-to event", () => {
    const a = msg("@me:x", 0, "a");
    const b = msg("@me:x", 1, "b");
    const join = { id: "$j", type: "m.room.member", sender: "@o:x", ts: base + 90_000, content: { membership: "join" }, stateKey: "@o:x", redacted: false, status: null };
    const c = msg("@o:x", 2, "c");
    const items = buildTimeline([a, b, join as SimpleEvent, c], { myUserId: "@me:x", readUpToId: a.id });
    expect(items.map((i) => i.kind)).toEqual(["day", "message", "message", "state", "unread", "message"]);
  });
  it("is absent when everything is read or the marker is unknown", () => {
    const a = msg("@o:x", 0, "a");
    expect(buildTimeline([a], { myUserId: "@me:x", readUpToId: a.id }).some((i) => i.kind === "unread")).toBe(false);
    expect(buildTimeline([a], { myUserId: "@me:x", readUpToId: "$unknown" }).some((i) => i.kind === "unread")).toBe(false);
  });
});

describe("helpers", () => {
  it("previews media messages with labels", () => {
    const labels = { image: "Bild", file: "Datei", voice: "Sprachnachricht", deleted: "gelöscht" };
    expect(previewText({ msgtype: "m.image", body: "x.png" }, labels)).toBe("🖼 Bild");
    expect(previewText({ msgtype: "m.audio", body: "v" }, labels)).toBe("🎤 Sprachnachricht");
    expect(previewText({ msgtype: "m.text", body: "a\n b" }, labels)).toBe("a b");
    expect(previewText({}, labels)).toBe("gelöscht");
  });
  it("filters names without regard to case and accents", () => {
    expect(matchesFilter("Bauhof Müller", "muller")).toBe(true);
    expect(matchesFilter("Bauhof", "rathaus")).toBe(false);
    expect(matchesFilter("x", "  ")).toBe(true);
  });
});

describe("encrypted events", () => {
  const base = { sender: "@b:x", ts: 1000, redacted: false, status: null } as const;
  it("shows a pending or undecryptable message as one placeholder item", () => {
    const items = buildTimeline([{ ...base, id: "$1", type: "m.room.encrypted", content: {}, undecryptable: true }], { myUserId: "@a:x" });
    const msgs = items.filter((i) => i.kind === "message");
    expect(msgs).toHaveLength(1);
    expect(msgs[0].kind === "message" && msgs[0].event.undecryptable).toBe(true);
  });
  it("hides encrypted edits and reactions and verification requests", () => {
    const items = buildTimeline(
      [
        { ...base, id: "$e", type: "m.room.encrypted", content: { "m.relates_to": { rel_type: "m.replace", event_id: "$1" } } },
        { ...base, id: "$r", type: "m.room.encrypted", content: { "m.relates_to": { rel_type: "m.annotation", event_id: "$1", key: "👍" } } },
        { ...base, id: "$v", type: "m.room.message", content: { msgtype: "m.key.verification.request", body: "x" } },
      ],
      { myUserId: "@a:x" },
    );
    expect(items.filter((i) => i.kind === "message")).toHaveLength(0);
  });
});
