package org.optbench.sweep;

/** A sweep of that name already exists with another spec or another owner; the message says which name to change. */
public final class SweepConflictException extends RuntimeException {

    public SweepConflictException(String message) {
        super(message);
    }
}
