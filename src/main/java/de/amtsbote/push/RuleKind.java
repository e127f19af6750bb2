package de.amtsbote.push;

import de.amtsbote.http.MatrixException;

/** The five push rule kinds, declared in the order the spec says they are checked. */
public enum RuleKind {
    OVERRIDE("override"),
    CONTENT("content"),
    ROOM("room"),
    SENDER("sender"),
    UNDERRIDE("underride");

    private final String wireName;

    RuleKind(String wireName) { this.wireName = wireName; }

    /** The kind as it appears in URLs and in the ruleset JSON. */
    public String wireName() { return wireName; }

    /** Parses a kind from a URL path segment; anything else is a client error. */
    public static RuleKind parse(String s) {
        for (RuleKind k : values()) {
            if (k.wireName.equals(s)) return k;
        }
        throw MatrixException.invalidParam("Unknown push rule kind: " + s);
    }
}
