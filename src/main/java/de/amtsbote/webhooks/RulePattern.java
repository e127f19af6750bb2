package de.amtsbote.webhooks;

import de.amtsbote.http.MatrixException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A rule's regular expression with a bound on its cost. Java's regex engine backtracks, so a pattern like
 * (.*a){20}x takes minutes on a 40-character message. Patterns are limited to 500 characters and every match reads the
 * message through a character sequence that counts reads: once the budget is spent the match is abandoned
 * ({@link TooExpensive}), so no pattern can hold a thread or a CPU for more than a few milliseconds.
 */
record RulePattern(Pattern pattern) {
    static final int MAX_LENGTH = 500;
    /** Character reads per match: a few milliseconds at worst; ordinary patterns on a message need far fewer. */
    static final long STEPS = 1_000_000;

    /** The match: the matched text and the capture groups (null for a group that did not take part). */
    record Match(String text, List<String> groups) {}

    static final class TooExpensive extends RuntimeException {
        TooExpensive() { super("pattern exceeded its step budget", null, false, false); }
    }

    static RulePattern compile(String regex) {
        if (regex.isEmpty() || regex.length() > MAX_LENGTH) {
            throw MatrixException.invalidParam("'pattern' must be 1 to " + MAX_LENGTH + " characters");
        }
        try {
            return new RulePattern(Pattern.compile(regex));
        } catch (PatternSyntaxException e) {
            throw MatrixException.invalidParam("'pattern' is not a valid regular expression: " + e.getDescription()
                    + " near position " + e.getIndex());
        }
    }

    /** The first match in text, or null; TooExpensive if the budget ran out first. */
    Match find(String text) {
        return find(text, STEPS);
    }

    Match find(String text, long steps) {
        Matcher m = pattern.matcher(new Budgeted(text, steps));
        if (!m.find()) return null;
        List<String> groups = new ArrayList<>();
        for (int i = 1; i <= m.groupCount(); i++) groups.add(m.group(i));
        return new Match(m.group(), groups);
    }

    /** Counts every character the matcher reads; sub-sequences (results) are plain strings. */
    private static final class Budgeted implements CharSequence {
        private final String text;
        private long remaining;

        Budgeted(String text, long steps) {
            this.text = text;
            this.remaining = steps;
        }

        @Override
        public char charAt(int index) {
            if (--remaining < 0) throw new TooExpensive();
            return text.charAt(index);
        }

        @Override
        public int length() { return text.length(); }

        @Override
        public CharSequence subSequence(int start, int end) { return text.substring(start, end); }

        @Override
        public String toString() { return text; }
    }
}
