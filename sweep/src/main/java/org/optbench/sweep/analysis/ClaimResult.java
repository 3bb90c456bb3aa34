package org.optbench.sweep.analysis;

/**
 * A claim's verdict and the numbers behind it. A directional claim is {@code supported} when its
 * p-value (Holm-adjusted across the study's claims unless {@code analysis.correction: none}) is
 * below 5% and the estimate lies on the asserted side of 0, {@code refuted} when it is below 5% on
 * the other side; an equivalence claim is {@code supported} when its TOST p-value (adjusted
 * likewise) is below 5%, {@code refuted} when the 95% interval lies wholly outside +-margin.
 * Otherwise, and whenever a guard holds it back (too few seeds, a censored width, an excess
 * without points on both sides of the optimum), it is {@code inconclusive} and {@code reason} says
 * why.
 *
 * @param claim        the claim as declared
 * @param verdict      supported, refuted or inconclusive
 * @param estimate     the metric of a minus that of b
 * @param ci           the 95% interval of the difference (NaNs without seeds)
 * @param ci90         the 90% interval (what TOST reads)
 * @param margin       the margin applied to an equivalence claim (its own or the study's), else NaN
 * @param marginNeeded the smallest margin at which an equivalence claim would be supported: the
 *                     larger absolute end of its 90% interval; NaN for other claims
 * @param method       paired_t, welch or bootstrap
 * @param paired       whether per-seed differences were compared
 * @param nA           seeds of a at the compared point (its best point)
 * @param nB           seeds of b
 * @param nPairs       seeds both ran, when paired; else 0
 * @param p            TOST p for equivalence, else the two-sided p of "no difference"
 * @param pHolm        p after Holm's correction across the study's claims (p itself without correction)
 * @param reason       why the verdict is inconclusive, or empty
 */
public record ClaimResult(ClaimSpec claim, String verdict, double estimate, double[] ci, double[] ci90, double margin,
                          double marginNeeded, String method, boolean paired, int nA, int nB, int nPairs, double p,
                          double pHolm, String reason) {

    public static final String SUPPORTED = "supported";
    public static final String REFUTED = "refuted";
    public static final String INCONCLUSIVE = "inconclusive";

    /** The claim's id. */
    public String id() {
        return claim.id();
    }

    /** The claim's type as a spec writes it: equivalent, worse, better, wider or narrower. */
    public String type() {
        return claim.type().key();
    }

    /** The first arm as written. */
    public String a() {
        return claim.aText();
    }

    /** The second arm as written. */
    public String b() {
        return claim.bText();
    }

    /** The metric's name. */
    public String metric() {
        return claim.metric().key();
    }
}
