package org.optbench.model;

/** A model shape that cannot be built, with the offending values named in the message. */
public class ModelConfigException extends IllegalArgumentException {

    public ModelConfigException(String message) {
        super(message);
    }
}
