package org.optbench.sweep.analysis;

/**
 * A claim's verdict: {@code supported} when the 95% interval of a - b lies wholly on the asserted
 * side of 0 (for {@code equivalent}: when the 90% interval lies inside +-margin, the two one-sided
 * tests at 5%), {@code refuted} when it lies wholly on the other side (for {@code equivalent}:
 * when the 95% interval lies wholly outside +-margin), {@code inconclusive} otherwise, and also
 * when there are too few seeds for an interval.
 *
 * @param claim    the claim as declared
 * @param verdict  supported, refuted or inconclusive
 * @param estimate the metric of a minus that of b
 * @param ci       the 95% interval of the difference (NaNs without seeds)
 * @param method   welch (best loss over the best points' seeds) or bootstrap (over seeds)
 * @param p        for equivalent, the TOST p-value (welch only); else Welch's two-sided p; NaN for bootstrap
 * @param note     why the verdict is inconclusive, or empty
 */
public record ClaimResult(ClaimSpec claim, String verdict, double estimate, double[] ci, String method, double p,
                         String note) {

    public static final String SUPPORTED = "supported";
    public static final String REFUTED = "refuted";
    public static final String INCONCLUSIVE = "inconclusive";
}
