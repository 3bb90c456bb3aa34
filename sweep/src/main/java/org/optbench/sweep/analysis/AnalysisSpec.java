package org.optbench.sweep.analysis;

import java.util.List;

/**
 * How a sweep is analysed, from its spec's {@code analysis:} and {@code claims:} keys: the
 * equivalence margin of the pairwise table (NaN: no equivalence tests), bootstrap resamples,
 * the largest difference of final losses between devices that still counts as agreement, the
 * declared claims, and how far {@code extend_edges} may extend a grid (which the edge warnings
 * mention).
 *
 * @param margin           equivalence margin in nats for the pairwise TOST, or NaN
 * @param bootstrapSamples resamples per bootstrap interval
 * @param deviceTolerance  |final loss difference| above which two devices disagree on a trial
 * @param claims           the claims to evaluate, in spec order
 * @param extendEdgesMax   the points extend_edges may add past an edge, 0 when it is off
 */
public record AnalysisSpec(double margin, int bootstrapSamples, double deviceTolerance, List<ClaimSpec> claims,
                           int extendEdgesMax) {

    /** Agreement between devices: within 0.01 nats of final loss. */
    public static final double DEFAULT_DEVICE_TOLERANCE = 0.01;

    public AnalysisSpec {
        claims = List.copyOf(claims);
    }

    public static AnalysisSpec defaults() {
        return new AnalysisSpec(Double.NaN, Bootstrap.DEFAULT_SAMPLES, DEFAULT_DEVICE_TOLERANCE, List.of(), 0);
    }

    /** This analysis for a sweep whose extend_edges adds at most {@code max} points past an edge (0: off). */
    public AnalysisSpec withExtendEdgesMax(int max) {
        return new AnalysisSpec(margin, bootstrapSamples, deviceTolerance, claims, max);
    }
}
