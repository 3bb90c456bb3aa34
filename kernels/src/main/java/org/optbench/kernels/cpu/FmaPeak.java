package org.optbench.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Measures the machine's float32 FMA peak: a register-only loop of sixteen independent vector
 * FMA chains per thread, run on every thread of a {@link WorkerPool} at once. The result is the
 * reference that matmul and training throughput are reported against.
 */
public final class FmaPeak {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private FmaPeak() {
    }

    /**
     * GFLOP/s of {@code threads} threads each running {@code iterations} rounds of 16 vector FMAs,
     * after many short warm-up calls so the JIT compiles the loop as a whole method.
     */
    public static double measure(int threads, long iterations) {
        float[] sink = new float[threads * S.length()];
        try (WorkerPool pool = new WorkerPool(threads)) {
            for (int warm = 0; warm < 200; warm++) {
                run(pool, threads, 20_000, sink);
            }
            long t0 = System.nanoTime();
            run(pool, threads, iterations, sink);
            double seconds = (System.nanoTime() - t0) / 1e9;
            return threads * iterations * 16.0 * S.length() * 2.0 / seconds / 1e9;
        }
    }

    private static void run(WorkerPool pool, int threads, long iterations, float[] sink) {
        pool.forRange(threads, 1, (from, to) -> {
            for (int t = from; t < to; t++) {
                chains(iterations, sink, t * S.length());
            }
        });
    }

    private static void chains(long iterations, float[] sink, int at) {
        FloatVector a = FloatVector.broadcast(S, 0.999f);
        FloatVector b = FloatVector.broadcast(S, 1e-7f);
        FloatVector c0 = FloatVector.broadcast(S, 0.1f), c1 = FloatVector.broadcast(S, 0.2f);
        FloatVector c2 = FloatVector.broadcast(S, 0.3f), c3 = FloatVector.broadcast(S, 0.4f);
        FloatVector c4 = FloatVector.broadcast(S, 0.5f), c5 = FloatVector.broadcast(S, 0.6f);
        FloatVector c6 = FloatVector.broadcast(S, 0.7f), c7 = FloatVector.broadcast(S, 0.8f);
        FloatVector c8 = FloatVector.broadcast(S, 0.9f), c9 = FloatVector.broadcast(S, 1.0f);
        FloatVector c10 = FloatVector.broadcast(S, 1.1f), c11 = FloatVector.broadcast(S, 1.2f);
        FloatVector c12 = FloatVector.broadcast(S, 1.3f), c13 = FloatVector.broadcast(S, 1.4f);
        FloatVector c14 = FloatVector.broadcast(S, 1.5f), c15 = FloatVector.broadcast(S, 1.6f);
        for (long i = 0; i < iterations; i++) {
            c0 = c0.fma(a, b);
            c1 = c1.fma(a, b);
            c2 = c2.fma(a, b);
            c3 = c3.fma(a, b);
            c4 = c4.fma(a, b);
            c5 = c5.fma(a, b);
            c6 = c6.fma(a, b);
            c7 = c7.fma(a, b);
            c8 = c8.fma(a, b);
            c9 = c9.fma(a, b);
            c10 = c10.fma(a, b);
            c11 = c11.fma(a, b);
            c12 = c12.fma(a, b);
            c13 = c13.fma(a, b);
            c14 = c14.fma(a, b);
            c15 = c15.fma(a, b);
        }
        c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                .add(c12).add(c13).add(c14).add(c15).intoArray(sink, at);
    }
}
