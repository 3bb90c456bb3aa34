package org.optbench.sweep.analysis;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Holm's step-down correction for multiple comparisons: the adjusted p-values, each compared with
 * the family-wise level directly. The k-th smallest of m p-values is multiplied by m - k + 1, then
 * made monotone (never below an earlier adjusted value) and capped at 1. NaN p-values stay NaN and
 * do not count towards m.
 */
public final class Holm {

    private Holm() {
    }

    public static double[] adjust(double[] p) {
        Integer[] order = new Integer[p.length];
        int m = 0;
        for (int i = 0; i < p.length; i++) {
            order[i] = i;
            if (!Double.isNaN(p[i])) {
                m++;
            }
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> Double.isNaN(p[i]) ? Double.POSITIVE_INFINITY : p[i]));
        double[] out = new double[p.length];
        Arrays.fill(out, Double.NaN);
        double running = 0;
        for (int k = 0; k < m; k++) {
            int i = order[k];
            running = Math.max(running, Math.min(1, (m - k) * p[i]));
            out[i] = running;
        }
        return out;
    }

    /**
     * Each p-value's Holm multiplier, m - k + 1 for the k-th smallest of the m that are not NaN:
     * the claim is tested at level alpha / multiplier. NaN p-values get NaN.
     */
    public static double[] multipliers(double[] p) {
        Integer[] order = new Integer[p.length];
        int m = 0;
        for (int i = 0; i < p.length; i++) {
            order[i] = i;
            if (!Double.isNaN(p[i])) {
                m++;
            }
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> Double.isNaN(p[i]) ? Double.POSITIVE_INFINITY : p[i]));
        double[] out = new double[p.length];
        Arrays.fill(out, Double.NaN);
        for (int k = 0; k < m; k++) {
            out[order[k]] = m - k;
        }
        return out;
    }
}
