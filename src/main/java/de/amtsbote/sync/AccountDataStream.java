package de.amtsbote.sync;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.storage.AccountDataStore;
import de.amtsbote.util.Json;
import java.util.function.Function;

/** Global and per-room account data (shares the server-wide stream position). */
final class AccountDataStream implements SyncStream {
    private final AccountDataStore store;
    private final Function<String, ObjectNode> pushRules;

    AccountDataStream(AccountDataStore store, Function<String, ObjectNode> pushRules) {
        this.store = store;
        this.pushRules = pushRules;
    }

    @Override
    public boolean initial(SyncRequest req, SyncResponse resp) { return fill(req, resp, 0); }

    @Override
    public boolean incremental(SyncRequest req, SyncResponse resp) { return fill(req, resp, req.sincePos()); }

    private boolean fill(SyncRequest req, SyncResponse resp, long after) {
        SyncFilter filter = req.filter();
        boolean content = false;
        boolean pushRulesSent = false;
        ArrayNode global = resp.accountData();
        for (AccountDataStore.Item item : store.since(req.userId(), after, req.upTo())) {
            if (item.roomId().isEmpty()) {
                if (item.type().equals("m.push_rules")) pushRulesSent = true;
                if (!filter.accountData().matchesType(item.type())) continue;
                global.add(event(req, item));
                content = true;
            } else if ("join".equals(req.memberships().get(item.roomId()))
                    && filter.rooms().matchesRoom(item.roomId()) && filter.roomAccountData().matchesType(item.type())) {
                ObjectNode room = resp.joined(item.roomId());
                ObjectNode ad = room.has("account_data") ? (ObjectNode) room.get("account_data") : room.putObject("account_data");
                (ad.has("events") ? (ArrayNode) ad.get("events") : ad.putArray("events")).add(event(req, item));
                content = true;
            }
        }
        if (after == 0 && !pushRulesSent && filter.accountData().matchesType("m.push_rules")) {
            global.add(Json.object().put("type", "m.push_rules").set("content", pushRules.apply(req.userId())));
        }
        return content;
    }

    private ObjectNode event(SyncRequest req, AccountDataStore.Item item) {
        ObjectNode e = Json.object();
        e.put("type", item.type());
        // Push rules: always the live rule set (server defaults may have changed since the copy was stored).
        boolean rules = item.roomId().isEmpty() && item.type().equals("m.push_rules");
        e.set("content", rules ? pushRules.apply(req.userId()) : item.content());
        return e;
    }
}
