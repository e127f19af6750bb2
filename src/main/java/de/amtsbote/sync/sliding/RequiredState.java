package de.amtsbote.sync.sliding;

import com.fasterxml.jackson.databind.JsonNode;
import de.amtsbote.http.MatrixException;
import java.util.ArrayList;
import java.util.List;

/**
 * Which state a room result carries. Two request shapes are accepted: the MSC's current object
 * {@code {"include": [{"type","state_key"}], "exclude": [...], "lazy_members": bool}} and the list of pairs that
 * Element X and Synapse send today, {@code [["*","*"], ["m.room.member","$LAZY"], ["m.room.member","$ME"]]}.
 * A null type or key matches anything; "$ME" stands for the requesting user.
 */
record RequiredState(List<Entry> include, List<Entry> exclude, boolean lazyMembers) {
    record Entry(String type, String stateKey) {
        boolean matches(String t, String k, String me) {
            if (type != null && !type.equals(t)) return false;
            return stateKey == null || stateKey.equals(k) || (stateKey.equals("$ME") && k.equals(me));
        }
    }

    static final RequiredState NONE = new RequiredState(List.of(), List.of(), false);

    static RequiredState parse(JsonNode n) {
        if (n == null || n.isNull()) return NONE;
        if (n.isArray()) {
            List<Entry> include = new ArrayList<>();
            boolean lazy = false;
            for (JsonNode pair : n) {
                if (!pair.isArray() || pair.size() != 2 || !pair.get(0).isTextual() || !pair.get(1).isTextual()) {
                    throw MatrixException.badJson("'required_state' entries must be [type, state_key] pairs");
                }
                String type = pair.get(0).asText();
                String key = pair.get(1).asText();
                if (type.equals("m.room.member") && key.equals("$LAZY")) {
                    lazy = true;
                    continue;
                }
                include.add(new Entry(type.equals("*") ? null : type, key.equals("*") ? null : key));
            }
            return new RequiredState(include, List.of(), lazy);
        }
        if (!n.isObject()) throw MatrixException.badJson("'required_state' must be an object");
        JsonNode lazy = n.path("lazy_members");
        if (!lazy.isMissingNode() && !lazy.isBoolean()) throw MatrixException.badJson("'lazy_members' must be a boolean");
        return new RequiredState(entries(n.get("include")), entries(n.get("exclude")), lazy.asBoolean(false));
    }

    private static List<Entry> entries(JsonNode n) {
        if (n == null || n.isNull()) return List.of();
        if (!n.isArray()) throw MatrixException.badJson("'include' and 'exclude' must be lists");
        List<Entry> out = new ArrayList<>();
        for (JsonNode e : n) {
            if (!e.isObject()) throw MatrixException.badJson("A required state element must be an object");
            out.add(new Entry(text(e, "type"), text(e, "state_key")));
        }
        return out;
    }

    private static String text(JsonNode e, String field) {
        JsonNode v = e.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw MatrixException.badJson("'" + field + "' must be a string");
        return v.asText();
    }

    /** Whether a state event is asked for (lazily loaded members are decided separately). */
    boolean wants(String type, String stateKey, String me) {
        for (Entry x : exclude) if (x.matches(type, stateKey, me)) return false;
        for (Entry i : include) if (i.matches(type, stateKey, me)) return true;
        return false;
    }

    /** Whether every membership is asked for anyway (then lazy loading adds nothing). */
    boolean allMembers() {
        return exclude.isEmpty() && include.stream().anyMatch(e -> (e.type == null || e.type.equals("m.room.member"))
                && e.stateKey == null);
    }

    /** The superset of two configs, as the MSC asks when a room matches several lists or subscriptions. */
    RequiredState union(RequiredState o) {
        if (this == NONE) return o;
        if (o == NONE) return this;
        // Excludes only apply within their own config; a union keeps an element wanted by either side.
        List<Entry> inc = new ArrayList<>();
        for (Entry e : include) inc.add(e);
        for (Entry e : o.include) inc.add(e);
        List<Entry> exc = new ArrayList<>();
        for (Entry e : exclude) if (o.exclude.contains(e)) exc.add(e);
        boolean lazy = (lazyMembers || o.lazyMembers) && !(allMembers() || o.allMembers());
        return new RequiredState(inc, exc, lazy);
    }
}
