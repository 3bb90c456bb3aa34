package org.optbench.sweep;

/** A sweep spec that cannot run: the message names the file, the key path and what is valid. */
public class SweepSpecException extends IllegalArgumentException {

    public SweepSpecException(String message) {
        super(message);
    }
}
