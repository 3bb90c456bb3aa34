package org.optbench.sweep.analysis;

import java.util.List;

/**
 * What a sweep says about one optimizer: its best final validation loss and the LR that gave it,
 * the stability metrics (widths in decades of LR within 0.02 and 0.1 nats of the best, the mean
 * excess loss over the +-1 decade window around the best LR), the seed statistics at the best LR
 * (mean, standard deviation, 95% confidence interval half-width), the optimizer state bytes per
 * parameter, and its loss-vs-LR curve.
 */
public record OptimizerSummary(String optimizer, int trials, int diverged, double bestLoss, double bestLr,
                               double width002, double width01, double meanExcess, double seedMean, double seedStd,
                               double ci95, double[] bestSeedLosses, double stateBytesPerParam, String bestTrialId,
                               List<LrPoint> curve) {
}
