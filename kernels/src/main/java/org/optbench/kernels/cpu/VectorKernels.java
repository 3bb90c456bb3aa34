package org.optbench.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Element-wise kernels over flat float runs: fill, residual add, axpby and the sum of squares that the
 * global gradient norm is built from. Parallel over fixed-size chunks; the sum of squares adds
 * per-chunk partials in double precision in chunk order, so its result does not depend on the
 * number of threads.
 */
final class VectorKernels {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int CHUNK = 1 << 16;

    private final WorkerPool pool;
    private double[] partials = new double[0];

    VectorKernels(WorkerPool pool) {
        this.pool = pool;
    }

    void fill(CpuFloatTensor out, float value, int n) {
        pool.forRange(n, CHUNK, (from, to) ->
                java.util.Arrays.fill(out.array, out.offset() + from, out.offset() + to, value));
    }

    void residual(CpuFloatTensor out, CpuFloatTensor a, CpuFloatTensor b, int n) {
        float[] o = out.array;
        float[] x = a.array;
        float[] y = b.array;
        pool.forRange(n, CHUNK, (from, to) -> {
            int i = from;
            for (; i + L <= to; i += L) {
                FloatVector.fromArray(S, x, a.offset() + i).add(FloatVector.fromArray(S, y, b.offset() + i))
                        .intoArray(o, out.offset() + i);
            }
            for (; i < to; i++) {
                o[out.offset() + i] = x[a.offset() + i] + y[b.offset() + i];
            }
        });
    }

    void axpby(CpuFloatTensor out, float alpha, CpuFloatTensor x, float beta, CpuFloatTensor y, int n) {
        float[] o = out.array;
        float[] xa = x.array;
        float[] ya = y.array;
        pool.forRange(n, CHUNK, (from, to) -> {
            int i = from;
            for (; i + L <= to; i += L) {
                FloatVector.fromArray(S, xa, x.offset() + i).mul(alpha)
                        .add(FloatVector.fromArray(S, ya, y.offset() + i).mul(beta)).intoArray(o, out.offset() + i);
            }
            for (; i < to; i++) {
                o[out.offset() + i] = alpha * xa[x.offset() + i] + beta * ya[y.offset() + i];
            }
        });
    }

    void sumOfSquares(CpuFloatTensor out, CpuFloatTensor inp, int n) {
        int chunks = (n + CHUNK - 1) / CHUNK;
        if (partials.length < chunks) {
            partials = new double[chunks];
        }
        double[] part = partials;
        float[] x = inp.array;
        pool.forRange(n, CHUNK, (from, to) -> {
            FloatVector acc = FloatVector.zero(S);
            int i = from;
            for (; i + L <= to; i += L) {
                FloatVector v = FloatVector.fromArray(S, x, inp.offset() + i);
                acc = v.fma(v, acc);
            }
            double sum = acc.reduceLanes(VectorOperators.ADD);
            for (; i < to; i++) {
                float v = x[inp.offset() + i];
                sum += (double) v * v;
            }
            part[from / CHUNK] = sum;
        });
        double total = 0;
        for (int c = 0; c < chunks; c++) {
            total += part[c];
        }
        out.array[out.offset()] = (float) total;
    }
}
