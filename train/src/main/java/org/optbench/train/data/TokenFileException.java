package org.optbench.train.data;

/** A token file that cannot be read or does not fit the run, with the file and the reason. */
public class TokenFileException extends RuntimeException {

    public TokenFileException(String message) {
        super(message);
    }

    public TokenFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
