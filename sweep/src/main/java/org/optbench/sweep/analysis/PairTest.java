package org.optbench.sweep.analysis;

/**
 * Two optimizers compared at their best points over seeds: the difference of mean best loss
 * (a - b; the mean of per-seed differences when paired), the two-sided p-value of the paired
 * t-test when both points ran at least two of the same seeds (else Welch's), the same after
 * Holm's correction across every pair, and the TOST p-value of equivalence within the study's
 * margin (NaN without a margin or seeds).
 *
 * @param a          first optimizer
 * @param b          second optimizer
 * @param difference mean best loss of a minus that of b
 * @param paired     whether per-seed differences were tested
 * @param nPairs     the seeds both ran, when paired; else 0
 * @param p          the two-sided p
 * @param pHolm      Holm-adjusted p
 * @param margin     the study's margin resolved for this pair (b is the reference), or NaN
 * @param pTost      TOST p at the margin
 */
public record PairTest(String a, String b, double difference, boolean paired, int nPairs, double p, double pHolm,
                       double margin, double pTost) {
}
