package org.optbench.sweep.store;

/** The trial store cannot be reached or written; the message names the database and the cause. */
public class StoreException extends RuntimeException {

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
