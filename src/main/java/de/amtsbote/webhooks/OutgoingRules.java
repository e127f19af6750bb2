package de.amtsbote.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.http.MatrixException;
import de.amtsbote.rooms.EventDraft;
import de.amtsbote.rooms.Room;
import de.amtsbote.rooms.RoomActions;
import de.amtsbote.storage.OutgoingRuleStore;
import de.amtsbote.users.Tokens;
import de.amtsbote.util.Json;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Outgoing rules: a new message in a room that matches a rule (a regular expression, or a command word at the
 * start such as {@code !ticket}) is POSTed as signed JSON to the rule's URL ({@link RuleCall}); the answer is
 * posted back as an m.notice by the rule's bot, in a thread on the message. Failures (timeout, refused
 * connection, error status, unreadable answer) are posted in the room too, never dropped.
 *
 * <p>Nothing of this runs on the send path: {@link #eventCommitted} is told after the commit (on the writer's
 * thread) and only hands the event to a virtual thread. Each rule has at most {@value #CONCURRENT_CALLS} calls
 * running and {@value #MAX_WAITING} waiting; beyond that a message is reported as skipped.
 */
public final class OutgoingRules {
    private static final Logger LOG = Logger.getLogger(OutgoingRules.class.getName());
    public static final Set<String> KINDS = Set.of("pattern", "command");
    static final int CONCURRENT_CALLS = 4;
    static final int MAX_WAITING = 100;
    private static final int MAX_COMMAND_LENGTH = 50;

    /** A rule ready to match: compiled pattern (null for commands) and its call slots. */
    private record Live(OutgoingRuleStore.Rule rule, RulePattern pattern, URI url, Semaphore slots, AtomicInteger queued) {}

    private final OutgoingRuleStore store;
    private final IntegrationBots bots;
    private final RoomActions actions;
    private final RuleTargets targets;
    private final RuleCall caller;
    private final LongSupplier clock;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    /** Rules per room, so the writer thread decides in a map lookup whether an event concerns any rule. */
    private final Map<String, List<Live>> byRoom = new ConcurrentHashMap<>();

    public OutgoingRules(OutgoingRuleStore store, IntegrationBots bots, boolean allowInternalTargets, long timeoutMs,
                         LongSupplier clock) {
        this.store = store;
        this.bots = bots;
        this.actions = bots.actions();
        this.targets = new RuleTargets(allowInternalTargets);
        this.caller = new RuleCall(timeoutMs);
        this.clock = clock;
        for (OutgoingRuleStore.Rule r : store.all()) {
            try {
                add(live(r));
            } catch (RuntimeException e) {
                // Stored rules were valid when created; a stricter check later must not stop the server.
                LOG.warning("outgoing rule " + r.id() + " is disabled: " + e.getMessage());
            }
        }
    }

    /** What the admin gets once: the rule and its signing secret. */
    public record Created(OutgoingRuleStore.Rule rule, String secret) {}

    public Created create(String adminUserId, String roomIdOrAlias, String name, String kind, String pattern,
                          String url, String botLocalpart) {
        if (name.isBlank() || name.length() > 200) throw MatrixException.invalidParam("'name' must be 1 to 200 characters");
        if (!KINDS.contains(kind)) throw MatrixException.invalidParam("'kind' must be \"pattern\" or \"command\"");
        if (kind.equals("command")) checkCommand(pattern);
        else RulePattern.compile(pattern);
        targets.checkAtSetup(url);
        String roomId = bots.existingRoom(roomIdOrAlias);
        if (byRoom.getOrDefault(roomId, List.of()).stream().anyMatch(l -> l.rule().name().equals(name))) {
            throw MatrixException.invalidParam("The room already has a rule named '" + name + "'");
        }
        String botUserId = bots.ensureInRoom(adminUserId, roomId, botLocalpart, name, "rule " + name);
        String secret = Tokens.random(40);
        OutgoingRuleStore.Rule rule = new OutgoingRuleStore.Rule(Tokens.random(16), roomId, name, kind, pattern, url,
                botUserId, secret, adminUserId, clock.getAsLong());
        if (!store.create(rule)) throw MatrixException.invalidParam("The room already has a rule named '" + name + "'");
        add(live(rule));
        return new Created(rule, secret);
    }

    private static void checkCommand(String command) {
        if (command.isEmpty() || command.length() > MAX_COMMAND_LENGTH || !command.codePoints().noneMatch(Character::isWhitespace)) {
            throw MatrixException.invalidParam("'command' must be one word of 1 to " + MAX_COMMAND_LENGTH
                    + " characters without spaces, e.g. !ticket");
        }
    }

    public List<OutgoingRuleStore.Rule> list() { return store.all(); }

    /** Deletes the rule; its bot leaves the room unless another hook or rule there still uses it. */
    public OutgoingRuleStore.Rule delete(String id) {
        OutgoingRuleStore.Rule rule = store.get(id).orElseThrow(() -> MatrixException.notFound("No such rule"));
        if (!store.delete(id)) throw MatrixException.notFound("No such rule");
        byRoom.computeIfPresent(rule.roomId(), (k, list) -> {
            list.removeIf(l -> l.rule().id().equals(id));
            return list.isEmpty() ? null : list;
        });
        bots.leaveIfUnused(rule.botUserId(), rule.roomId(), "rule " + rule.name() + " deleted");
        return rule;
    }

    private Live live(OutgoingRuleStore.Rule r) {
        RulePattern p = r.kind().equals("pattern") ? RulePattern.compile(r.pattern()) : null;
        return new Live(r, p, URI.create(r.url()), new Semaphore(CONCURRENT_CALLS), new AtomicInteger());
    }

    private void add(Live l) {
        byRoom.computeIfAbsent(l.rule().roomId(), k -> new CopyOnWriteArrayList<>()).add(l);
    }

    /** From RoomService after each commit, on the writer's thread: a map lookup, then off to a virtual thread. */
    public void eventCommitted(String roomId, String eventId, ObjectNode pdu) {
        List<Live> rules = byRoom.get(roomId);
        if (rules == null || pdu.has("state_key") || !"m.room.message".equals(pdu.path("type").asText())) return;
        JsonNode content = pdu.path("content");
        String sender = pdu.path("sender").asText();
        for (Live l : rules) {
            if (!mayTrigger(l.rule(), sender, content)) continue;
            if (l.queued().incrementAndGet() > MAX_WAITING) {
                l.queued().decrementAndGet();
                overflow(l, eventId, content);
                continue;
            }
            workers.execute(() -> {
                try {
                    handle(l, roomId, eventId, pdu);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "outgoing rule " + l.rule().id() + " failed on " + eventId, e);
                } finally {
                    l.queued().decrementAndGet();
                }
            });
        }
    }

    /**
     * No loops: the bot's own messages, notices (what bots send) and edits never trigger a rule. A command rule
     * is checked here already (a prefix test), so chatter in its room starts no threads; patterns run later.
     */
    private static boolean mayTrigger(OutgoingRuleStore.Rule rule, String sender, JsonNode content) {
        return !sender.equals(rule.botUserId()) && !"m.notice".equals(content.path("msgtype").asText())
                && !"m.replace".equals(content.at("/m.relates_to/rel_type").asText()) && !content.has("m.new_content")
                && content.path("body").isTextual()
                && (!rule.kind().equals("command") || commandArgs(withoutReplyFallback(content), rule.pattern()) != null);
    }

    /** Last time per rule that skipped messages were reported, so a flood gives one notice a minute, not one each. */
    private final Map<String, Long> overflowReported = new ConcurrentHashMap<>();

    private void overflow(Live l, String eventId, JsonNode content) {
        long now = clock.getAsLong();
        Long last = overflowReported.get(l.rule().id());
        LOG.warning("outgoing rule " + l.rule().id() + ": too many waiting calls, " + eventId + " not passed on");
        if (last != null && now - last < 60_000) return;
        overflowReported.put(l.rule().id(), now);
        workers.execute(() -> report(l, eventId, content.path("m.relates_to"), new RuleCall.Outcome.Failed(
                "Zu viele Nachrichten gleichzeitig; diese und weitere in der nächsten Minute wurden nicht an den Dienst "
                        + "weitergegeben.", "too many messages at once; this one and further ones in the next minute "
                        + "were not passed on to the service.")));
    }

    private void handle(Live l, String roomId, String eventId, ObjectNode pdu) {
        OutgoingRuleStore.Rule rule = l.rule();
        String sender = pdu.path("sender").asText();
        JsonNode content = pdu.path("content");
        String body = withoutReplyFallback(content);
        ObjectNode payload = Json.object();
        payload.put("rule_id", rule.id()).put("rule_name", rule.name()).put("kind", rule.kind())
                .put("room_id", roomId).put("event_id", eventId).put("sender", sender)
                .put("sender_display_name", displayName(roomId, sender)).put("body", body);
        if (l.pattern() != null) {
            RulePattern.Match m;
            try {
                m = l.pattern().find(body);
            } catch (RulePattern.TooExpensive e) {
                report(l, eventId, content.path("m.relates_to"), new RuleCall.Outcome.Failed(
                        "Das Muster ist für diese Nachricht zu aufwendig; sie wurde nicht geprüft.",
                        "the pattern is too costly for this message; it was not checked."));
                return;
            }
            if (m == null) return;
            payload.putNull("command").putNull("args").put("match", m.text());
            var groups = payload.putArray("groups");
            m.groups().forEach(groups::add);
        } else {
            String args = commandArgs(body, rule.pattern());
            if (args == null) return;
            payload.put("command", rule.pattern()).put("args", args).putNull("match").putArray("groups");
        }
        payload.put("ts", pdu.path("origin_server_ts").asLong());

        RuleCall.Outcome outcome;
        if (!targets.mayCall(l.url())) {
            outcome = new RuleCall.Outcome.Failed("Die Adresse des Dienstes liegt im internen Netz; das ist nicht erlaubt.",
                    "the service's address is in the internal network, which is not allowed.");
        } else {
            try {
                l.slots().acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            // Deleted while this message waited: no call any more.
            if (!byRoom.getOrDefault(roomId, List.of()).contains(l)) {
                l.slots().release();
                return;
            }
            try {
                outcome = caller.call(l.url(), rule.id(), rule.secret(),
                        Json.write(payload).getBytes(StandardCharsets.UTF_8), clock.getAsLong());
            } finally {
                l.slots().release();
            }
        }
        report(l, eventId, content.path("m.relates_to"), outcome);
    }

    /** Body after the command word (stripped), or null if the body does not start with it. */
    static String commandArgs(String body, String command) {
        String b = body.stripLeading();
        if (b.length() < command.length() || !b.regionMatches(true, 0, command, 0, command.length())) return null;
        String rest = b.substring(command.length());
        if (!rest.isEmpty() && !Character.isWhitespace(rest.codePointAt(0))) return null; // "!tickets" is not "!ticket"
        return rest.strip();
    }

    /** Older clients quote the replied-to message as "> ..." lines before a reply; the rule sees only the reply. */
    private static String withoutReplyFallback(JsonNode content) {
        String body = content.get("body").textValue();
        if (content.at("/m.relates_to/m.in_reply_to/event_id").isMissingNode() || !body.startsWith("> ")) return body;
        String[] lines = body.split("\n", -1);
        int i = 0;
        while (i < lines.length && lines[i].startsWith(">")) i++;
        if (i < lines.length && lines[i].isEmpty()) i++;
        return String.join("\n", java.util.Arrays.copyOfRange(lines, i, lines.length));
    }

    private String displayName(String roomId, String userId) {
        Room room = actions.rooms().room(roomId);
        ObjectNode member = room == null ? null : room.stateContent("m.room.member", userId);
        if (member != null && member.path("displayname").isTextual()) return member.get("displayname").textValue();
        var profile = actions.profiles().of(userId);
        return profile == null ? null : profile.displayname();
    }

    /** Posts the answer or the failure as the bot's m.notice in a thread on the triggering message. */
    private void report(Live l, String eventId, JsonNode triggerRelation, RuleCall.Outcome outcome) {
        report(l, eventId, triggerRelation, outcome, "");
    }

    /** txnSuffix tells a second message about the same trigger (an answer too large to post) from the first. */
    private void report(Live l, String eventId, JsonNode triggerRelation, RuleCall.Outcome outcome, String txnSuffix) {
        OutgoingRuleStore.Rule rule = l.rule();
        ObjectNode content = Json.object().put("msgtype", "m.notice");
        switch (outcome) {
            case RuleCall.Outcome.Nothing n -> { return; }
            case RuleCall.Outcome.Answer a -> {
                content.put("body", a.text());
                content.put("format", "org.matrix.custom.html");
                content.put("formatted_body", a.html() != null ? a.html() : HookMessage.esc(a.text()).replace("\n", "<br>"));
            }
            case RuleCall.Outcome.Failed f -> {
                String de = "Regel »" + rule.name() + "«: " + f.german();
                String en = "Rule »" + rule.name() + "«: " + f.english();
                content.put("body", "⚠ " + de + "\n" + en);
                content.put("format", "org.matrix.custom.html");
                content.put("formatted_body", "⚠ <b>" + HookMessage.esc(de) + "</b><br>" + HookMessage.esc(en));
                LOG.info("outgoing rule " + rule.id() + " in " + rule.roomId() + ": " + f.english());
            }
        }
        threadOn(content, eventId, triggerRelation);
        // One answer per rule and message, even if the event were handled twice.
        EventDraft.Txn txn = new EventDraft.Txn(rule.botUserId(), "RULES", "/_amtsbote/rules/" + rule.id(),
                Tokens.hash(rule.id() + "\u0000" + eventId + txnSuffix));
        try {
            actions.sendMessage(rule.botUserId(), rule.roomId(), "m.room.message", content, txn);
        } catch (MatrixException e) {
            if (outcome instanceof RuleCall.Outcome.Answer && "M_TOO_LARGE".equals(e.errcode())) {
                report(l, eventId, triggerRelation, new RuleCall.Outcome.Failed("Die Antwort des Dienstes ist zu groß für "
                        + "eine Nachricht.", "the service's answer is too large for a message."), "\u0000too-large");
                return;
            }
            // e.g. the bot was kicked: it cannot speak in the room, so the server log is the only place left.
            LOG.warning("outgoing rule " + rule.id() + " could not post in " + rule.roomId() + ": " + e.getMessage());
        }
    }

    /**
     * In the message's thread if it is in one (a reply there), else a new thread rooted at the message; a message
     * with another relation (e.g. m.reference) cannot be a thread root and gets a plain reply.
     */
    private static void threadOn(ObjectNode content, String eventId, JsonNode triggerRelation) {
        ObjectNode rel = content.putObject("m.relates_to");
        String relType = triggerRelation.path("rel_type").asText(null);
        if ("m.thread".equals(relType)) {
            rel.put("rel_type", "m.thread").put("event_id", triggerRelation.path("event_id").asText(eventId))
                    .put("is_falling_back", false);
        } else if (relType == null) {
            rel.put("rel_type", "m.thread").put("event_id", eventId).put("is_falling_back", true);
        }
        rel.putObject("m.in_reply_to").put("event_id", eventId);
    }

    public void close() {
        workers.shutdownNow();
        caller.close();
    }
}
