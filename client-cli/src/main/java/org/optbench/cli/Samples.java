package org.optbench.cli;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Median, minimum and maximum of a handful of benchmark measurements. */
record Samples(double median, double min, double max) {

    static Samples of(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        double median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
        return new Samples(median, v[0], v[n - 1]);
    }

    Samples scaled(double factor) {
        return new Samples(median * factor, min * factor, max * factor);
    }

    Map<String, Double> json() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("median", round(median));
        m.put("min", round(min));
        m.put("max", round(max));
        return m;
    }

    /** a / b rounded to three decimals, for "fraction of the reference" fields. */
    static double ratio(double a, double b) {
        return Math.round(a / b * 1000) / 1000.0;
    }

    static double round(double x) {
        return Math.round(x * 100) / 100.0;
    }
}
