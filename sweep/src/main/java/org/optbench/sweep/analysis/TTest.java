package org.optbench.sweep.analysis;

import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.descriptive.SummaryStatistics;

/**
 * A t statistic for a difference {@code a - b}: its estimate, standard error and degrees of
 * freedom, from which come the two-sided p-value, confidence intervals, and the two one-sided tests
 * (TOST) of equivalence within a margin, whose p-value is the larger of the two one-sided p-values
 * (equivalent at level alpha exactly when the 1 - 2 alpha interval lies inside the margin). Three
 * sources make one: Welch's unequal-variance test of two independent samples, the paired test of
 * per-seed differences (when both arms ran the same seeds, which fix the initial weights and the
 * data order alike), and a bootstrap standard error with the degrees of freedom of the seed
 * variance it was drawn from.
 *
 * @param difference the estimate of a - b
 * @param se         its standard error
 * @param df         degrees of freedom of the t reference distribution
 */
public record TTest(double difference, double se, double df) {

    /** Welch's test of {@code a} against {@code b}; null when either has fewer than two values. */
    public static TTest welch(double[] a, double[] b) {
        if (a.length < 2 || b.length < 2) {
            return null;
        }
        SummaryStatistics sa = stats(a);
        SummaryStatistics sb = stats(b);
        double va = sa.getVariance() / a.length;
        double vb = sb.getVariance() / b.length;
        double se = Math.sqrt(va + vb);
        double df = va + vb == 0 ? a.length + b.length - 2
                : (va + vb) * (va + vb) / (va * va / (a.length - 1) + vb * vb / (b.length - 1));
        return new TTest(sa.getMean() - sb.getMean(), se, df);
    }

    /** The paired test of {@code a[i] - b[i]}; null with fewer than two pairs. */
    public static TTest paired(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("paired samples differ in length: " + a.length + " and " + b.length);
        }
        if (a.length < 2) {
            return null;
        }
        double[] d = new double[a.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = a[i] - b[i];
        }
        SummaryStatistics s = stats(d);
        return new TTest(s.getMean(), Math.sqrt(s.getVariance() / d.length), d.length - 1);
    }

    /** The one-sample t interval of a mean; NaNs with fewer than two values. */
    public static double[] meanInterval(double[] x, double level) {
        if (x.length < 2) {
            return new double[] {Double.NaN, Double.NaN};
        }
        SummaryStatistics s = stats(x);
        return new TTest(s.getMean(), Math.sqrt(s.getVariance() / x.length), x.length - 1).interval(level);
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

    /** Two-sided p-value of "the difference is 0"; 1 when both samples are constant and equal. */
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
