package org.optbench.train;

/**
 * Labels drawn from the model's own output distribution, for Sophia's Gauss-Newton-Bartlett
 * curvature estimate: row r of the micro-batch {@code micro} after step {@code step} takes label j
 * with probability softmax(logits)_j, by inverse CDF of a uniform that is a pure function of the
 * run's seed, the step and the row (SplitMix64's finaliser, so a resumed run draws the same labels
 * and an independent implementation can draw them too; see {@link #uniform}).
 */
public final class SampledLabels {

    private static final long SALT = 0x536F70686961L; // "Sophia"

    private SampledLabels() {
    }

    /**
     * The uniform in [0, 1) of row {@code row} (micro-batch * rows + row in it) after step
     * {@code step}: z = mix(seed ^ 0x536F70686961), z = mix(z + step), z = mix(z + row), u = (z >>> 11)
     * * 2^-53, with mix SplitMix64's finaliser.
     */
    public static double uniform(long seed, int step, long row) {
        long z = mix(seed ^ SALT);
        z = mix(z + step);
        z = mix(z + row);
        return (z >>> 11) * 0x1.0p-53;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /**
     * The label of one row of logits, {@code logits[offset .. offset + v)}: the first j whose
     * cumulative softmax mass (in double) exceeds {@code u}.
     */
    public static int draw(float[] logits, int offset, int v, double u) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < v; j++) {
            max = Math.max(max, logits[offset + j]);
        }
        double sum = 0;
        for (int j = 0; j < v; j++) {
            sum += Math.exp(logits[offset + j] - max);
        }
        double target = u * sum;
        double acc = 0;
        int last = 0;
        for (int j = 0; j < v; j++) {
            double e = Math.exp(logits[offset + j] - max);
            acc += e;
            if (e > 0) {
                last = j;
            }
            if (acc > target) {
                return j;
            }
        }
        return last;
    }
}
