package org.optbench.sweep;

/** The sweep is driven by another process whose claim in the store holds (FAILED_PRECONDITION, like any wrong state). */
final class SweepClaimedException extends SweepStateException {

    SweepClaimedException(String message) {
        super(message);
    }
}
