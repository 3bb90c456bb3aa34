package org.optbench.sweep.store;

import java.util.Locale;

/**
 * Where a sweep stands in the store: running (its trials are being run, or were when its server
 * stopped: the API shows such a sweep as paused until a server drives it again), completed, or
 * cancelled by its owner.
 */
public enum SweepStatus {
    RUNNING, COMPLETED, CANCELLED;

    /** The word stored in the database. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SweepStatus of(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}
