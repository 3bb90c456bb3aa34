package org.optbench.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * LayerNorm without bias (eps 1e-5) over rows of C channels. Forward is parallel over rows;
 * backward computes the input gradient per row and the weight gradient per column block, so no
 * two threads write the same element.
 *
 * <p>Shapes: inp, out, dout, dinp (N,C); weight, dweight (C); mean, rstd (N).
 */
final class LayerNormKernels {

    static final float EPS = 1e-5f;
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private final WorkerPool pool;

    LayerNormKernels(WorkerPool pool) {
        this.pool = pool;
    }

    void forward(CpuFloatTensor out, CpuFloatTensor mean, CpuFloatTensor rstd, CpuFloatTensor inp,
                 CpuFloatTensor weight, int n, int c) {
        float[] o = out.array;
        float[] x = inp.array;
        float[] w = weight.array;
        float[] mu = mean.array;
        float[] rs = rstd.array;
        int oOff = out.offset();
        int xOff = inp.offset();
        int wOff = weight.offset();
        int muOff = mean.offset();
        int rsOff = rstd.offset();
        int bound = S.loopBound(c);
        pool.forRange(n, Math.max(1, 4096 / Math.max(1, c)), (from, to) -> {
            // Three passes over the task's rows, each row's sums in the same order as one row at a
            // time; the rows of a pass are independent, so their lane reductions overlap.
            for (int row = from; row < to; row++) {
                int xr = xOff + row * c;
                FloatVector acc = FloatVector.zero(S);
                int i = 0;
                for (; i < bound; i += L) {
                    acc = acc.add(FloatVector.fromArray(S, x, xr + i));
                }
                float sum = acc.reduceLanes(VectorOperators.ADD);
                for (; i < c; i++) {
                    sum += x[xr + i];
                }
                mu[muOff + row] = sum / c;
            }
            for (int row = from; row < to; row++) {
                int xr = xOff + row * c;
                float m = mu[muOff + row];
                FloatVector mv = FloatVector.broadcast(S, m);
                FloatVector sq = FloatVector.zero(S);
                int i = 0;
                for (; i < bound; i += L) {
                    FloatVector d = FloatVector.fromArray(S, x, xr + i).sub(mv);
                    sq = d.fma(d, sq);
                }
                float var = sq.reduceLanes(VectorOperators.ADD);
                for (; i < c; i++) {
                    float d = x[xr + i] - m;
                    var += d * d;
                }
                rs[rsOff + row] = (float) (1.0 / Math.sqrt(var / c + EPS));
            }
            for (int row = from; row < to; row++) {
                int xr = xOff + row * c;
                float m = mu[muOff + row];
                float r = rs[rsOff + row];
                FloatVector mv = FloatVector.broadcast(S, m);
                FloatVector rv = FloatVector.broadcast(S, r);
                int orow = oOff + row * c;
                int i = 0;
                for (; i < bound; i += L) {
                    FloatVector.fromArray(S, x, xr + i).sub(mv).mul(rv)
                            .mul(FloatVector.fromArray(S, w, wOff + i)).intoArray(o, orow + i);
                }
                for (; i < c; i++) {
                    o[orow + i] = (x[xr + i] - m) * r * w[wOff + i];
                }
            }
        });
    }

    void backward(CpuFloatTensor dinp, CpuFloatTensor dweight, CpuFloatTensor dout, CpuFloatTensor inp,
                  CpuFloatTensor weight, CpuFloatTensor mean, CpuFloatTensor rstd, int n, int c) {
        float[] dx = dinp.array;
        float[] dy = dout.array;
        float[] x = inp.array;
        float[] w = weight.array;
        float[] mu = mean.array;
        float[] rs = rstd.array;
        int dxOff = dinp.offset();
        int dyOff = dout.offset();
        int xOff = inp.offset();
        int wOff = weight.offset();
        int muOff = mean.offset();
        int rsOff = rstd.offset();
        int bound = S.loopBound(c);
        pool.forRange(n, Math.max(1, 2048 / Math.max(1, c)), (from, to) -> {
            for (int row = from; row < to; row++) {
                int xr = xOff + row * c;
                int yr = dyOff + row * c;
                float m = mu[muOff + row];
                float r = rs[rsOff + row];
                FloatVector mv = FloatVector.broadcast(S, m);
                FloatVector rv = FloatVector.broadcast(S, r);
                FloatVector s1 = FloatVector.zero(S);
                FloatVector s2 = FloatVector.zero(S);
                int i = 0;
                for (; i < bound; i += L) {
                    FloatVector xhat = FloatVector.fromArray(S, x, xr + i).sub(mv).mul(rv);
                    FloatVector dnorm = FloatVector.fromArray(S, dy, yr + i).mul(FloatVector.fromArray(S, w, wOff + i));
                    s1 = s1.add(dnorm);
                    s2 = dnorm.fma(xhat, s2);
                }
                float sum1 = s1.reduceLanes(VectorOperators.ADD);
                float sum2 = s2.reduceLanes(VectorOperators.ADD);
                for (; i < c; i++) {
                    float xhat = (x[xr + i] - m) * r;
                    float dnorm = dy[yr + i] * w[wOff + i];
                    sum1 += dnorm;
                    sum2 += dnorm * xhat;
                }
                float mean1 = sum1 / c;
                float mean2 = sum2 / c;
                FloatVector m1 = FloatVector.broadcast(S, mean1);
                FloatVector m2 = FloatVector.broadcast(S, mean2);
                int dr = dxOff + row * c;
                i = 0;
                for (; i < bound; i += L) {
                    FloatVector xhat = FloatVector.fromArray(S, x, xr + i).sub(mv).mul(rv);
                    FloatVector dnorm = FloatVector.fromArray(S, dy, yr + i).mul(FloatVector.fromArray(S, w, wOff + i));
                    FloatVector grad = dnorm.sub(m1).sub(xhat.mul(m2)).mul(rv);
                    FloatVector.fromArray(S, dx, dr + i).add(grad).intoArray(dx, dr + i);
                }
                for (; i < c; i++) {
                    float xhat = (x[xr + i] - m) * r;
                    float dnorm = dy[yr + i] * w[wOff + i];
                    dx[dr + i] += (dnorm - mean1 - xhat * mean2) * r;
                }
            }
        });
        float[] dw = dweight.array;
        int dwOff = dweight.offset();
        int block = Math.max(L, 64);
        int blocks = (c + block - 1) / block;
        pool.forRange(blocks, 1, (from, to) -> {
            for (int blk = from; blk < to; blk++) {
                int c0 = blk * block;
                int c1 = Math.min(c, c0 + block);
                for (int row = 0; row < n; row++) {
                    float m = mu[muOff + row];
                    float r = rs[rsOff + row];
                    int xr = xOff + row * c;
                    int yr = dyOff + row * c;
                    FloatVector mv = FloatVector.broadcast(S, m);
                    FloatVector rv = FloatVector.broadcast(S, r);
                    int i = c0;
                    for (; i + L <= c1; i += L) {
                        FloatVector xhat = FloatVector.fromArray(S, x, xr + i).sub(mv).mul(rv);
                        FloatVector.fromArray(S, dy, yr + i).fma(xhat, FloatVector.fromArray(S, dw, dwOff + i))
                                .intoArray(dw, dwOff + i);
                    }
                    for (; i < c1; i++) {
                        dw[dwOff + i] += dy[yr + i] * (x[xr + i] - m) * r;
                    }
                }
            }
        });
    }
}
