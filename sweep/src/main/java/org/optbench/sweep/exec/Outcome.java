package org.optbench.sweep.exec;

/**
 * How an attempt ended, as its executor saw it: it exited with a code, it was cancelled from
 * outside optbench (e.g. {@code scancel}), or it was lost (node failure, preemption, killed by a
 * signal), which the runner retries up to the spec's limit.
 *
 * @param kind     exited, cancelled or lost
 * @param exitCode the process's exit code (meaningful for exited)
 * @param reason   what the executor knows, e.g. the Slurm state; empty for a plain exit
 */
public record Outcome(Kind kind, int exitCode, String reason) {

    /** The three ends an attempt can have. */
    public enum Kind { EXITED, CANCELLED, LOST }

    public static Outcome exited(int code) {
        return new Outcome(Kind.EXITED, code, "");
    }

    public static Outcome cancelled(String reason) {
        return new Outcome(Kind.CANCELLED, -1, reason);
    }

    public static Outcome lost(String reason) {
        return new Outcome(Kind.LOST, -1, reason);
    }
}
