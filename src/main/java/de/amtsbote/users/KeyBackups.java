package de.amtsbote.users;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.http.MatrixException;
import de.amtsbote.storage.KeyBackupStore;
import de.amtsbote.storage.KeyBackupStore.SessionKey;
import de.amtsbote.storage.KeyBackupStore.WriteResult;
import de.amtsbote.util.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Server-side key backups (spec "Server-side key backups", key_backup.yaml): versions with their auth_data,
 * and the encrypted megolm session keys in them. The keys are opaque to us; what we decide is which version may
 * be written (only the current one), which key of a session to keep, and the etag/count clients use to notice
 * that another device changed the backup.
 */
public final class KeyBackups {
    /** Room and session ids are at most this many UTF-8 bytes (the spec's limit for identifiers). */
    private static final int MAX_ID_BYTES = 255;

    private final KeyBackupStore store;

    public KeyBackups(KeyBackupStore store) { this.store = store; }

    /** POST /room_keys/version: a new version, which becomes the current one. */
    public ObjectNode create(String userId, ObjectNode body) {
        String algorithm = algorithm(body);
        long version = store.create(userId, algorithm, authData(body));
        return Json.object().put("version", Long.toString(version));
    }

    /** GET /room_keys/version[/{version}]: version null means the current one. */
    public ObjectNode info(String userId, String version) {
        var v = version == null ? store.current(userId) : store.version(userId, parseVersion(version));
        if (v.isEmpty()) throw MatrixException.notFound(version == null ? "No backup exists" : "Unknown backup version");
        ObjectNode out = Json.object();
        out.put("algorithm", v.get().algorithm());
        out.set("auth_data", v.get().authData());
        out.put("count", v.get().count());
        out.put("etag", Long.toString(v.get().etag()));
        out.put("version", Long.toString(v.get().version()));
        return out;
    }

    /** PUT /room_keys/version/{version}: only auth_data may change. */
    public void update(String userId, String version, ObjectNode body) {
        long number = parseVersion(version);
        String algorithm = algorithm(body);
        ObjectNode authData = authData(body);
        JsonNode bodyVersion = body.get("version");
        if (bodyVersion != null && !bodyVersion.isNull()
                && !(bodyVersion.isTextual() && bodyVersion.textValue().equals(version))) {
            throw MatrixException.invalidParam("'version' in the body does not match the version in the path");
        }
        var existing = store.version(userId, number)
                .orElseThrow(() -> MatrixException.notFound("Unknown backup version"));
        if (!existing.algorithm().equals(algorithm)) throw MatrixException.invalidParam("Algorithm does not match");
        // A concurrent DELETE between the read and the write makes this one fail; then the version is gone.
        if (!store.updateAuthData(userId, number, authData)) throw MatrixException.notFound("Unknown backup version");
    }

    /** DELETE /room_keys/version/{version}: also succeeds for a version deleted before. */
    public void delete(String userId, String version) {
        if (!store.delete(userId, parseVersion(version))) throw MatrixException.notFound("Unknown backup version");
    }

    /** PUT /room_keys/keys: body {"rooms": {roomId: {"sessions": {sessionId: KeyBackupData}}}}. */
    public ObjectNode putAll(String userId, String version, ObjectNode body) {
        ObjectNode rooms = object(body, "rooms");
        List<SessionKey> keys = new ArrayList<>();
        for (Map.Entry<String, JsonNode> room : rooms.properties()) {
            if (!(room.getValue() instanceof ObjectNode r)) throw MatrixException.badJson("Each room must be an object");
            addSessions(keys, id(room.getKey(), "room"), object(r, "sessions"));
        }
        return put(userId, version, keys);
    }

    /** PUT /room_keys/keys/{roomId}: body {"sessions": {sessionId: KeyBackupData}}. */
    public ObjectNode putRoom(String userId, String version, String roomId, ObjectNode body) {
        List<SessionKey> keys = new ArrayList<>();
        addSessions(keys, id(roomId, "room"), object(body, "sessions"));
        return put(userId, version, keys);
    }

    /** PUT /room_keys/keys/{roomId}/{sessionId}: body KeyBackupData. */
    public ObjectNode putSession(String userId, String version, String roomId, String sessionId, ObjectNode body) {
        return put(userId, version, List.of(sessionKey(id(roomId, "room"), id(sessionId, "session"), body)));
    }

    /** GET /room_keys/keys[/{roomId}[/{sessionId}]]: roomId/sessionId null for the wider levels. */
    public ObjectNode get(String userId, String version, String roomId, String sessionId) {
        long number = requireVersion(userId, version);
        List<SessionKey> keys = store.keys(userId, number, roomId, sessionId);
        if (sessionId != null) {
            if (keys.isEmpty()) throw MatrixException.notFound("No key found for this session");
            return keyJson(keys.getFirst());
        }
        ObjectNode rooms = Json.object();
        for (SessionKey k : keys) {
            ObjectNode sessions = rooms.has(k.roomId()) ? (ObjectNode) rooms.get(k.roomId()).get("sessions")
                    : rooms.putObject(k.roomId()).putObject("sessions");
            sessions.set(k.sessionId(), keyJson(k));
        }
        if (roomId != null) {
            ObjectNode room = rooms.has(roomId) ? (ObjectNode) rooms.get(roomId) : Json.object();
            if (!room.has("sessions")) room.putObject("sessions");
            return room;
        }
        return Json.object().set("rooms", rooms);
    }

