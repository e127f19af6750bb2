package de.amtsbote.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import de.amtsbote.http.MatrixException;
import org.junit.jupiter.api.Test;

class SyncTokenTest {
    @Test
    void newTokensRoundTripAndOldOnesStillParse() {
        SyncToken t = new SyncToken(42, 7, 1_700_000_000_123L, 40);
        assertEquals(t, SyncToken.parse(t.format()));
        assertEquals(new SyncToken(42, 7, 0, 42), SyncToken.parse("s42_7"));
        assertEquals(new SyncToken(42, 0, 0, 42), SyncToken.parse("s42"));
        assertEquals(42, SyncToken.position("t42"));
    }

    @Test
    void malformedTokensAreInvalidParam() {
        for (String bad : new String[] {"s1_2_3", "s1_2_3_4_5", "s-1_0_0_0", "s1_0_0_-4", "sx", "x1", "s1__0_0"}) {
            MatrixException e = assertThrows(MatrixException.class, () -> SyncToken.parse(bad), bad);
            assertEquals(400, e.status(), bad);
        }
    }
}
