package org.optbench.sweep.error;

/**
 * What every failure of the sweep layer says about itself, so that a transport maps it by kind
 * rather than by class: the spec or a request is invalid, a sweep or trial is not found, a name is
 * taken, a sweep is in the wrong state for the request, a user's quota is spent, or the store or
 * the server is unavailable.
 * Each of the sweep layer's exceptions implements it.
 */
public interface SweepFailure {

    /** The kinds of failure. */
    enum Kind {
        INVALID, NOT_FOUND, CONFLICT, WRONG_STATE, QUOTA, UNAVAILABLE
    }

    Kind kind();

    /**
     * What a remote caller is told, when that is less than the message: a failure of the
     * server's own storage names files and paths that only its operator should see, so its
     * message goes to the server's log and the caller gets this; null when the message itself may
     * be shown.
     */
    default String remoteMessage() {
        return null;
    }

    /** The longest piece of user input a message repeats. */
    int ECHO_LIMIT = 64;

    /** {@code input} as a message may repeat it: at most {@link #ECHO_LIMIT} characters. */
    static String echo(String input) {
        if (input == null || input.length() <= ECHO_LIMIT) {
            return input;
        }
        return input.substring(0, ECHO_LIMIT) + "... (" + input.length() + " characters)";
    }
}
