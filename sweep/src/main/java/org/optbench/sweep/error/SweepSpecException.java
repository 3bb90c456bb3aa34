package org.optbench.sweep.error;

/** A sweep spec that cannot run: the message names the file, the key path and what is valid. */
public class SweepSpecException extends IllegalArgumentException implements SweepFailure {

    /** The longest piece of user input a message repeats. */
    public static final int ECHO_LIMIT = SweepFailure.ECHO_LIMIT;

    public SweepSpecException(String message) {
        super(message);
    }

    /** {@code input} as a message may repeat it: at most {@link #ECHO_LIMIT} characters. */
    public static String shorten(String input) {
        return SweepFailure.echo(input);
    }

    @Override
    public Kind kind() {
        return Kind.INVALID;
    }
}
