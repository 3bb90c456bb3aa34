package org.optbench.sweep;

/**
 * Trials a sweep adds once its grid has run, along its learning rate (or its only swept setting):
 * {@code extend_edges} adds grid points past an edge where an arm's best point lies (an arm: one
 * optimizer with one combination of its other swept settings, such as Signum at beta1 = 0), one at
 * a time at the grid's own spacing, up to {@code maxExtend} per side, until the best is interior;
 * {@code refine} then runs each arm's best point and {@code aroundBest} grid points either
 * side with {@code refineSeeds} seeds in all, so seeds cost a fraction of a full grid.
 *
 * @param axis        the swept setting both act along
 * @param extendEdges whether edges are extended
 * @param maxExtend   the most points added past each edge of each arm's grid
 * @param refineSeeds seeds at the refined points (0: no refinement)
 * @param aroundBest  grid points either side of the best that are refined
 */
public record AdaptiveSpec(String axis, boolean extendEdges, int maxExtend, int refineSeeds, int aroundBest) {

    /** Points added past each edge when {@code extend_edges: true}. */
    public static final int DEFAULT_MAX_EXTEND = 3;
    public static final int MAX_EXTEND = 10;
    public static final int MAX_REFINE_SEEDS = 100;
    public static final int MAX_AROUND_BEST = 10;

    public boolean refines() {
        return refineSeeds > 0;
    }

    /**
     * The most trials this can add to a sweep of {@code arms} arms (curves along the axis) with
     * {@code seeds} seeds: every extension at every seed, and each refinement round's points at the
     * new seeds, refinement following the best for at most {@link #REFINE_ROUNDS} rounds.
     * Saturates at Long.MAX_VALUE.
     */
    public long bound(long arms, int seeds) {
        long extend = extendEdges ? 2L * maxExtend * seeds : 0;
        long refine = refines() ? (long) REFINE_ROUNDS * (2L * aroundBest + 1) * Math.max(0, refineSeeds - seeds) : 0;
        long perArm = extend + refine;
        return perArm == 0 ? 0 : arms > Long.MAX_VALUE / perArm ? Long.MAX_VALUE : arms * perArm;
    }

    /** Rounds of refinement: the best may move once refined seeds arrive, and refinement follows it. */
    public static final int REFINE_ROUNDS = 3;
}
