package de.amtsbote.sync;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** m.typing in each joined room's ephemeral events; its token part is the in-memory typing serial. */
final class TypingStream implements SyncStream {
    private final Typing typing;

    TypingStream(Typing typing) { this.typing = typing; }

    @Override
    public void advance(SyncRequest req, SyncResponse resp) { resp.advanceTyping(typing.serial()); }

    @Override
    public boolean initial(SyncRequest req, SyncResponse resp) {
        boolean content = false;
        for (String roomId : req.joinedRooms()) {
            List<String> users = typing.typingUsers(roomId);
            // Nobody typing is the client's starting assumption: no event needed.
            if (users.isEmpty() || !req.filter().ephemeral().matchesType("m.typing")) continue;
            add(resp, roomId, users);
            content = true;
        }
        return content;
    }

    @Override
    public boolean incremental(SyncRequest req, SyncResponse resp) {
        boolean content = false;
        for (String roomId : req.joinedRooms()) {
            if (!typing.changedSince(roomId, req.since().typing())) continue;
            if (!req.filter().ephemeral().matchesType("m.typing")) continue;
            add(resp, roomId, typing.typingUsers(roomId));
            content = true;
        }
        return content;
    }

    private static void add(SyncResponse resp, String roomId, List<String> users) {
        ArrayNode eph = resp.ephemeral(roomId);
        ObjectNode t = eph.addObject();
        t.put("type", "m.typing");
        ArrayNode ids = t.putObject("content").putArray("user_ids");
        users.forEach(ids::add);
    }
}
