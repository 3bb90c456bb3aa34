package org.optbench.sweep;

import org.optbench.sweep.error.SweepFailure;

/** A sweep of that name already exists with another spec or another owner; the message says which name to change. */
public final class SweepConflictException extends RuntimeException implements SweepFailure {

    public SweepConflictException(String message) {
        super(message);
    }

    @Override
    public Kind kind() {
        return Kind.CONFLICT;
    }
}
