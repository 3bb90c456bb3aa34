package org.optbench.sweep;

/** The server is shutting down and takes no new sweeps; the client may try again once it is back. */
public final class ShuttingDownException extends RuntimeException {

    ShuttingDownException() {
        super("the server is shutting down; try again when it is back");
    }
}
