package org.optbench.sweep.analysis;

/**
 * Two optimizers compared at their best points over seeds: the difference of mean best loss
 * (a - b), Welch's two-sided p-value, the same after Holm's correction across every pair, and the
 * TOST p-value of equivalence within the analysis margin (NaN without a margin or seeds).
 *
 * @param a          first optimizer
 * @param b          second optimizer
 * @param difference mean best loss of a minus that of b
 * @param p          Welch's p
 * @param pHolm      Holm-adjusted p
 * @param pTost      TOST p at the margin
 */
public record PairTest(String a, String b, double difference, double p, double pHolm, double pTost) {
}
