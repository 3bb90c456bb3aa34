package org.optbench.train;

/**
 * What one optimizer step logged: the step (from 1), tokens seen after it, the loss of its batch
 * before the update, the learning rate used, the gradient norm before clipping and the wall time
 * of the step in milliseconds.
 */
public record StepRecord(int step, long tokens, double loss, double lr, double gradNorm, double millis) {
}
