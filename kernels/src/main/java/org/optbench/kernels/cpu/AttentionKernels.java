package org.optbench.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Causal softmax attention, one task per (batch, head). Each task first transposes its keys (and,
 * in backward, values) into a per-thread (hs, Tp) scratch so that a query's scores over all
 * earlier positions are a vector loop over positions with no horizontal reductions; the weighted
 * sums run as vector loops over the head's channels. Scores are computed for whole vector blocks
 * and masked to positions t2 &lt;= t before the softmax.
 *
 * <p>Shapes: q, k, v, out and their gradients (B,T,C) with head j in channels [j*hs, (j+1)*hs);
 * att (B,H,T,T); scratch kT, vT (hs, Tp) with Tp = T rounded up to a whole number of blocks.
 */
final class AttentionKernels {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int BLOCK = 4 * L;

    private final WorkerPool pool;
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

    /** Per-thread buffers, grown on first use for a shape and reused afterwards. */
    private static final class Scratch {
        float[] kT = new float[0];   // (hs, Tp)
        float[] vT = new float[0];   // (hs, Tp)
        float[] row = new float[0];  // (Tp)

        void ensure(int hs, int tp) {
            if (kT.length < hs * tp) {
                kT = new float[hs * tp];
                vT = new float[hs * tp];
            }
            if (row.length < tp) {
                row = new float[tp];
            }
        }
    }

    AttentionKernels(WorkerPool pool) {
        this.pool = pool;
    }

    private static int paddedLength(int t) {
        return (t + BLOCK - 1) / BLOCK * BLOCK;
    }

    /** dst[i*tp + t2] = src[(base + t2)*c + i] for the head's channels; pad columns are zero. */
    private static void transposeHead(float[] dst, float[] src, int srcBase, int c, int hs, int t, int tp) {
        for (int t2 = 0; t2 < t; t2++) {
            int s = srcBase + t2 * c;
            for (int i = 0; i < hs; i++) {
                dst[i * tp + t2] = src[s + i];
            }
        }
        for (int i = 0; i < hs; i++) {
            java.util.Arrays.fill(dst, i * tp + t, i * tp + tp, 0f);
        }
    }

    /** row[t2] = sum_i x[xBase + i] * scale * mT[i*tp + t2] for t2 in [0, limit), limit a multiple of BLOCK. */
    private static void rowTimesTransposed(float[] row, float[] x, int xBase, float scale,
                                           float[] mT, int hs, int tp, int limit) {
        for (int t2 = 0; t2 < limit; t2 += BLOCK) {
            FloatVector a0 = FloatVector.zero(S);
            FloatVector a1 = FloatVector.zero(S);
            FloatVector a2 = FloatVector.zero(S);
            FloatVector a3 = FloatVector.zero(S);
            for (int i = 0; i < hs; i++) {
                FloatVector xi = FloatVector.broadcast(S, x[xBase + i] * scale);
                int m = i * tp + t2;
                a0 = xi.fma(FloatVector.fromArray(S, mT, m), a0);
                a1 = xi.fma(FloatVector.fromArray(S, mT, m + L), a1);
                a2 = xi.fma(FloatVector.fromArray(S, mT, m + 2 * L), a2);
                a3 = xi.fma(FloatVector.fromArray(S, mT, m + 3 * L), a3);
            }
            a0.intoArray(row, t2);
            a1.intoArray(row, t2 + L);
            a2.intoArray(row, t2 + 2 * L);
            a3.intoArray(row, t2 + 3 * L);
        }
    }

    void forward(CpuFloatTensor out, CpuFloatTensor att, CpuFloatTensor q, CpuFloatTensor k,
                 CpuFloatTensor v, int b, int t, int c, int h) {
        float[] o = out.array;
        float[] a = att.array;
        float[] qa = q.array;
        float[] ka = k.array;
        float[] va = v.array;
        int hs = c / h;
        int tp = paddedLength(t);
        float scale = (float) (1.0 / Math.sqrt(hs));
        int hsBound = S.loopBound(hs);
        pool.forRange(b * h, 1, (from, to) -> {
            Scratch s = scratch.get();
            s.ensure(hs, tp);
            float[] kT = s.kT;
            float[] row = s.row;
            for (int task = from; task < to; task++) {
                int bb = task / h;
                int head = task % h;
                int rowBase = bb * t;
                transposeHead(kT, ka, k.offset + rowBase * c + head * hs, c, hs, t, tp);
                for (int tq = 0; tq < t; tq++) {
                    int qBase = q.offset + (rowBase + tq) * c + head * hs;
                    int limit = Math.min(tp, (tq + 1 + BLOCK - 1) / BLOCK * BLOCK);
                    rowTimesTransposed(row, qa, qBase, scale, kT, hs, tp, limit);
                    float max = Float.NEGATIVE_INFINITY;
                    for (int t2 = 0; t2 <= tq; t2++) {
                        max = Math.max(max, row[t2]);
                    }
                    FloatVector maxV = FloatVector.broadcast(S, max);
                    FloatVector sumV = FloatVector.zero(S);
                    int count = tq + 1;
                    int bound = S.loopBound(count);
                    int t2 = 0;
                    for (; t2 < bound; t2 += L) {
                        FloatVector e = VectorMath.exp(FloatVector.fromArray(S, row, t2).sub(maxV));
                        e.intoArray(row, t2);
                        sumV = sumV.add(e);
                    }
                    float sum = sumV.reduceLanes(VectorOperators.ADD);
                    for (; t2 < count; t2++) {
                        float e = VectorMath.exp(row[t2] - max);
                        row[t2] = e;
                        sum += e;
                    }
                    float inv = 1f / sum;
                    int attRow = att.offset + (task * t + tq) * t;
                    for (t2 = 0; t2 < count; t2++) {
                        a[attRow + t2] = row[t2] * inv;
                    }
                    java.util.Arrays.fill(a, attRow + count, attRow + t, 0f);
                    int oBase = out.offset + (rowBase + tq) * c + head * hs;
                    int i = 0;
                    for (; i < hsBound; i += L) {
                        FloatVector acc0 = FloatVector.zero(S);
                        FloatVector acc1 = FloatVector.zero(S);
                        int t3 = 0;
                        for (; t3 + 1 < count; t3 += 2) {
                            acc0 = FloatVector.broadcast(S, a[attRow + t3])
                                    .fma(FloatVector.fromArray(S, va, v.offset + (rowBase + t3) * c + head * hs + i), acc0);
                            acc1 = FloatVector.broadcast(S, a[attRow + t3 + 1])
                                    .fma(FloatVector.fromArray(S, va, v.offset + (rowBase + t3 + 1) * c + head * hs + i), acc1);
                        }
                        if (t3 < count) {
                            acc0 = FloatVector.broadcast(S, a[attRow + t3])
                                    .fma(FloatVector.fromArray(S, va, v.offset + (rowBase + t3) * c + head * hs + i), acc0);
                        }
                        acc0.add(acc1).intoArray(o, oBase + i);
                    }
                    for (; i < hs; i++) {
                        float acc = 0f;
                        for (int t3 = 0; t3 < count; t3++) {
                            acc += a[attRow + t3] * va[v.offset + (rowBase + t3) * c + head * hs + i];
                        }
                        o[oBase + i] = acc;
                    }
                }
            }
        });
    }

