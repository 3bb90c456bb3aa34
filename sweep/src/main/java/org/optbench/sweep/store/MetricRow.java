package org.optbench.sweep.store;

/** One logged point of a trial: a training step ({@code kind} "train") or an evaluation ("eval"). */
public record MetricRow(int step, String kind, Long tokens, Double loss, Double lr, Double gradNorm) {
}
