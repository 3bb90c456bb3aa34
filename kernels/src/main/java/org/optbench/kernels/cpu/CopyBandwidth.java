package org.optbench.kernels.cpu;

/**
 * Measures memory-copy bandwidth: {@code threads} threads each copying their share of a buffer
 * far larger than the caches with {@link System#arraycopy}. Reported as bytes read plus bytes
 * written per second, the reference that memory-bound kernels (optimizer updates) are compared to.
 */
public final class CopyBandwidth {

    private CopyBandwidth() {
    }

    /** GB/s (1e9 bytes) of read + write traffic, the best of {@code repeats} copies of {@code floats} floats. */
    public static double measure(int threads, int floats, int repeats) {
        float[] src = new float[floats];
        float[] dst = new float[floats];
        java.util.Arrays.fill(src, 1f);
        double best = 0;
        try (WorkerPool pool = new WorkerPool(threads)) {
            int chunk = (floats + threads - 1) / threads;
            for (int r = 0; r < repeats + 1; r++) {
                long t0 = System.nanoTime();
                pool.forRange(floats, chunk, (from, to) -> System.arraycopy(src, from, dst, from, to - from));
                double seconds = (System.nanoTime() - t0) / 1e9;
                if (r > 0) {
                    best = Math.max(best, 8.0 * floats / seconds / 1e9);
                }
            }
        }
        return best;
    }
}