    /** DELETE /room_keys/keys[/{roomId}[/{sessionId}]]. */
    public ObjectNode deleteKeys(String userId, String version, String roomId, String sessionId) {
        long number = parseVersionParam(version);
        WriteResult r = store.deleteKeys(userId, number, roomId, sessionId);
        if (r.status() != KeyBackupStore.Status.OK) throw MatrixException.notFound("Unknown backup version");
        return updateResponse(r);
    }

    /**
     * The spec's rule for a session that already has a key: keep the verified one; if both are equally
     * verified, keep the lower first_message_index; then the lower forwarded_count; if all are equal, keep
     * what is there (a retried upload changes nothing, not even the etag).
     */
    public static boolean replaces(SessionKey existing, SessionKey incoming) {
        if (existing.verified() != incoming.verified()) return incoming.verified();
        if (existing.firstMessageIndex() != incoming.firstMessageIndex()) {
            return incoming.firstMessageIndex() < existing.firstMessageIndex();
        }
        return incoming.forwardedCount() < existing.forwardedCount();
    }

    private ObjectNode put(String userId, String version, List<SessionKey> keys) {
        long number = parseVersionParam(version);
        WriteResult r = store.putKeys(userId, number, keys, KeyBackups::replaces);
        return switch (r.status()) {
            case OK -> updateResponse(r);
            case NO_BACKUP, NOT_FOUND -> throw MatrixException.notFound("Unknown backup version");
            case WRONG_VERSION -> throw new MatrixException(403, "M_WRONG_ROOM_KEYS_VERSION", "Wrong backup version",
                    Json.object().put("current_version", Long.toString(r.currentVersion())));
        };
    }

    private static ObjectNode updateResponse(WriteResult r) {
        return Json.object().put("etag", Long.toString(r.etag())).put("count", r.count());
    }

    /** The version a read refers to; 404 if it does not exist or was deleted. */
    private long requireVersion(String userId, String version) {
        long number = parseVersionParam(version);
        if (store.version(userId, number).isEmpty()) throw MatrixException.notFound("Unknown backup version");
        return number;
    }

    /** The required ?version= query parameter. */
    private static long parseVersionParam(String version) {
        if (version == null) throw MatrixException.missingParam("Query parameter 'version' is required");
        return parseVersion(version);
    }

    /** Versions are our own decimal numbers; anything else names no backup (404, as for an unknown number). */
    private static long parseVersion(String version) {
        if (version == null || !version.matches("[1-9][0-9]{0,17}")) {
            throw MatrixException.notFound("Unknown backup version");
        }
        return Long.parseLong(version);
    }

    private static void addSessions(List<SessionKey> out, String roomId, ObjectNode sessions) {
        for (Map.Entry<String, JsonNode> s : sessions.properties()) {
            if (!(s.getValue() instanceof ObjectNode data)) throw MatrixException.badJson("Each session must be an object");
            out.add(sessionKey(roomId, id(s.getKey(), "session"), data));
        }
    }

    private static SessionKey sessionKey(String roomId, String sessionId, ObjectNode data) {
        long firstMessageIndex = nonNegative(data, "first_message_index");
        long forwardedCount = nonNegative(data, "forwarded_count");
        JsonNode verified = data.get("is_verified");
        if (verified == null || !verified.isBoolean()) throw MatrixException.badJson("'is_verified' must be true or false");
        return new SessionKey(roomId, sessionId, firstMessageIndex, forwardedCount, verified.booleanValue(),
                object(data, "session_data"));
    }

    private static long nonNegative(ObjectNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || !n.isIntegralNumber() || !n.canConvertToLong() || n.longValue() < 0) {
            throw MatrixException.badJson("'" + field + "' must be a non-negative integer");
        }
        return n.longValue();
    }

    private static ObjectNode object(ObjectNode o, String field) {
        if (!(o.get(field) instanceof ObjectNode obj)) throw MatrixException.badJson("'" + field + "' must be an object");
        return obj;
    }

    private static String algorithm(ObjectNode body) {
        JsonNode a = body.get("algorithm");
        if (a == null || !a.isTextual() || a.textValue().isEmpty() || a.textValue().length() > 255) {
            throw MatrixException.badJson("'algorithm' must be a non-empty string");
        }
        return a.textValue();
    }

    private static ObjectNode authData(ObjectNode body) { return object(body, "auth_data"); }

    private static String id(String id, String what) {
        if (id == null || id.isEmpty() || id.getBytes(StandardCharsets.UTF_8).length > MAX_ID_BYTES) {
            throw MatrixException.invalidParam("Invalid " + what + " id");
        }
        if (what.equals("room") && !id.startsWith("!")) throw MatrixException.invalidParam("Invalid room id");
        return id;
    }

    private static ObjectNode keyJson(SessionKey k) {
        ObjectNode o = Json.object();
        o.put("first_message_index", k.firstMessageIndex());
        o.put("forwarded_count", k.forwardedCount());
        o.put("is_verified", k.verified());
        o.set("session_data", k.sessionData());
        return o;
    }
}
