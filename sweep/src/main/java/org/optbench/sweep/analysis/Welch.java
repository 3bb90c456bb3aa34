package org.optbench.sweep.analysis;

import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.descriptive.SummaryStatistics;

/**
 * Welch's unequal-variance t statistics for the difference of two means, {@code mean(a) -
 * mean(b)}: the standard error, the Welch-Satterthwaite degrees of freedom, the two-sided p-value,
 * confidence intervals, and the two one-sided tests (TOST) of equivalence within a margin, whose
 * p-value is the larger of the two one-sided p-values (equivalent at level alpha exactly when the
 * 1 - 2 alpha interval lies inside the margin). Both samples need at least two values.
 *
 * @param difference mean(a) - mean(b)
 * @param se         the standard error of the difference
 * @param df         Welch-Satterthwaite degrees of freedom
 */
public record Welch(double difference, double se, double df) {

    /** The test of {@code a} against {@code b}; null when either has fewer than two values. */
    public static Welch of(double[] a, double[] b) {
        if (a.length < 2 || b.length < 2) {
            return null;
        }
        SummaryStatistics sa = stats(a);
        SummaryStatistics sb = stats(b);
        double va = sa.getVariance() / a.length;
        double vb = sb.getVariance() / b.length;
        double se = Math.sqrt(va + vb);
        double df = (va + vb) * (va + vb) / (va * va / (a.length - 1) + vb * vb / (b.length - 1));
        return new Welch(sa.getMean() - sb.getMean(), se, df);
    }

    private static SummaryStatistics stats(double[] x) {
        SummaryStatistics s = new SummaryStatistics();
        for (double v : x) {
            s.addValue(v);
        }
        return s;
    }

    /** The t statistic; infinite when both samples are constant and differ. */
    public double t() {
        return difference / se;
    }

    /** Two-sided p-value of "the means are equal"; 1 when both samples are constant and equal. */
    public double p() {
        if (se == 0) {
            return difference == 0 ? 1 : 0;
        }
        return 2 * tail(Math.abs(t()));
    }

    /** The two-sided {@code level} confidence interval of the difference, e.g. level 0.95. */
    public double[] interval(double level) {
        double half = se == 0 ? 0 : quantile(0.5 + level / 2) * se;
        return new double[] {difference - half, difference + half};
    }

    /** TOST p-value of "|difference| >= margin" (small: equivalent within the margin). */
    public double tost(double margin) {
        if (se == 0) {
            return Math.abs(difference) < margin ? 0 : 1;
        }
        double lower = tail((difference + margin) / se);      // H0: difference <= -margin
        double upper = tail((margin - difference) / se);      // H0: difference >= margin
        return Math.max(lower, upper);
    }

    /** P(T > x) for Student's t with df degrees of freedom. */
    private double tail(double x) {
        return 1 - new TDistribution(df).cumulativeProbability(x);
    }

    private double quantile(double p) {
        return new TDistribution(df).inverseCumulativeProbability(p);
    }
}
