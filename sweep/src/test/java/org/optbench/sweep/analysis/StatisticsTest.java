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
 * one-sided Welch tests on a +- margin), and the percentile bootstrap against the exact bootstrap
 * distribution enumerated here.
 */
class StatisticsTest {

    private static final double[] A = {3.512, 3.498, 3.530, 3.507};
    private static final double[] B = {3.541, 3.525, 3.560};

    @Test
    void welchMatchesScipy() {
        Welch w = Welch.of(A, B);
        assertEquals(-2.488812933524598, w.t(), 1e-12);
        assertEquals(3.6846142360205416, w.df(), 1e-12);
        assertEquals(0.0729275086756075, w.p(), 1e-10);
        assertArrayEquals(new double[] {-0.06516626232321898, 0.004666262323218762}, w.interval(0.95), 1e-10);
        assertArrayEquals(new double[] {-0.05681186356372281, -0.0036881364362774116}, w.interval(0.90), 1e-10);
        assertNull(Welch.of(new double[] {1}, B), "one value has no variance");
    }

    @Test
    void tostMatchesTwoOneSidedWelchTestsInScipy() {
        Welch w = Welch.of(A, B);
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
    void bootstrapIntervalOfTheMeanMatchesTheExactBootstrapDistribution() {
        double[] seeds = {3.50, 3.52, 3.55, 3.49, 3.61};
        int n = seeds.length;
        double[] exact = new double[(int) Math.pow(n, n)];
        for (int code = 0; code < exact.length; code++) {
            double sum = 0;
            int c = code;
            for (int j = 0; j < n; j++) {
                sum += seeds[c % n];
                c /= n;
            }
            exact[code] = sum / n;
        }
        double[] want = Bootstrap.interval(exact, 0.95);
        double[] got = new Bootstrap(40_000, 7).interval(new double[][] {seeds}, s -> Arrays.stream(s[0]).average()
                .orElseThrow(), 0.95);
        assertEquals(want[0], got[0], 0.002, "lower 2.5% quantile");
        assertEquals(want[1], got[1], 0.002, "upper 97.5% quantile");
        assertArrayEquals(got, new Bootstrap(40_000, 7).interval(new double[][] {seeds}, s -> Arrays.stream(s[0]).average()
                .orElseThrow(), 0.95), 0.0, "seeded: the same interval every time");
        assertTrue(Double.isNaN(new Bootstrap(100, 1).interval(new double[][] {{1.0}, {2.0}}, s -> s[0][0], 0.95)[0]),
                "nothing to resample: no interval");
    }

    @Test
    void typeSevenQuantilesInterpolateBetweenOrderStatistics() {
        double[] sorted = {1, 2, 3, 4};
        assertEquals(1.075, Bootstrap.quantile(sorted, 0.025), 1e-12, "numpy.quantile([1,2,3,4], 0.025)");
        assertEquals(3.925, Bootstrap.quantile(sorted, 0.975), 1e-12);
        assertEquals(2.5, Bootstrap.quantile(sorted, 0.5), 1e-12);
    }
}
