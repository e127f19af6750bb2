package de.amtsbote.push;

/**
 * How much glob matching one evaluation of a user's push rules may do. Patterns and message bodies are chosen
 * by users; even with linear-time matching a long pattern against a long body costs pattern × body steps, for
 * every member of a room, on every message. Once the budget is spent, further patterns simply do not match:
 * the cost of one user's rules per event is bounded, and only that user's notifications suffer.
 */
public final class MatchBudget {
    /** Steps for one evaluation: a few milliseconds at worst. Typical messages use a few thousand. */
    public static final long STEPS_PER_EVALUATION = 1_000_000;

    private long remaining;
    private long used;

    public MatchBudget(long steps) { this.remaining = steps; }

    public static MatchBudget perEvaluation() { return new MatchBudget(STEPS_PER_EVALUATION); }

    /** Takes n steps; false if the budget does not cover them (nothing more may be matched then). */
    boolean spend(long n) {
        if (n > remaining) {
            remaining = 0;
            return false;
        }
        remaining -= n;
        used += n;
        return true;
    }

    /** Steps taken so far (never more than the budget). */
    public long used() { return used; }

    public boolean exhausted() { return remaining == 0; }
}
