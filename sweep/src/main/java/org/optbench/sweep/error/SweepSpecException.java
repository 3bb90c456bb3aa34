package org.optbench.sweep.error;

/** A sweep spec that cannot run: the message names the file, the key path and what is valid. */
public class SweepSpecException extends IllegalArgumentException {

    /** The longest piece of user input a message repeats. */
    public static final int ECHO_LIMIT = 64;

    public SweepSpecException(String message) {
        super(message);
    }

    /** {@code input} as a message may repeat it: at most {@link #ECHO_LIMIT} characters. */
    public static String shorten(String input) {
        if (input == null || input.length() <= ECHO_LIMIT) {
            return input;
        }
        return input.substring(0, ECHO_LIMIT) + "... (" + input.length() + " characters)";
    }
}
