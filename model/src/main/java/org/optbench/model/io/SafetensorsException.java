package org.optbench.model.io;

/** A safetensors file that cannot be read or does not fit the model, with the reason and the file. */
public class SafetensorsException extends RuntimeException {

    public SafetensorsException(String message) {
        super(message);
    }

    public SafetensorsException(String message, Throwable cause) {
        super(message, cause);
    }
}
