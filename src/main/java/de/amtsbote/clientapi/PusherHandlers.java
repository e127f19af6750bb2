package de.amtsbote.clientapi;

import static de.amtsbote.http.Router.Auth.USER;

import de.amtsbote.http.Router;
import de.amtsbote.push.Pushers;
import de.amtsbote.util.Json;

/** GET /pushers and POST /pushers/set (pusher.yaml); the rules are in {@link Pushers}. */
public final class PusherHandlers implements Handlers {
    private final Pushers pushers;

    public PusherHandlers(Pushers pushers) { this.pushers = pushers; }

    @Override
    public void register(Router r) {
        r.client("GET", "/pushers", USER, req -> pushers.list(req.userId()));
        r.client("POST", "/pushers/set", USER, req -> {
            pushers.set(req.session(), req.json());
            return Json.object();
        });
    }
}
