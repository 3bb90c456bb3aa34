package org.optbench.sweep.store;

import org.optbench.sweep.error.SweepFailure;

/**
 * The trial store, or a file under the runs directory, cannot be reached or written; the message
 * names the database or file and the cause, for the server's log only.
 */
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

    @Override
    public String remoteMessage() {
        return "the server's storage failed";
    }
}
