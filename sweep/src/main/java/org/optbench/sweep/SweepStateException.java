package org.optbench.sweep;

import org.optbench.sweep.error.SweepFailure;

/** The sweep is in the wrong state for the request (deleting a running sweep, cancelling a finished one). */
public class SweepStateException extends RuntimeException implements SweepFailure {

    public SweepStateException(String message) {
        super(message);
    }

    @Override
    public Kind kind() {
        return Kind.WRONG_STATE;
    }
}
