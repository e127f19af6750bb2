package de.amtsbote.clientapi;

import static de.amtsbote.testing.TestServer.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.testing.TestServer;
import de.amtsbote.util.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Alias namespace and canonical alias checks (findings of issue 6). */
class AliasRulesTest {
    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void aliasesStayInOurNamespaceAndCanonicalAliasesMustExist(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String alice = s.userToken("alice");
            String roomId = s.request("POST", "/_matrix/client/v3/createRoom", alice, Json.object()).json()
                    .get("room_id").asText();
            String other = s.request("POST", "/_matrix/client/v3/createRoom", alice, Json.object()).json()
                    .get("room_id").asText();
            ObjectNode target = Json.object().put("room_id", roomId);

            var foreign = s.request("PUT", "/_matrix/client/v3/directory/room/" + enc("#x:other.org"), alice, target);
            assertError(foreign, 400, "M_INVALID_PARAM");
            assertError(s.request("GET", "/_matrix/client/v3/directory/room/" + enc("#x:other.org"), alice, null),
                    404, "M_NOT_FOUND");

            String room = "/_matrix/client/v3/rooms/" + enc(roomId) + "/state/m.room.canonical_alias";
            assertError(s.request("PUT", room, alice, Json.object().put("alias", "#nirgends:test.local")), 400, "M_BAD_ALIAS");
            assertError(s.request("PUT", room, alice, Json.object().put("alias", "kein alias")), 400, "M_INVALID_PARAM");

            assertEquals(200, s.request("PUT", "/_matrix/client/v3/directory/room/" + enc("#hier:test.local"), alice,
                    target).status());
            assertEquals(200, s.request("PUT", "/_matrix/client/v3/directory/room/" + enc("#dort:test.local"), alice,
                    Json.object().put("room_id", other)).status());
            // An alias of another room is not this room's canonical alias, neither as alias nor as alt alias.
            assertError(s.request("PUT", room, alice, Json.object().put("alias", "#dort:test.local")), 400, "M_BAD_ALIAS");
            ObjectNode alt = Json.object().put("alias", "#hier:test.local");
            alt.putArray("alt_aliases").add("#dort:test.local");
            assertError(s.request("PUT", room, alice, alt), 400, "M_BAD_ALIAS");

            var ok = s.request("PUT", room, alice, Json.object().put("alias", "#hier:test.local"));
            assertEquals(200, ok.status(), ok.body());
            assertEquals("#hier:test.local", s.request("GET", room, alice, null).json().path("alias").asText());
            // Removing the canonical alias (empty content) is always allowed.
            assertEquals(200, s.request("PUT", room, alice, Json.object()).status());
        }
    }
}
