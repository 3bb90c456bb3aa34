package org.optbench.train;

/**
 * How a training run ended: {@code completed} or {@code diverged} (with the step at which the
 * loss stopped being finite or crossed the threshold), the last finite training loss, the final
 * and best validation losses (NaN when there was no evaluation), the final bits per byte, the
 * tokens trained on, and the throughput of this process's steps.
 */
public record RunResult(String status, int steps, Integer divergedAtStep, double lastFiniteLoss, double finalValLoss,
                        double bestValLoss, double finalValBitsPerByte, long tokens, double tokensPerSecond) {
}
