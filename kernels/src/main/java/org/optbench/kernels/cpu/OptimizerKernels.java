package org.optbench.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Fused optimizer updates: each reads the gradient and state once and writes the state and the
 * parameter once, parallel over fixed chunks. Shapes: param, grad and every state buffer (n).
 */
final class OptimizerKernels {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int CHUNK = 1 << 15;

    private final WorkerPool pool;

    OptimizerKernels(WorkerPool pool) {
        this.pool = pool;
    }

    void adamw(CpuFloatTensor param, CpuFloatTensor grad, CpuFloatTensor m, CpuFloatTensor v, int n, float lr,
               float beta1, float beta2, float eps, float decay, float gradScale, int step) {
        float[] p = param.array;
        float[] g = grad.array;
        float[] ma = m.array;
        float[] va = v.array;
        int pOff = param.offset;
        int gOff = grad.offset;
        int mOff = m.offset;
        int vOff = v.offset;
        float c1 = (float) (1.0 / (1.0 - Math.pow(beta1, step)));
        float c2 = (float) (1.0 / (1.0 - Math.pow(beta2, step)));
        float a1 = 1f - beta1;
        float a2 = 1f - beta2;
        pool.forRange(n, CHUNK, (from, to) -> {
            int i = from;
            for (; i + L <= to; i += L) {
                FloatVector gv = FloatVector.fromArray(S, g, gOff + i).mul(gradScale);
                FloatVector mv = FloatVector.fromArray(S, ma, mOff + i).mul(beta1).add(gv.mul(a1));
                FloatVector vv = FloatVector.fromArray(S, va, vOff + i).mul(beta2).add(gv.mul(gv).mul(a2));
                mv.intoArray(ma, mOff + i);
                vv.intoArray(va, vOff + i);
                FloatVector denom = vv.mul(c2).lanewise(VectorOperators.SQRT).add(eps);
                FloatVector pv = FloatVector.fromArray(S, p, pOff + i).mul(decay);
                pv.sub(mv.mul(c1).div(denom).mul(lr)).intoArray(p, pOff + i);
            }
            for (; i < to; i++) {
                float gi = g[gOff + i] * gradScale;
                float mi = beta1 * ma[mOff + i] + a1 * gi;
                float vi = beta2 * va[vOff + i] + a2 * gi * gi;
                ma[mOff + i] = mi;
                va[vOff + i] = vi;
                p[pOff + i] = p[pOff + i] * decay - lr * (mi * c1) / ((float) Math.sqrt(vi * c2) + eps);
            }
        });
    }
}
