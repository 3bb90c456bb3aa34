package org.optbench.sweep.store;

import java.util.Locale;

/** Where a trial stands. Completed and diverged are results; failed carries an error. */
public enum TrialStatus {
    PENDING, RUNNING, COMPLETED, DIVERGED, FAILED, CANCELLED;

    public boolean isFinished() {
        return this == COMPLETED || this == DIVERGED || this == FAILED || this == CANCELLED;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TrialStatus of(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}
