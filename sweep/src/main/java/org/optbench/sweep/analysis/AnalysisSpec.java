package org.optbench.sweep.analysis;

import java.util.List;

/**
 * How a sweep is analysed, from its spec's {@code analysis:} and {@code claims:} keys: the
 * equivalence margin of the pairwise table (NaN: no equivalence tests), bootstrap resamples,
 * the largest difference of final losses between devices that still counts as agreement, and the
 * declared claims.
 *
 * @param margin           equivalence margin in nats for the pairwise TOST, or NaN
 * @param bootstrapSamples resamples per bootstrap interval
 * @param deviceTolerance  |final loss difference| above which two devices disagree on a trial
 * @param claims           the claims to evaluate, in spec order
 */
public record AnalysisSpec(double margin, int bootstrapSamples, double deviceTolerance, List<ClaimSpec> claims) {

    /** Agreement between devices: within 0.01 nats of final loss. */
    public static final double DEFAULT_DEVICE_TOLERANCE = 0.01;

    public AnalysisSpec {
        claims = List.copyOf(claims);
    }

    public static AnalysisSpec defaults() {
        return new AnalysisSpec(Double.NaN, Bootstrap.DEFAULT_SAMPLES, DEFAULT_DEVICE_TOLERANCE, List.of());
    }
}
