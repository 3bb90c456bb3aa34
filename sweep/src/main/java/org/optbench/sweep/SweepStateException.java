package org.optbench.sweep;

/** The sweep is in the wrong state for the request (deleting a running sweep, cancelling a finished one). */
public class SweepStateException extends RuntimeException {

    public SweepStateException(String message) {
        super(message);
    }
}
