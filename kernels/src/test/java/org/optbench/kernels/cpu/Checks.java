package org.optbench.kernels.cpu;

import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;

/** Helpers shared by the kernel tests: random data and central finite differences. */
final class Checks {

    private Checks() {
    }

    static float[] random(SplittableRandom rng, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) ((rng.nextDouble() * 2 - 1) * scale);
        }
        return a;
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    /**
     * Central-difference gradient of {@code loss} with respect to {@code x}, which the supplier
     * reads each time it runs; compared element-wise with {@code analytic}. Returns the largest
     * absolute difference divided by the largest numeric gradient magnitude.
     */
    static double gradientError(String name, float[] x, float[] analytic, DoubleSupplier loss, float h) {
        double maxDiff = 0;
        double maxRef = 1e-12;
        for (int i = 0; i < x.length; i++) {
            float saved = x[i];
            x[i] = saved + h;
            double plus = loss.getAsDouble();
            x[i] = saved - h;
            double minus = loss.getAsDouble();
            x[i] = saved;
            double numeric = (plus - minus) / (2.0 * h);
            maxDiff = Math.max(maxDiff, Math.abs(numeric - analytic[i]));
            maxRef = Math.max(maxRef, Math.abs(numeric));
        }
        double error = maxDiff / maxRef;
        System.out.printf("gradcheck %-24s n=%-6d max|diff|=%.3e relative=%.3e%n", name, x.length, maxDiff, error);
        return error;
    }

    static double maxAbsDiff(float[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
