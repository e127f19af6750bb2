package de.amtsbote.clientapi;

import static de.amtsbote.http.Router.Auth.USER;

import de.amtsbote.http.Router;
import de.amtsbote.users.KeyBackups;
import de.amtsbote.util.Json;

/** The /room_keys endpoints (key_backup.yaml); the rules are in {@link KeyBackups}. */
public final class KeyBackupHandlers implements Handlers {
    private final KeyBackups backups;

    public KeyBackupHandlers(KeyBackups backups) { this.backups = backups; }

    @Override
    public void register(Router r) {
        r.client("POST", "/room_keys/version", USER, req -> backups.create(req.userId(), req.json()));
        r.client("GET", "/room_keys/version", USER, req -> backups.info(req.userId(), null));
        String version = "/room_keys/version/{version}";
        r.client("GET", version, USER, req -> backups.info(req.userId(), req.path("version")));
        r.client("PUT", version, USER, req -> {
            backups.update(req.userId(), req.path("version"), req.json());
            return Json.object();
        });
        r.client("DELETE", version, USER, req -> {
            backups.delete(req.userId(), req.path("version"));
            return Json.object();
        });

        String all = "/room_keys/keys";
        String room = all + "/{roomId}";
        String session = room + "/{sessionId}";
        r.client("PUT", all, USER, req -> backups.putAll(req.userId(), req.query("version"), req.json()));
        r.client("PUT", room, USER, req -> backups.putRoom(req.userId(), req.query("version"), req.path("roomId"),
                req.json()));
        r.client("PUT", session, USER, req -> backups.putSession(req.userId(), req.query("version"),
                req.path("roomId"), req.path("sessionId"), req.json()));
        r.client("GET", all, USER, req -> backups.get(req.userId(), req.query("version"), null, null));
        r.client("GET", room, USER, req -> backups.get(req.userId(), req.query("version"), req.path("roomId"), null));
        r.client("GET", session, USER, req -> backups.get(req.userId(), req.query("version"), req.path("roomId"),
                req.path("sessionId")));
        r.client("DELETE", all, USER, req -> backups.deleteKeys(req.userId(), req.query("version"), null, null));
        r.client("DELETE", room, USER, req -> backups.deleteKeys(req.userId(), req.query("version"),
                req.path("roomId"), null));
        r.client("DELETE", session, USER, req -> backups.deleteKeys(req.userId(), req.query("version"),
                req.path("roomId"), req.path("sessionId")));
    }
}
