package org.optbench.sweep.analysis;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.optbench.sweep.trial.Point;

/**
 * How a sweep is analysed, from its spec's {@code analysis:} and {@code claims:} keys: the study's
 * one margin policy for equivalence, bootstrap resamples, the largest difference of final losses
 * between devices that still counts as agreement, the declared claims, how far
 * {@code extend_edges} may extend a grid (which the edge warnings mention), the fewest seeds a
 * claim's compared points need, whether claims are Holm-corrected, and the seeds that choose each
 * arm's best setting (the claims are judged on the others), and in a one-at-a-time sweep the
 * defaults each optimizer holds while one setting varies.
 *
 * @param margin           the equivalence margin policy of the study
 * @param bootstrapSamples resamples per bootstrap
 * @param deviceTolerance  |final loss difference| above which two devices disagree on a trial
 * @param claims           the claims to evaluate, in spec order
 * @param extendEdgesMax   the points extend_edges may add past an edge, 0 when it is off
 * @param minSeeds         the fewest seeds at a claim's compared points for a verdict
 * @param holm             whether verdicts use Holm-adjusted p-values across the claims
 * @param selectOn         seeds that choose each arm's best setting; empty: every seed chooses and judges
 * @param held             one-at-a-time sweeps: optimizer to the defaults of its varied settings; else empty
 */
public record AnalysisSpec(MarginPolicy margin, int bootstrapSamples, double deviceTolerance, List<ClaimSpec> claims,
                           int extendEdgesMax, int minSeeds, boolean holm, Set<Long> selectOn,
                           Map<String, Point> held) {

    /** Agreement between devices: within 0.01 nats of final loss. */
    public static final double DEFAULT_DEVICE_TOLERANCE = 0.01;

    /** A verdict needs five seeds at the compared points unless the spec says otherwise. */
    public static final int DEFAULT_MIN_SEEDS = 5;

    public AnalysisSpec {
        claims = List.copyOf(claims);
        selectOn = Set.copyOf(selectOn);
        held = Map.copyOf(held);
    }

    /** An analysis of a sweep that varies its settings together (no one-at-a-time defaults). */
    public AnalysisSpec(MarginPolicy margin, int bootstrapSamples, double deviceTolerance, List<ClaimSpec> claims,
                        int extendEdgesMax, int minSeeds, boolean holm, Set<Long> selectOn) {
        this(margin, bootstrapSamples, deviceTolerance, claims, extendEdgesMax, minSeeds, holm, selectOn, Map.of());
    }

    /** The defaults {@code optimizer} holds while one setting varies; empty unless the sweep is one at a time. */
    public Point held(String optimizer) {
        return held.getOrDefault(optimizer, Point.EMPTY);
    }

    public static AnalysisSpec defaults() {
        return new AnalysisSpec(MarginPolicy.NONE, Bootstrap.DEFAULT_SAMPLES, DEFAULT_DEVICE_TOLERANCE, List.of(), 0,
                DEFAULT_MIN_SEEDS, true, Set.of());
    }

    /** This analysis for a sweep whose extend_edges adds at most {@code max} points past an edge (0: off). */
    public AnalysisSpec withExtendEdgesMax(int max) {
        return new AnalysisSpec(margin, bootstrapSamples, deviceTolerance, claims, max, minSeeds, holm, selectOn,
                held);
    }
}
