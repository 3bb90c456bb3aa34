package org.optbench.optim.update;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.optbench.kernels.ElementwiseKernel;

/**
 * AdamW's kernel pair (twin: {@code AdamWKernel.cl}): m = b1*m + (1-b1)*g, v = b2*v + (1-b2)*g^2,
 * param = param*decay - lr * (m*c1) / (sqrt(v*c2) + eps). State: m, v. Scalars: lr, beta1, beta2,
 * eps, decay, gradScale, c1, c2 (the bias corrections, from the host).
 */
public final class AdamWKernel extends ElementwiseKernel {

    public static final AdamWKernel INSTANCE = new AdamWKernel();

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private AdamWKernel() {
        super("adamwUpdate", 2, 8);
    }

    @Override
    public void cpu(Slices s, float[] k, int from, int to) {
        float lr = k[0];
        float beta1 = k[1];
        float beta2 = k[2];
        float eps = k[3];
        float decay = k[4];
        float gradScale = k[5];
        float c1 = k[6];
        float c2 = k[7];
        float a1 = 1f - beta1;
        float a2 = 1f - beta2;
        float[] p = s.p();
        float[] g = s.g();
        float[] ma = s.state()[0];
        float[] va = s.state()[1];
        int po = s.po();
        int go = s.go();
        int mo = s.so()[0];
        int vo = s.so()[1];
        int i = from;
        for (; i + L <= to; i += L) {
            FloatVector gv = FloatVector.fromArray(S, g, go + i).mul(gradScale);
            FloatVector mv = FloatVector.fromArray(S, ma, mo + i).mul(beta1).add(gv.mul(a1));
            FloatVector vv = FloatVector.fromArray(S, va, vo + i).mul(beta2).add(gv.mul(gv).mul(a2));
            mv.intoArray(ma, mo + i);
            vv.intoArray(va, vo + i);
            FloatVector denom = vv.mul(c2).lanewise(VectorOperators.SQRT).add(eps);
            FloatVector pv = FloatVector.fromArray(S, p, po + i).mul(decay);
            pv.sub(mv.mul(c1).div(denom).mul(lr)).intoArray(p, po + i);
        }
        for (; i < to; i++) {
            float gi = g[go + i] * gradScale;
            float mi = beta1 * ma[mo + i] + a1 * gi;
            float vi = beta2 * va[vo + i] + a2 * (gi * gi);
            ma[mo + i] = mi;
            va[vo + i] = vi;
            p[po + i] = p[po + i] * decay - (mi * c1) / ((float) Math.sqrt(vi * c2) + eps) * lr;
        }
    }
}
