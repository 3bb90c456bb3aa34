package org.optbench.sweep.store;

/**
 * A sweep as the store holds it: its id and name, the user who owns it, the spec text it was
 * created from, when, its status, why its runner stopped when it failed or its user interrupted
 * it (null otherwise), and which process drives it and until when that claim holds (null when
 * none does).
 */
public record SweepRow(String id, String name, String owner, String spec, String createdAt, SweepStatus status,
                       String reason, String driver, Long drivenUntil) {

    /** The reason of a sweep its user interrupted (Ctrl-C on its study): a server resumes it only when asked. */
    public static final String PAUSED_BY_USER = "paused: interrupted by its user";

    /** Whether the sweep is paused because its user interrupted it, not because a server or runner stopped. */
    public boolean pausedByUser() {
        return running() && PAUSED_BY_USER.equals(reason);
    }

    /** Whether the sweep has trials to run (it runs while some process drives it, else it is paused). */
    public boolean running() {
        return status == SweepStatus.RUNNING;
    }

    /** Whether the sweep was cancelled (else, when not running, it completed). */
    public boolean cancelled() {
        return status == SweepStatus.CANCELLED;
    }

    /** Whether some process's claim to drive this sweep holds at {@code nowMillis}. */
    public boolean driven(long nowMillis) {
        return driver != null && drivenUntil != null && drivenUntil > nowMillis;
    }
}
