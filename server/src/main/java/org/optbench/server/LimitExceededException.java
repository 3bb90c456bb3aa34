package org.optbench.server;

/** A caller reached one of the server's limits (watch streams, report rows); the message names the limit. */
final class LimitExceededException extends RuntimeException {

    LimitExceededException(String message) {
        super(message);
    }
}
