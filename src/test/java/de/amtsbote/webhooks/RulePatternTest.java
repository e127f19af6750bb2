package de.amtsbote.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import de.amtsbote.http.MatrixException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rule patterns: matches with groups, bad and over-long patterns refused, catastrophic ones cut off. */
class RulePatternTest {
    @Test
    void findsWithGroups() {
        RulePattern p = RulePattern.compile("(?i)störung in (\\w+)");
        RulePattern.Match m = p.find("Achtung: Störung in Haus3 seit 8 Uhr");
        assertEquals("Störung in Haus3", m.text());
        assertEquals(List.of("Haus3"), m.groups());
        assertNull(p.find("alles gut"));
    }

    @Test
    void badPatternsAreInvalidParam() {
        for (String bad : new String[] {"(", "a{2,1}", "", "x".repeat(RulePattern.MAX_LENGTH + 1)}) {
            MatrixException e = assertThrows(MatrixException.class, () -> RulePattern.compile(bad), bad);
            assertEquals("M_INVALID_PARAM", e.errcode());
        }
    }

    @Test
    void catastrophicBacktrackingIsCutOffQuickly() {
        RulePattern p = RulePattern.compile("(.*a){20}x");
        String evil = "a".repeat(40) + "!";
        // Unbounded, this backtracks for minutes; the budget ends it after a million character reads.
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
            assertThrows(RulePattern.TooExpensive.class, () -> p.find(evil));
        });
    }

    @Test
    void commandWordAtTheStart() {
        assertEquals("Drucker defekt", OutgoingRules.commandArgs("!ticket Drucker defekt ", "!ticket"));
        assertEquals("", OutgoingRules.commandArgs("!TICKET", "!ticket"));
        assertNull(OutgoingRules.commandArgs("!tickets 3", "!ticket"));
        assertNull(OutgoingRules.commandArgs("bitte !ticket", "!ticket"));
    }
}
