package org.optbench.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Rotary position embedding in the rotate-half convention. Each head's channels split into a
 * first and a second half; pair (x1, x2) at offset i rotates by the angle of position t and
 * frequency i. Backward applies the inverse (transposed) rotation. Parallel over rows.
 *
 * <p>Shapes: inp, out (B,T,C); cos, sin (T, hs/2).
 */
final class RopeKernels {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private final WorkerPool pool;

    RopeKernels(WorkerPool pool) {
        this.pool = pool;
    }

    /** Rotates by +angle when {@code sign} is 1 (forward) and by -angle when it is -1 (backward). */
    void rotate(CpuFloatTensor out, CpuFloatTensor inp, CpuFloatTensor cos, CpuFloatTensor sin,
                int b, int t, int c, int h, float sign) {
        float[] o = out.array;
        float[] x = inp.array;
        float[] cs = cos.array;
        float[] sn = sin.array;
        int oOff = out.offset();
        int xOff = inp.offset();
        int cOff = cos.offset();
        int sOff = sin.offset();
        int hs = c / h;
        int half = hs / 2;
        int bound = S.loopBound(half);
        pool.forRange(b * t, Math.max(1, 4096 / Math.max(1, c)), (from, to) -> {
            for (int row = from; row < to; row++) {
                int pos = row % t;
                int tab = pos * half;
                for (int head = 0; head < h; head++) {
                    int xi = xOff + row * c + head * hs;
                    int oi = oOff + row * c + head * hs;
                    int i = 0;
                    for (; i < bound; i += L) {
                        FloatVector x1 = FloatVector.fromArray(S, x, xi + i);
                        FloatVector x2 = FloatVector.fromArray(S, x, xi + i + half);
                        FloatVector cv = FloatVector.fromArray(S, cs, cOff + tab + i);
                        FloatVector sv = FloatVector.fromArray(S, sn, sOff + tab + i).mul(sign);
                        x1.mul(cv).sub(x2.mul(sv)).intoArray(o, oi + i);
                        x2.mul(cv).add(x1.mul(sv)).intoArray(o, oi + i + half);
                    }
                    for (; i < half; i++) {
                        float x1 = x[xi + i];
                        float x2 = x[xi + i + half];
                        float cv = cs[cOff + tab + i];
                        float sv = sign * sn[sOff + tab + i];
                        o[oi + i] = x1 * cv - x2 * sv;
                        o[oi + i + half] = x2 * cv + x1 * sv;
                    }
                }
            }
        });
    }
}
