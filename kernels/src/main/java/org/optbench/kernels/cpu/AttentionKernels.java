package org.optbench.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Causal softmax attention, one task per (batch, head), each product a packed sgemm run on the
 * task's thread. Rows are processed in blocks of {@link #ROWS}; a block of queries [i0, i1) only
 * meets keys [0, i1), so the masked upper triangle is skipped up to one block's width.
 *
 * <p>Forward: S = Q K^T (block rows), P = softmax(scale * S) over positions t2 &lt;= t (zero
 * above the diagonal, kept in att), Y = P V. Backward: dP = dY V^T, dS = P * (dP - rowsum(P *
 * dP)) * scale, dQ = dS K, dK = dS^T Q, dV = P^T dY.
 *
 * <p>Shapes: q, k, v, out and their gradients (B,T,C) with head j in channels [j*hs, (j+1)*hs);
 * att (B,H,T,T); per-thread scratch dS (T,T).
 */
final class AttentionKernels {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int ROWS = 64;

    private final WorkerPool pool;
    private final CpuGemm sgemm;
    private final ThreadLocal<float[][]> scratch = ThreadLocal.withInitial(() -> new float[1][0]);

    AttentionKernels(WorkerPool pool, CpuGemm sgemm) {
        this.pool = pool;
        this.sgemm = sgemm;
    }

    private float[] scratch(int size) {
        float[][] holder = scratch.get();
        if (holder[0].length < size) {
            holder[0] = new float[size];
        }
        return holder[0];
    }

    void forward(CpuFloatTensor out, CpuFloatTensor att, CpuFloatTensor q, CpuFloatTensor k,
                 CpuFloatTensor v, int b, int t, int c, int h) {
        float[] a = att.array;
        int hs = c / h;
        float scale = (float) (1.0 / Math.sqrt(hs));
        pool.forRange(b * h, 1, (from, to) -> {
            for (int task = from; task < to; task++) {
                int head = (task % h) * hs;
                int rows = (task / h) * t * c;
                int attBase = att.offset() + task * t * t;
                for (int i0 = 0; i0 < t; i0 += ROWS) {
                    int i1 = Math.min(t, i0 + ROWS);
                    sgemm.multiplySerial(a, attBase + i0 * t, t, q.array, q.offset() + rows + i0 * c + head, c, false,
                            k.array, k.offset() + rows + head, c, true, i1 - i0, i1, hs, false);
                    for (int tq = i0; tq < i1; tq++) {
                        softmaxRow(a, attBase + tq * t, tq + 1, t, scale);
                    }
                    sgemm.multiplySerial(out.array, out.offset() + rows + i0 * c + head, c, a, attBase + i0 * t, t, false,
                            v.array, v.offset() + rows + head, c, false, i1 - i0, hs, i1, false);
                }
            }
        });
    }

    /** row[0..count) = softmax(scale * row[0..count)); row[count..width) = 0. */
    private static void softmaxRow(float[] a, int row, int count, int width, float scale) {
        int bound = S.loopBound(count);
        FloatVector maxV = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        int j = 0;
        for (; j < bound; j += L) {
            maxV = maxV.max(FloatVector.fromArray(S, a, row + j));
        }
        float max = maxV.reduceLanes(VectorOperators.MAX);
        for (; j < count; j++) {
            max = Math.max(max, a[row + j]);
        }
        float shift = max * scale;
        FloatVector shiftV = FloatVector.broadcast(S, shift);
        FloatVector sumV = FloatVector.zero(S);
        j = 0;
        for (; j < bound; j += L) {
            FloatVector e = VectorMath.exp(FloatVector.fromArray(S, a, row + j).mul(scale).sub(shiftV));
            e.intoArray(a, row + j);
            sumV = sumV.add(e);
        }
        float sum = sumV.reduceLanes(VectorOperators.ADD);
        for (; j < count; j++) {
            float e = VectorMath.exp(a[row + j] * scale - shift);
            a[row + j] = e;
            sum += e;
        }
        float inv = 1f / sum;
        for (j = 0; j < bound; j += L) {
            FloatVector.fromArray(S, a, row + j).mul(inv).intoArray(a, row + j);
        }
        for (; j < count; j++) {
            a[row + j] *= inv;
        }
        java.util.Arrays.fill(a, row + count, row + width, 0f);
    }

    void backward(CpuFloatTensor dq, CpuFloatTensor dk, CpuFloatTensor dv, CpuFloatTensor dout,
                  CpuFloatTensor att, CpuFloatTensor q, CpuFloatTensor k, CpuFloatTensor v,
                  int b, int t, int c, int h) {
        float[] a = att.array;
        int hs = c / h;
        float scale = (float) (1.0 / Math.sqrt(hs));
        pool.forRange(b * h, 1, (from, to) -> {
            float[] ds = scratch(t * t);
            for (int task = from; task < to; task++) {
                int head = (task % h) * hs;
                int rows = (task / h) * t * c;
                int attBase = att.offset() + task * t * t;
                for (int i0 = 0; i0 < t; i0 += ROWS) {
                    int i1 = Math.min(t, i0 + ROWS);
                    sgemm.multiplySerial(ds, i0 * t, t, dout.array, dout.offset() + rows + i0 * c + head, c, false,
                            v.array, v.offset() + rows + head, c, true, i1 - i0, i1, hs, false);
                    for (int tq = i0; tq < i1; tq++) {
                        softmaxBackwardRow(ds, tq * t, a, attBase + tq * t, tq + 1, t, scale);
                    }
                    sgemm.multiplySerial(dq.array, dq.offset() + rows + i0 * c + head, c, ds, i0 * t, t, false,
                            k.array, k.offset() + rows + head, c, false, i1 - i0, hs, i1, false);
                }
                for (int j0 = 0; j0 < t; j0 += ROWS) {
                    int j1 = Math.min(t, j0 + ROWS);
                    sgemm.multiplySerial(dk.array, dk.offset() + rows + j0 * c + head, c, ds, j0 * t + j0, t, true,
                            q.array, q.offset() + rows + j0 * c + head, c, false, j1 - j0, hs, t - j0, false);
                    sgemm.multiplySerial(dv.array, dv.offset() + rows + j0 * c + head, c, a, attBase + j0 * t + j0, t, true,
                            dout.array, dout.offset() + rows + j0 * c + head, c, false, j1 - j0, hs, t - j0, false);
                }
            }
        });
    }

    /** ds[0..count) = p * (dp - sum(p * dp)) * scale from dp held in ds; ds[count..width) = 0. */
    private static void softmaxBackwardRow(float[] ds, int row, float[] p, int pRow, int count, int width,
                                           float scale) {
        FloatVector dotV = FloatVector.zero(S);
        int bound = S.loopBound(count);
        int j = 0;
        for (; j < bound; j += L) {
            dotV = FloatVector.fromArray(S, p, pRow + j).fma(FloatVector.fromArray(S, ds, row + j), dotV);
        }
        float dot = dotV.reduceLanes(VectorOperators.ADD);
        for (; j < count; j++) {
            dot += p[pRow + j] * ds[row + j];
        }
        FloatVector dotB = FloatVector.broadcast(S, dot);
        j = 0;
        for (; j < bound; j += L) {
            FloatVector pv = FloatVector.fromArray(S, p, pRow + j);
            pv.mul(FloatVector.fromArray(S, ds, row + j).sub(dotB)).mul(scale).intoArray(ds, row + j);
        }
        for (; j < count; j++) {
            ds[row + j] = p[pRow + j] * (ds[row + j] - dot) * scale;
        }
        java.util.Arrays.fill(ds, row + count, row + width, 0f);
    }
}
