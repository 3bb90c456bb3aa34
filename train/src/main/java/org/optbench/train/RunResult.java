package org.optbench.train;

/**
 * How a training run ended: {@code completed} or {@code diverged} (with the step at which the
 * loss stopped being finite or crossed the threshold), the last finite loss, the tokens trained
 * on, and the throughput over the whole run.
 */
public record RunResult(String status, int steps, Integer divergedAtStep, double lastFiniteLoss, long tokens,
                        double tokensPerSecond) {
}
