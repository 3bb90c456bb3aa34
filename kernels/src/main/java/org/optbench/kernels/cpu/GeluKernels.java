package org.optbench.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The exact GELU, x * Phi(x) with Phi the standard normal CDF, and its derivative
 * Phi(x) + x * phi(x). erf is a rational approximation on [-4, 4] (the XLA/Eigen float erf,
 * absolute error below 1e-7), inlined in the vector loops and mirrored by {@link #erf} for tails;
 * the density in the derivative is 0 beyond |x| = 10.
 */
final class GeluKernels {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final float INV_SQRT2 = (float) (1.0 / Math.sqrt(2.0));
    private static final float INV_SQRT_2PI = (float) (1.0 / Math.sqrt(2.0 * Math.PI));
    private static final float A13 = -2.72614225801306e-10f;
    private static final float A11 = 2.77068142495902e-08f;
    private static final float A9 = -2.10102402082508e-06f;
    private static final float A7 = -5.69250639462346e-05f;
    private static final float A5 = -7.34990630326855e-04f;
    private static final float A3 = -2.95459980854025e-03f;
    private static final float A1 = -1.60960333262415e-02f;
    private static final float B8 = -1.45660718464996e-05f;
    private static final float B6 = -2.13374055278905e-04f;
    private static final float B4 = -1.68282697438203e-03f;
    private static final float B2 = -7.37332916720468e-03f;
    private static final float B0 = -1.42647390514189e-02f;
    /**
     * Below this exponent (|x| above 10) the normal density is under 1e-22 and is taken as 0, so
     * that the backward never forms subnormal floats, which cost many cycles each on some CPUs.
     */
    private static final float PDF_CUTOFF = -50f;
    private static final int GRAIN = 16384;

    private final WorkerPool pool;

    GeluKernels(WorkerPool pool) {
        this.pool = pool;
    }

    static float erf(float x) {
        float z = Math.max(-4f, Math.min(4f, x));
        float z2 = z * z;
        float p = ((((((A13 * z2 + A11) * z2 + A9) * z2 + A7) * z2 + A5) * z2 + A3) * z2 + A1) * z;
        float q = (((B8 * z2 + B6) * z2 + B4) * z2 + B2) * z2 + B0;
        return p / q;
    }

    void forward(CpuFloatTensor out, CpuFloatTensor inp, int n) {
        float[] o = out.array;
        float[] x = inp.array;
        int oOff = out.offset();
        int xOff = inp.offset();
        pool.forRange(n, GRAIN, (from, to) -> {
            int i = from;
            for (; i + L <= to; i += L) {
                FloatVector xv = FloatVector.fromArray(S, x, xOff + i);
                FloatVector z = xv.mul(INV_SQRT2).max(-4f).min(4f);
                FloatVector z2 = z.mul(z);
                FloatVector p = z2.mul(A13).add(A11).fma(z2, FloatVector.broadcast(S, A9))
                        .fma(z2, FloatVector.broadcast(S, A7)).fma(z2, FloatVector.broadcast(S, A5))
                        .fma(z2, FloatVector.broadcast(S, A3)).fma(z2, FloatVector.broadcast(S, A1)).mul(z);
                FloatVector q = z2.mul(B8).add(B6).fma(z2, FloatVector.broadcast(S, B4))
                        .fma(z2, FloatVector.broadcast(S, B2)).fma(z2, FloatVector.broadcast(S, B0));
                FloatVector cdf = p.div(q).add(1f).mul(0.5f);
                xv.mul(cdf).intoArray(o, oOff + i);
            }
            for (; i < to; i++) {
                float v = x[xOff + i];
                o[oOff + i] = v * 0.5f * (1f + erf(v * INV_SQRT2));
            }
        });
    }

    void backward(CpuFloatTensor dinp, CpuFloatTensor inp, CpuFloatTensor dout, int n) {
        float[] dx = dinp.array;
        float[] x = inp.array;
        float[] dy = dout.array;
        int dxOff = dinp.offset();
        int xOff = inp.offset();
        int dyOff = dout.offset();
        pool.forRange(n, GRAIN, (from, to) -> {
            int i = from;
            for (; i + L <= to; i += L) {
                FloatVector xv = FloatVector.fromArray(S, x, xOff + i);
                FloatVector z = xv.mul(INV_SQRT2).max(-4f).min(4f);
                FloatVector z2 = z.mul(z);
                FloatVector p = z2.mul(A13).add(A11).fma(z2, FloatVector.broadcast(S, A9))
                        .fma(z2, FloatVector.broadcast(S, A7)).fma(z2, FloatVector.broadcast(S, A5))
                        .fma(z2, FloatVector.broadcast(S, A3)).fma(z2, FloatVector.broadcast(S, A1)).mul(z);
                FloatVector q = z2.mul(B8).add(B6).fma(z2, FloatVector.broadcast(S, B4))
                        .fma(z2, FloatVector.broadcast(S, B2)).fma(z2, FloatVector.broadcast(S, B0));
                FloatVector cdf = p.div(q).add(1f).mul(0.5f);
                FloatVector halfSquare = xv.mul(xv).mul(-0.5f);
                FloatVector pdf = VectorMath.exp(halfSquare).mul(INV_SQRT_2PI)
                        .blend(0f, halfSquare.compare(VectorOperators.LT, PDF_CUTOFF));
                FloatVector grad = xv.fma(pdf, cdf);
                grad.mul(FloatVector.fromArray(S, dy, dyOff + i)).intoArray(dx, dxOff + i);
            }
            for (; i < to; i++) {
                float v = x[xOff + i];
                float cdf = 0.5f * (1f + erf(v * INV_SQRT2));
                float halfSquare = v * v * -0.5f;
                float pdf = halfSquare < PDF_CUTOFF ? 0f : VectorMath.exp(halfSquare) * INV_SQRT_2PI;
                dx[dxOff + i] = dy[dyOff + i] * (cdf + v * pdf);
            }
        });
    }
}
