package org.optbench.sweep.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Welch, TOST and Holm against values computed with SciPy 1.17 ({@code scipy.stats.ttest_ind(a,
 * b, equal_var=False)}, its {@code confidence_interval}, and TOST as the larger p of the two
 * one-sided Welch tests on a +- margin), the paired test against {@code scipy.stats.ttest_rel}, and
 * the bootstrap's seed handling.
 */
class StatisticsTest {

    private static final double[] A = {3.512, 3.498, 3.530, 3.507};
    private static final double[] B = {3.541, 3.525, 3.560};

    @Test
    void welchMatchesScipy() {
        TTest w = TTest.welch(A, B);
        assertEquals(-2.488812933524598, w.t(), 1e-12);
        assertEquals(3.6846142360205416, w.df(), 1e-12);
        assertEquals(0.0729275086756075, w.p(), 1e-10);
        assertArrayEquals(new double[] {-0.06516626232321898, 0.004666262323218762}, w.interval(0.95), 1e-10);
        assertArrayEquals(new double[] {-0.05681186356372281, -0.0036881364362774116}, w.interval(0.90), 1e-10);
        assertNull(TTest.welch(new double[] {1}, B), "one value has no variance");
    }

    @Test
    void tostMatchesTwoOneSidedWelchTestsInScipy() {
        TTest w = TTest.welch(A, B);
        assertEquals(0.09277431763607782, w.tost(0.05), 1e-10);
        assertEquals(0.7748467532811205, w.tost(0.02), 1e-10);
        // equivalent at 5% exactly when the 90% interval lies inside the margin
        double[] ci90 = w.interval(0.90);
        double tight = Math.max(-ci90[0], ci90[1]);
        assertTrue(w.tost(tight * 1.001) < 0.05 && w.tost(tight * 0.999) > 0.05);
    }

    @Test
    void holmMultipliesTheKthSmallestByMMinusKPlusOneAndStaysMonotone() {
        // by hand: sorted 0.01 x4 = 0.04, 0.03 x3 = 0.09, 0.04 x2 = 0.08 -> 0.09, 0.2 x1 = 0.2
        assertArrayEquals(new double[] {0.04, 0.09, 0.09, 0.2}, Holm.adjust(new double[] {0.01, 0.04, 0.03, 0.2}), 1e-12);
        double[] withNaN = Holm.adjust(new double[] {0.02, Double.NaN, 0.6});
        assertEquals(0.04, withNaN[0], 1e-12);
        assertTrue(Double.isNaN(withNaN[1]));
        assertEquals(0.6, withNaN[2], 1e-12);
        assertEquals(1.0, Holm.adjust(new double[] {0.7, 0.8})[0], 1e-12, "capped at 1");
    }

    @Test
    void pairedTestMatchesScipy() {
        double[] a = {3.512, 3.498, 3.530, 3.507, 3.521};
        double[] b = {3.541, 3.525, 3.560, 3.530, 3.549};
        TTest t = TTest.paired(a, b);
        assertEquals(-22.676401347703237, t.t(), 1e-9);
        assertEquals(4, t.df());
        assertEquals(2.239985048047361e-05, t.p(), 1e-12);
        assertArrayEquals(new double[] {-0.030754791384926802, -0.024045208615073026}, t.interval(0.95), 1e-12);
        assertArrayEquals(new double[] {-0.02997592027278457, -0.02482407972721526}, t.interval(0.90), 1e-12);
        assertEquals(2.4052601370898906e-05, t.tost(0.05), 1e-12, "the larger of the two one-sided p of ttest_1samp");
        assertNull(TTest.paired(new double[] {1}, new double[] {2}), "one pair has no variance");
    }

    @Test
    void bootstrapIsSeededAndNeedsASeedVariance() {
        double[][] one = {{3.40, 3.43, 3.41}};
        long[][] seeds = {{0, 1, 2}};
        TTest a = new Bootstrap(4000, 7).test(one, seeds, p -> Arrays.stream(p[0]).average().orElseThrow());
        assertEquals(a, new Bootstrap(4000, 7).test(one, seeds, p -> Arrays.stream(p[0]).average().orElseThrow()),
                "seeded: the same result every time");
        assertEquals(2, a.df(), "three seeds drawn: two degrees of freedom");
        double mean = (3.40 + 3.43 + 3.41) / 3;
        double sd = Math.sqrt((Math.pow(3.40 - mean, 2) + Math.pow(3.43 - mean, 2) + Math.pow(3.41 - mean, 2)) / 2);
        assertEquals(sd / Math.sqrt(3), a.se(), 0.05 * sd / Math.sqrt(3),
                "a mean's bootstrap standard error is its seeds' standard error");
        double[][] points = {{3.50, 3.52, 3.55}, {3.40, 3.43, 3.41}, {3.60}};
        TTest single = new Bootstrap(500, 7).test(points, new long[][] {{0, 1, 2}, {0, 1, 2}, {0}}, p -> p[2][0]);
        assertTrue(single.se() > 0, "a one-seed point is resampled through the seed effects and pooled residuals");
        assertNull(new Bootstrap(100, 1).test(new double[][] {{1.0}, {2.0}}, new long[][] {{0}, {0}}, s -> s[0][0]),
                "no point with two seeds: no seed variance, no interval");
    }
}
