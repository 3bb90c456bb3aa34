package org.optbench.train;

import java.util.TreeSet;

/**
 * The steps at which a run evaluates: about ten log-spaced steps, round(N^(i/10)) for i = 1..10,
 * and always the final step N, plus any extra steps asked for (the rungs of early stopping).
 */
public final class EvalSchedule {

    private final TreeSet<Integer> steps = new TreeSet<>();

    public EvalSchedule(int total, int points) {
        for (int i = 1; i <= points; i++) {
            steps.add((int) Math.max(1, Math.round(Math.pow(total, (double) i / points))));
        }
        steps.add(total);
    }

    /** The log-spaced schedule plus {@code extra} steps (those beyond the run are ignored). */
    public EvalSchedule(int total, int points, java.util.Collection<Integer> extra) {
        this(total, points);
        extra.stream().filter(s -> s >= 1 && s <= total).forEach(steps::add);
    }

    public boolean isEvalStep(int step) {
        return steps.contains(step);
    }

    public java.util.SortedSet<Integer> steps() {
        return java.util.Collections.unmodifiableSortedSet(steps);
    }
}
