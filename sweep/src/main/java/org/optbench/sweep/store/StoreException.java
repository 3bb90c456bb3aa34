package org.optbench.sweep.store;

import org.optbench.sweep.error.SweepFailure;

/** The trial store cannot be reached or written; the message names the database and the cause. */
public class StoreException extends RuntimeException implements SweepFailure {

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }

    @Override
    public Kind kind() {
        return Kind.UNAVAILABLE;
    }
}
