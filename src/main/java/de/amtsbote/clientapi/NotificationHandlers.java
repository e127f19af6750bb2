package de.amtsbote.clientapi;

import static de.amtsbote.http.Router.Auth.USER;

import de.amtsbote.http.Router;
import de.amtsbote.push.NotificationList;
import de.amtsbote.util.Json;

/** GET /notifications, and GET /thirdparty/protocols (no bridges here: an empty object, as the spec allows). */
public final class NotificationHandlers implements Handlers {
    private final NotificationList notifications;

    public NotificationHandlers(NotificationList notifications) { this.notifications = notifications; }

    @Override
    public void register(Router r) {
        r.client("GET", "/notifications", USER, req -> notifications.page(req.userId(), req.session().deviceId(),
                req.query("from"), req.queryInt("limit", 20, 1, 100), req.query("only")));
        r.client("GET", "/thirdparty/protocols", USER, req -> Json.object());
    }
}
