package de.amtsbote.rooms;

/** The values of content.membership of an m.room.member event. */
public enum Membership {
    JOIN("join"), INVITE("invite"), LEAVE("leave"), BAN("ban"), KNOCK("knock");

    private final String value;

    Membership(String value) { this.value = value; }

    /** The wire value ("join", ...). */
    public String value() { return value; }

    /** Whether a membership string from an event is this one (null is none). */
    public boolean is(String membership) { return value.equals(membership); }

    /** The membership for a wire value; null for null or an unknown value. */
    public static Membership of(String value) {
        if (value == null) return null;
        for (Membership m : values()) if (m.value.equals(value)) return m;
        return null;
    }

    @Override
    public String toString() { return value; }
}
