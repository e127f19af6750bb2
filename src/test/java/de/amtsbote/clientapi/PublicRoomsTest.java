package de.amtsbote.clientapi;

import static de.amtsbote.testing.TestServer.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.testing.TestServer;
import de.amtsbote.util.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The published room directory: paging, search, room types, reading without an access token. */
class PublicRoomsTest {
    private static final String C = "/_matrix/client/v3";

    private static String create(TestServer s, String token, String name, boolean published) throws Exception {
        ObjectNode body = Json.object().put("name", name).put("visibility", published ? "public" : "private");
        var r = s.request("POST", C + "/createRoom", token, body);
        assertEquals(200, r.status(), r.body());
        return r.json().get("room_id").asText();
    }

    private static List<String> names(JsonNode chunk) {
        List<String> out = new ArrayList<>();
        chunk.forEach(r -> out.add(r.path("name").asText()));
        return out;
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void pagesForwardAndBackWithoutAnAccessToken(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String alice = s.userToken("alice");
            String bob = s.userToken("bob");
            for (int i = 0; i < 5; i++) create(s, alice, "Raum " + i, true);
            create(s, alice, "Geheim", false);
            // The busiest room comes first.
            String busy = create(s, alice, "Marktplatz", true);
            assertEquals(200, s.request("POST", C + "/join/" + URLEncoder.encode(busy, StandardCharsets.UTF_8), bob,
                    Json.object()).status());

            Set<String> seen = new HashSet<>();
            List<String> order = new ArrayList<>();
            String since = null;
            String secondPage = null;
            for (int page = 0; page < 10; page++) {
                var r = s.request("GET", C + "/publicRooms?limit=2" + (since == null ? "" : "&since=" + since), null, null);
                assertEquals(200, r.status(), r.body());
                assertEquals(6, r.json().get("total_room_count_estimate").asInt(), r.body());
                assertTrue(r.json().get("chunk").size() <= 2, r.body());
                for (String n : names(r.json().get("chunk"))) {
                    assertTrue(seen.add(n), "twice: " + n);
                    order.add(n);
                }
                assertEquals(page > 0, r.json().has("prev_batch"), r.body());
                if (page == 1) secondPage = r.body();
                if (!r.json().has("next_batch")) break;
                since = r.json().get("next_batch").asText();
            }
            assertEquals(6, seen.size(), seen.toString());
            assertFalse(seen.contains("Geheim"));
            assertEquals("Marktplatz", order.getFirst());

            // prev_batch of the second page leads back to the first.
            String prev = Json.parse(secondPage).get("prev_batch").asText();
            var first = s.request("GET", C + "/publicRooms?limit=2&since=" + prev, alice, null);
            assertEquals(order.subList(0, 2), names(first.json().get("chunk")));

            assertError(s.request("GET", C + "/publicRooms?since=bogus", null, null), 400, "M_INVALID_PARAM");
            assertError(s.request("GET", C + "/publicRooms", "wrong-token", null), 401, "M_UNKNOWN_TOKEN");
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void searchTermRoomTypesAndPagingInPost(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String alice = s.userToken("alice");
            create(s, alice, "Bauhof Nord", true);
            create(s, alice, "Bauhof Süd", true);
            create(s, alice, "Kantine", true);
            ObjectNode space = Json.object().put("name", "Bauhof Space").put("visibility", "public");
            space.putObject("creation_content").put("type", "m.space");
            assertEquals(200, s.request("POST", C + "/createRoom", alice, space).status());

            ObjectNode body = Json.object().put("limit", 2);
            body.putObject("filter").put("generic_search_term", "bauhof");
            var r = s.request("POST", C + "/publicRooms", alice, body);
            assertEquals(200, r.status(), r.body());
            assertEquals(3, r.json().get("total_room_count_estimate").asInt(), r.body());
            assertEquals(2, r.json().get("chunk").size());
            body.put("since", r.json().get("next_batch").asText());
            var rest = s.request("POST", C + "/publicRooms", alice, body);
            assertEquals(1, rest.json().get("chunk").size(), rest.body());
            assertFalse(rest.json().has("next_batch"), rest.body());

            ObjectNode spaces = Json.object();
            spaces.putObject("filter").putArray("room_types").add("m.space");
            var onlySpaces = s.request("POST", C + "/publicRooms", alice, spaces);
            assertEquals(List.of("Bauhof Space"), names(onlySpaces.json().get("chunk")));
            assertEquals("m.space", onlySpaces.json().get("chunk").get(0).get("room_type").asText());
            ObjectNode plain = Json.object();
            plain.putObject("filter").putArray("room_types").addNull();
            assertEquals(3, s.request("POST", C + "/publicRooms", alice, plain).json().get("chunk").size());

            ObjectNode badTypes = Json.object();
            badTypes.putObject("filter").put("room_types", "m.space");
            assertError(s.request("POST", C + "/publicRooms", alice, badTypes), 400, "M_BAD_JSON");
            assertEquals(401, s.request("POST", C + "/publicRooms", null, Json.object()).status());
        }
    }
}
