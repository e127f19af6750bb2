package de.amtsbote.sync;

import static de.amtsbote.sync.SyncHttp.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.testing.TestServer;
import de.amtsbote.util.Json;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** More pending to-device messages than one response carries: none lost, none repeated, retries safe. */
class ToDeviceSyncTest {
    private static List<Integer> seqs(JsonNode sync) {
        List<Integer> out = new ArrayList<>();
        for (JsonNode e : sync.path("to_device").path("events")) out.add(e.path("content").path("seq").asInt());
        return out;
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void moreThanOneBatchOfToDeviceMessages(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String alice = s.userToken("alice");
            String bob = s.userToken("bob");
            String since = sync(s, bob, null, null).get("next_batch").asText();
            for (int i = 0; i < 150; i++) {
                ObjectNode body = Json.object();
                body.putObject("messages").putObject(s.userId("bob")).putObject("*").put("seq", i);
                var r = s.request("PUT", "/_matrix/client/v3/sendToDevice/m.test/txn" + i, alice, body);
                assertEquals(200, r.status(), r.body());
            }
            JsonNode first = sync(s, bob, since, null);
            assertEquals(100, seqs(first).size());
            assertEquals(0, seqs(first).getFirst());
            assertEquals(99, seqs(first).getLast());
            // The response got lost and the client retries with the same token: the same batch again.
            assertEquals(seqs(first), seqs(sync(s, bob, since, null)));

            JsonNode second = sync(s, bob, first.get("next_batch").asText(), null);
            List<Integer> rest = seqs(second);
            assertEquals(50, rest.size(), second.toString());
            assertEquals(100, rest.getFirst());
            assertEquals(149, rest.getLast());
            JsonNode third = sync(s, bob, second.get("next_batch").asText(), null);
            assertEquals(List.of(), seqs(third));

            // A token in the old two-part form still works.
            SyncToken t = SyncToken.parse(third.get("next_batch").asText());
            JsonNode old = sync(s, bob, "s" + t.pos() + "_" + t.typing(), null);
            assertEquals(List.of(), seqs(old));
        }
    }
}
