package org.optbench.train.run;

import java.util.List;

/**
 * When and on what a run evaluates: the first {@code tokens} tokens of the validation split (the
 * same tokens every time), at {@code points} log-spaced steps, the final step, and any extra
 * {@code steps} (early stopping's rungs).
 *
 * @param tokens validation tokens per evaluation
 * @param points log-spaced evaluations besides the final step
 * @param steps  extra steps to evaluate at
 */
public record EvalSpec(long tokens, int points, List<Integer> steps) {

    public static final long DEFAULT_TOKENS = 32768;
    public static final int DEFAULT_POINTS = 10;

    public EvalSpec {
        steps = steps == null ? List.of() : List.copyOf(steps);
    }

    public static EvalSpec defaults() {
        return new EvalSpec(DEFAULT_TOKENS, DEFAULT_POINTS, List.of());
    }
}
