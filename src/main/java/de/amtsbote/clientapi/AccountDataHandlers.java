package de.amtsbote.clientapi;

import static de.amtsbote.http.Router.Auth.USER;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.http.MatrixException;
import de.amtsbote.http.Req;
import de.amtsbote.http.Router;
import de.amtsbote.storage.AccountDataStore;
import de.amtsbote.users.AccountData;
import de.amtsbote.users.ToDeviceMessages;
import de.amtsbote.util.Json;
import java.util.Set;

/** Account data (global and per room), room tags, sync filters and send-to-device. */
public final class AccountDataHandlers implements Handlers {
    private static final Set<String> FILTER_OBJECT_KEYS = Set.of("account_data", "presence", "room");

    private final AccountData accountData;
    private final AccountDataStore store;
    private final ToDeviceMessages toDevice;

    public AccountDataHandlers(AccountData accountData, AccountDataStore store, ToDeviceMessages toDevice) {
        this.accountData = accountData;
        this.store = store;
        this.toDevice = toDevice;
    }

    @Override
    public void register(Router r) {
        r.client("PUT", "/user/{userId}/account_data/{type}", USER, req -> {
            String user = self(req);
            accountData.put(user, "", req.path("type"), req.json());
            return Json.object();
        });
        r.client("GET", "/user/{userId}/account_data/{type}", USER, req -> accountData.get(self(req), "", req.path("type"))
                .orElseThrow(() -> MatrixException.notFound("No account data of this type")));
        r.client("PUT", "/user/{userId}/rooms/{roomId}/account_data/{type}", USER, req -> {
            String user = self(req);
            accountData.put(user, req.path("roomId"), req.path("type"), req.json());
            return Json.object();
        });
        r.client("GET", "/user/{userId}/rooms/{roomId}/account_data/{type}", USER, req ->
                accountData.get(self(req), req.path("roomId"), req.path("type"))
                        .orElseThrow(() -> MatrixException.notFound("No account data of this type for this room")));

        r.client("GET", "/user/{userId}/rooms/{roomId}/tags", USER, req -> accountData.tags(self(req), req.path("roomId")));
        r.client("PUT", "/user/{userId}/rooms/{roomId}/tags/{tag}", USER, req -> {
            String user = self(req);
            accountData.putTag(user, req.path("roomId"), req.path("tag"), req.json());
            return Json.object();
        });
        r.client("DELETE", "/user/{userId}/rooms/{roomId}/tags/{tag}", USER, req -> {
            accountData.deleteTag(self(req), req.path("roomId"), req.path("tag"));
            return Json.object();
        });

        r.client("POST", "/user/{userId}/filter", USER, req -> {
            String user = self(req);
            ObjectNode filter = req.json();
            checkFilter(filter);
            // The same checks /sync applies, so a stored filter never makes every later /sync fail.
            de.amtsbote.sync.SyncFilter.parse(filter);
            return Json.object().put("filter_id", store.addFilter(user, filter));
        });
        r.client("GET", "/user/{userId}/filter/{filterId}", USER, req -> store.filter(self(req), req.path("filterId"))
                .orElseThrow(() -> MatrixException.notFound("No such filter")));

        r.client("PUT", "/sendToDevice/{eventType}/{txnId}", USER, req -> {
            ObjectNode body = req.json();
            ObjectNode messages = JsonFields.optObject(body, "messages");
            if (messages == null) throw MatrixException.badJson("'messages' is required");
            toDevice.send(req.userId(), req.session().deviceId(), req.path("eventType"), req.path("txnId"), messages);
            return Json.object();
        });
    }

    /** The {userId} of the path, which must be the caller: users only see and change their own data. */
    private static String self(Req req) {
        String user = req.path("userId");
        if (!user.equals(req.userId())) throw MatrixException.forbidden("You can only access your own data");
        return user;
    }

    /** Shape checks of the top level of a filter, so /sync does not meet garbage later. */
    private static void checkFilter(ObjectNode filter) {
        for (String key : FILTER_OBJECT_KEYS) JsonFields.optObject(filter, key);
        var fields = JsonFields.optArray(filter, "event_fields");
        if (fields != null) {
            for (JsonNode f : fields) if (!f.isTextual()) throw MatrixException.badJson("'event_fields' must contain strings");
        }
        String format = JsonFields.optString(filter, "event_format");
        if (format != null && !format.equals("client") && !format.equals("federation")) {
            throw MatrixException.badJson("'event_format' must be 'client' or 'federation'");
        }
    }
}
