package de.amtsbote.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Presence transitions with a fake clock. */
class PresenceTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final Presence presence = new Presence(u -> Set.of("@a:x", "@b:x"), new Notifier(), 90_000, now::get);

    @Test
    void syncingMakesOnlineIdleMakesUnavailableStoppingMakesOffline() {
        long s0 = presence.serial();
        presence.syncing("@a:x", null);
        assertEquals("online", presence.content("@a:x").path("presence").asText());
        assertTrue(presence.content("@a:x").path("currently_active").asBoolean());
        assertTrue(presence.serial() > s0);

        // Still syncing, but idle for more than five minutes: unavailable.
        for (int i = 0; i < 11; i++) {
            now.addAndGet(30_000);
            presence.syncing("@a:x", null);
            presence.expire();
        }
        presence.syncing("@a:x", null);
        assertEquals("unavailable", presence.content("@a:x").path("presence").asText(), "syncing is not activity");
        assertFalse(presence.content("@a:x").path("currently_active").asBoolean());
        assertTrue(presence.content("@a:x").path("last_active_ago").asLong() >= 5 * 60_000);

        // Activity brings them back.
        presence.active("@a:x");
        assertEquals("online", presence.content("@a:x").path("presence").asText());

        // No sync for longer than the offline timeout: offline.
        now.addAndGet(91_000);
        presence.expire();
        assertEquals("offline", presence.content("@a:x").path("presence").asText());
    }

    @Test
    void setPresenceKeepsStatusMessageAndSyncingOfflineDoesNotAppear() {
        presence.syncing("@b:x", "offline");
        assertEquals("offline", presence.content("@b:x").path("presence").asText());
        assertTrue(presence.get("@b:x") == null, "an offline sync makes no presence entry");
        presence.set("@b:x", "unavailable", "lunch");
        assertEquals("unavailable", presence.content("@b:x").path("presence").asText());
        assertEquals("lunch", presence.content("@b:x").path("status_msg").asText());
        long s = presence.serial();
        assertEquals(1, presence.changedSince(s - 1).size());
        assertEquals(0, presence.changedSince(s).size());
    }

    @Test
    void sharesRoomOnlyWithRoomMates() {
        assertTrue(presence.sharesRoom("@a:x", "@b:x"));
        assertTrue(presence.sharesRoom("@c:x", "@c:x"));
        assertFalse(presence.sharesRoom("@a:x", "@c:x"));
    }
}
