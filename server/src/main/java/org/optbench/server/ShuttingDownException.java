package org.optbench.server;

/** The server is shutting down and takes no new sweeps; the client may try again once it is back. */
final class ShuttingDownException extends RuntimeException {

    ShuttingDownException() {
        super("the server is shutting down; try again when it is back");
    }
}
