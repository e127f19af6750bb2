package de.amtsbote.push;

/**
 * Matrix glob matching ({@code *} = any run of characters, {@code ?} = exactly one character), case-insensitive.
 *
 * <p>Runs the pattern as a set of states over the text instead of a backtracking regex: event bodies are
 * chosen by other users, and a pattern like {@code *a*a*a*b} must not let them stall the server. Both
 * matches below take time proportional to text length times pattern length. Characters are code points,
 * so {@code ?} matches one emoji, not half of one.
 */
final class Glob {
    private Glob() {}

    /** The longest pattern a client may set (content rule patterns, event_match patterns). */
    static final int MAX_PATTERN_LENGTH = 255;

    /** The pattern matches the whole value, with a budget of its own. */
    static boolean matchesWhole(String pattern, String value) {
        return matchesWhole(pattern, value, MatchBudget.perEvaluation());
    }

    /** The pattern matches the whole value; false once the budget is spent. */
    static boolean matchesWhole(String pattern, String value, MatchBudget budget) {
        if (!budget.spend(value.length() + 1)) return false;
        // Most patterns (event types, msgtypes) have no wildcards: compare directly, the common case per event.
        if (pattern.indexOf('*') < 0 && pattern.indexOf('?') < 0) {
            return pattern.length() == value.length() && pattern.regionMatches(true, 0, value, 0, value.length())
                    || sameWhole(pattern, value);
        }
        int[] p = pattern.codePoints().toArray();
        int[] t = value.codePoints().toArray();
        boolean[] states = new boolean[p.length + 1];
        states[0] = true;
        states = closure(p, states, true);
        for (int c : t) {
            if (!budget.spend(p.length + 1)) return false;
            states = step(p, states, c, true);
        }
        return states[p.length];
    }

    /**
     * The pattern matches some substring that starts and ends at a word boundary, as the spec defines for
     * {@code content.body}: the substring is preceded by the start of the value or a non-word character, and
     * followed by the end of the value or a non-word character (word characters are [A-Za-z0-9_]).
     * With {@code literal} the pattern's {@code *} and {@code ?} are ordinary characters (for display names).
     */
    static boolean matchesWords(String pattern, String value, boolean literal) {
        return matchesWords(pattern, value, literal, MatchBudget.perEvaluation());
    }

    /** As above; false once the budget is spent (each text character costs pattern length + 1 steps). */
    static boolean matchesWords(String pattern, String value, boolean literal, MatchBudget budget) {
        if (!budget.spend(value.length() + 1)) return false;
        int[] p = pattern.codePoints().toArray();
        int[] t = value.codePoints().toArray();
        boolean[] states = new boolean[p.length + 1];
        for (int i = 0; ; i++) {
            // A match may start here if we are at a boundary.
            if (i == 0 || !isWordChar(t[i - 1])) {
                states[0] = true;
                states = closure(p, states, !literal);
            }
            // A match may end here if we are at a boundary.
            if (states[p.length] && (i == t.length || !isWordChar(t[i]))) return true;
            if (i == t.length) return false;
            if (!budget.spend(p.length + 1)) return false;
            states = step(p, states, t[i], !literal);
        }
    }

    /** Code-point case-insensitive equality (the slow path of the no-wildcard case, e.g. for non-BMP text). */
    private static boolean sameWhole(String pattern, String value) {
        int[] p = pattern.codePoints().toArray();
        int[] t = value.codePoints().toArray();
        if (p.length != t.length) return false;
        for (int i = 0; i < p.length; i++) if (!sameIgnoringCase(p[i], t[i])) return false;
        return true;
    }

    private static boolean isWordChar(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    }

    /** Consumes one text character: state i means "the first i pattern characters are matched". */
    private static boolean[] step(int[] p, boolean[] states, int c, boolean wildcards) {
        boolean[] next = new boolean[p.length + 1];
        for (int i = 0; i < p.length; i++) {
            if (!states[i]) continue;
            if (wildcards && p[i] == '*') next[i] = true;
            else if ((wildcards && p[i] == '?') || sameIgnoringCase(p[i], c)) next[i + 1] = true;
        }
        return closure(p, next, wildcards);
    }

    /** A '*' may match nothing, so being before it also means being after it. */
    private static boolean[] closure(int[] p, boolean[] states, boolean wildcards) {
        for (int i = 0; i < p.length; i++) {
            if (states[i] && wildcards && p[i] == '*') states[i + 1] = true;
        }
        return states;
    }

    private static boolean sameIgnoringCase(int a, int b) {
        return a == b || Character.toLowerCase(Character.toUpperCase(a)) == Character.toLowerCase(Character.toUpperCase(b));
    }
}
