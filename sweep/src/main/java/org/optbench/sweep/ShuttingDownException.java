package org.optbench.sweep;

import org.optbench.sweep.error.SweepFailure;

/** The server is shutting down and takes no new sweeps; the client may try again once it is back. */
public final class ShuttingDownException extends RuntimeException implements SweepFailure {

    ShuttingDownException() {
        super("the server is shutting down; try again when it is back");
    }

    @Override
    public Kind kind() {
        return Kind.UNAVAILABLE;
    }
}
