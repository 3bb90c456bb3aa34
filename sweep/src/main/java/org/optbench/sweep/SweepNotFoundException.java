package org.optbench.sweep;

/** No sweep of that id exists, or the caller may not see it (another user's sweep looks absent). */
public final class SweepNotFoundException extends RuntimeException {

    public SweepNotFoundException(String message) {
        super(message);
    }
}
