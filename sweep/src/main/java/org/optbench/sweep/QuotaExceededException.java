package org.optbench.sweep;

import org.optbench.sweep.error.SweepFailure;

/** A user's request goes past a quota of the server (running sweeps, stored trials, upload bytes). */
public class QuotaExceededException extends RuntimeException implements SweepFailure {

    public QuotaExceededException(String message) {
        super(message);
    }

    @Override
    public Kind kind() {
        return Kind.QUOTA;
    }
}
