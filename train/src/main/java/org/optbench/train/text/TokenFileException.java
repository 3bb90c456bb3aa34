package org.optbench.train.text;

/**
 * A corpus, tokenizer, token file or checkpoint that cannot be read or written, or data that does
 * not fit the run, with the file and the reason.
 */
public class TokenFileException extends RuntimeException {

    public TokenFileException(String message) {
        super(message);
    }

    public TokenFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
