package org.optbench.sweep.store;

import java.util.Locale;

/**
 * Where a trial stands. Completed and diverged are results; stopped means early stopping ended a
 * hopeless trial (a result too: it counts as worst-case); failed carries an error; cancelled was
 * stopped by a user.
 */
public enum TrialStatus {
    PENDING, RUNNING, COMPLETED, DIVERGED, STOPPED, FAILED, CANCELLED;

    public boolean isFinished() {
        return this != PENDING && this != RUNNING;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TrialStatus of(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}
