package de.amtsbote.clientapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import de.amtsbote.testing.TestServer;
import static de.amtsbote.testing.TestServer.assertError;
import de.amtsbote.util.Json;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DirectoryUserHandlersTest {
    private static final String C = "/_matrix/client/v3";

    private static List<String> userIds(JsonNode results) {
        List<String> out = new ArrayList<>();
        results.forEach(r -> out.add(r.get("user_id").asText()));
        return out;
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void searchFindsActiveLocalUsersByIdAndDisplayName(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String t = s.userToken("alice");
            var accounts = s.server().accounts();
            accounts.createUser("bmueller", "password-1", false, "Bernd Müller");
            accounts.createUser("cmeier", "password-2", false, "Clara Meier");
            accounts.createUser("mold", "password-3", false, "Max Old");
            s.server().stores().accounts().setProfile("@cmeier:test.local", "Clara Meier", "mxc://test.local/abc");

            var r = s.request("POST", C + "/user_directory/search", t, Json.parseObject("{\"search_term\": \"meier\"}"));
            assertEquals(200, r.status(), r.body());
            assertEquals(List.of("@cmeier:test.local"), userIds(r.json().get("results")));
            JsonNode clara = r.json().get("results").get(0);
            assertEquals("Clara Meier", clara.get("display_name").asText());
            assertEquals("mxc://test.local/abc", clara.get("avatar_url").asText());
            assertFalse(r.json().get("limited").asBoolean());

            // Case-insensitive, on IDs too; limit and limited.
            var byId = s.request("POST", C + "/user_directory/search", t, Json.parseObject("{\"search_term\": \"BMUEL\"}"));
            assertEquals(List.of("@bmueller:test.local"), userIds(byId.json().get("results")));
            var limited = s.request("POST", C + "/user_directory/search", t,
                    Json.parseObject("{\"search_term\": \"m\", \"limit\": 2}"));
            assertEquals(2, limited.json().get("results").size());
            assertTrue(limited.json().get("limited").asBoolean());

            assertError(s.request("POST", C + "/user_directory/search", t, Json.object()), 400, "M_BAD_JSON");
            assertError(s.request("POST", C + "/user_directory/search", t,
                    Json.parseObject("{\"search_term\": \"m\", \"limit\": \"ten\"}")), 400, "M_BAD_JSON");
            assertEquals(401, s.request("POST", C + "/user_directory/search", null,
                    Json.parseObject("{\"search_term\": \"m\"}")).status());
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void profileReads(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String t = s.userToken("alice");
            s.server().accounts().createUser("bob", "password-bob", false, "Bob");
            s.server().stores().accounts().setProfile("@bob:test.local", "Bob", "mxc://test.local/bob");

            assertEquals(Json.parse("{\"displayname\": \"Bob\", \"avatar_url\": \"mxc://test.local/bob\"}"),
                    s.request("GET", C + "/profile/@bob:test.local", t, null).json());
            assertEquals(Json.parse("{\"displayname\": \"Bob\"}"),
                    s.request("GET", C + "/profile/%40bob%3Atest.local/displayname", t, null).json());
            assertEquals(Json.parse("{\"avatar_url\": \"mxc://test.local/bob\"}"),
                    s.request("GET", C + "/profile/@bob:test.local/avatar_url", t, null).json());

            // Alice has no avatar (her display name defaults to her localpart): 200 {} for the unset field.
            assertEquals(Json.parse("{\"displayname\": \"alice\"}"),
                    s.request("GET", C + "/profile/@alice:test.local", t, null).json());
            var noAvatar = s.request("GET", C + "/profile/@alice:test.local/avatar_url", t, null);
            assertEquals(200, noAvatar.status(), noAvatar.body());
            assertEquals(Json.object(), noAvatar.json());
            s.server().stores().accounts().setProfile("@alice:test.local", null, null);
            var noName = s.request("GET", C + "/profile/@alice:test.local/displayname", null, null);
            assertEquals(200, noName.status(), noName.body());
            assertEquals(Json.object(), noName.json());

            // Readable without an access token; a wrong token is still refused.
            var anonymous = s.request("GET", C + "/profile/@bob:test.local", null, null);
            assertEquals(200, anonymous.status(), anonymous.body());
            assertEquals("Bob", anonymous.json().get("displayname").asText());
            assertEquals(200, s.request("GET", C + "/profile/@bob:test.local/avatar_url", null, null).status());
            assertError(s.request("GET", C + "/profile/@bob:test.local", "wrong", null), 401, "M_UNKNOWN_TOKEN");
            assertError(s.request("GET", C + "/profile/@bob:test.local/m.tz", t, null), 404, "M_NOT_FOUND");

            assertError(s.request("GET", C + "/profile/@nobody:test.local", t, null), 404, "M_NOT_FOUND");
            assertError(s.request("GET", C + "/profile/@nobody:test.local/displayname", t, null), 404, "M_NOT_FOUND");
            assertError(s.request("GET", C + "/profile/@nobody:test.local/avatar_url", t, null), 404, "M_NOT_FOUND");
        }
    }
}
