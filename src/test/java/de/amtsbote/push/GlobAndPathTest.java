package de.amtsbote.push;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.util.Json;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class GlobAndPathTest {
    private static ObjectNode withContent(String key, String value) {
        ObjectNode event = Json.object();
        event.putObject("content").put(key, value);
        return event;
    }

    @Test
    void specEventMatchExampleOnTopic() {
        String pattern = "lunc?*";
        assertTrue(PushConditions.eventMatch(withContent("topic", "Lunch plans"), "content.topic", pattern));
        assertTrue(PushConditions.eventMatch(withContent("topic", "LUNCH"), "content.topic", pattern));
        assertFalse(PushConditions.eventMatch(withContent("topic", " lunch"), "content.topic", pattern));
        assertFalse(PushConditions.eventMatch(withContent("topic", "lunc"), "content.topic", pattern));
        ObjectNode nullTopic = Json.object();
        nullTopic.putObject("content").putNull("topic");
        assertFalse(PushConditions.eventMatch(nullTopic, "content.topic", "*"), "null is not a string");
        assertFalse(PushConditions.eventMatch(Json.object(), "content.topic", "*"), "absent never matches");
    }

    @Test
    void specContentBodyExampleMatchesAtWordBoundaries() {
        String pattern = "ex*ple";
        assertTrue(PushConditions.eventMatch(withContent("body", "An example event."), "content.body", pattern));
        assertTrue(PushConditions.eventMatch(withContent("body", "exple"), "content.body", pattern));
        assertTrue(PushConditions.eventMatch(withContent("body", "An exciting triple-whammy"), "content.body", pattern));
        assertFalse(PushConditions.eventMatch(withContent("body", "complexample"), "content.body", pattern));
        assertFalse(PushConditions.eventMatch(withContent("body", "example_x"), "content.body", pattern),
                "underscore is a word character");
    }

    @Test
    void otherKeysMatchTheWholeValue() {
        assertFalse(PushConditions.eventMatch(withContent("topic", "An example event."), "content.topic", "ex*ple"));
    }

    @Test
    void questionMarkIsOneCodePoint() {
        assertTrue(Glob.matchesWhole("a?b", "a😀b"));
        assertFalse(Glob.matchesWhole("a?b", "ab"));
        assertTrue(Glob.matchesWhole("**", ""));
        assertTrue(Glob.matchesWhole("ÄRGER", "ärger"));
    }

    @Test
    void literalModeTreatsWildcardsAsText() {
        assertTrue(Glob.matchesWords("a*b", "say a*b now", true));
        assertFalse(Glob.matchesWords("a*b", "say axxb now", true));
    }

    @Test
    @Timeout(2)
    void pathologicalPatternsStayFast() {
        String body = "a".repeat(60_000);
        assertFalse(Glob.matchesWords("*a*a*a*a*a*a*a*a*b", body, false));
        assertFalse(Glob.matchesWhole("*a*a*a*a*a*a*a*a*b", body));
    }

    @Test
    void dottedPathsHonourTheSpecsEscapes() {
        assertEquals(List.of("content", "m.relates_to", "rel_type"), PropertyPath.split("content.m\\.relates_to.rel_type"));
        assertEquals(List.of("content", "m\\foo"), PropertyPath.split("content.m\\\\foo"));
        assertEquals(List.of("content", "\\x"), PropertyPath.split("content.\\x"), "other escapes stay as-is");
        assertEquals(List.of("a", ""), PropertyPath.split("a."));
        assertEquals(List.of("a\\"), PropertyPath.split("a\\"));
    }

    @Test
    void resolveStopsAtNonObjects() {
        ObjectNode event = Json.parseObject("{\"content\": {\"m.relates_to\": {\"rel_type\": \"m.replace\"},"
                + " \"list\": [1]}}");
        assertEquals("m.replace", PropertyPath.resolve(event, "content.m\\.relates_to.rel_type").asText());
        assertNull(PropertyPath.resolve(event, "content.m.relates_to.rel_type"));
        assertNull(PropertyPath.resolve(event, "content.list.0"));
    }
}