    void backward(CpuFloatTensor dq, CpuFloatTensor dk, CpuFloatTensor dv, CpuFloatTensor dout,
                  CpuFloatTensor att, CpuFloatTensor q, CpuFloatTensor k, CpuFloatTensor v,
                  int b, int t, int c, int h) {
        float[] dqa = dq.array;
        float[] dka = dk.array;
        float[] dva = dv.array;
        float[] dy = dout.array;
        float[] a = att.array;
        float[] qa = q.array;
        float[] ka = k.array;
        float[] va = v.array;
        int hs = c / h;
        int tp = paddedLength(t);
        float scale = (float) (1.0 / Math.sqrt(hs));
        int hsBound = S.loopBound(hs);
        pool.forRange(b * h, 1, (from, to) -> {
            Scratch s = scratch.get();
            s.ensure(hs, tp);
            float[] vT = s.vT;
            float[] ds = s.row;
            for (int task = from; task < to; task++) {
                int bb = task / h;
                int head = task % h;
                int rowBase = bb * t;
                int col = head * hs;
                transposeHead(vT, va, v.offset + rowBase * c + col, c, hs, t, tp);
                for (int t2 = 0; t2 < t; t2++) {
                    java.util.Arrays.fill(dka, dk.offset + (rowBase + t2) * c + col, dk.offset + (rowBase + t2) * c + col + hs, 0f);
                    java.util.Arrays.fill(dva, dv.offset + (rowBase + t2) * c + col, dv.offset + (rowBase + t2) * c + col + hs, 0f);
                }
                for (int tq = 0; tq < t; tq++) {
                    int count = tq + 1;
                    int attRow = att.offset + (task * t + tq) * t;
                    int dyBase = dout.offset + (rowBase + tq) * c + col;
                    int qBase = q.offset + (rowBase + tq) * c + col;
                    int limit = Math.min(tp, (count + BLOCK - 1) / BLOCK * BLOCK);
                    rowTimesTransposed(ds, dy, dyBase, 1f, vT, hs, tp, limit);
                    float dot = 0f;
                    for (int t2 = 0; t2 < count; t2++) {
                        dot += a[attRow + t2] * ds[t2];
                    }
                    for (int t2 = 0; t2 < count; t2++) {
                        float p = a[attRow + t2];
                        ds[t2] = p * (ds[t2] - dot) * scale;
                    }
                    int dqBase = dq.offset + (rowBase + tq) * c + col;
                    int i = 0;
                    for (; i < hsBound; i += L) {
                        FloatVector dyv = FloatVector.fromArray(S, dy, dyBase + i);
                        FloatVector qv = FloatVector.fromArray(S, qa, qBase + i);
                        FloatVector acc = FloatVector.zero(S);
                        for (int t2 = 0; t2 < count; t2++) {
                            int r = (rowBase + t2) * c + col + i;
                            FloatVector dsv = FloatVector.broadcast(S, ds[t2]);
                            acc = dsv.fma(FloatVector.fromArray(S, ka, k.offset + r), acc);
                            dsv.fma(qv, FloatVector.fromArray(S, dka, dk.offset + r)).intoArray(dka, dk.offset + r);
                            FloatVector.broadcast(S, a[attRow + t2]).fma(dyv, FloatVector.fromArray(S, dva, dv.offset + r))
                                    .intoArray(dva, dv.offset + r);
                        }
                        acc.intoArray(dqa, dqBase + i);
                    }
                    for (; i < hs; i++) {
                        float acc = 0f;
                        for (int t2 = 0; t2 < count; t2++) {
                            int r = (rowBase + t2) * c + col + i;
                            acc += ds[t2] * ka[k.offset + r];
                            dka[dk.offset + r] += ds[t2] * qa[qBase + i];
                            dva[dv.offset + r] += a[attRow + t2] * dy[dyBase + i];
                        }
                        dqa[dqBase + i] = acc;
                    }
                }
            }
        });
    }
}
