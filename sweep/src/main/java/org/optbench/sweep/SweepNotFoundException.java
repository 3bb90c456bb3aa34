package org.optbench.sweep;

import org.optbench.sweep.error.SweepFailure;

/** No sweep of that id exists, or the caller may not see it (another user's sweep looks absent). */
public final class SweepNotFoundException extends RuntimeException implements SweepFailure {

    public SweepNotFoundException(String message) {
        super(message);
    }

    @Override
    public Kind kind() {
        return Kind.NOT_FOUND;
    }
}
