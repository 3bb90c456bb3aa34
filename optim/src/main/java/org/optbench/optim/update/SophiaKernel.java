package org.optbench.optim.update;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.optbench.kernels.ElementwiseKernel;

/**
 * Sophia's step kernel pair (twin: {@code SophiaKernel.cl}): m = b1*m + (1-b1)*g, then param =
 * param*decay - lr * sign(m) * min(|m| / (rho*h + eps), 1), with sign(0) = 0 and h the curvature
 * estimate {@link SophiaCurvatureKernel} keeps (0 before the first estimate, which makes the step
 * lr * sign(m)). A NaN in m or h stays NaN. State: m, h. Scalars: lr, beta1, rho, eps, decay,
 * gradScale.
 */
public final class SophiaKernel extends ElementwiseKernel {

    public static final SophiaKernel INSTANCE = new SophiaKernel();

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private SophiaKernel() {
        super("sophiaUpdate", 2, 6);
    }

    @Override
    public void cpu(Slices s, float[] k, int from, int to) {
        float lr = k[0];
        float beta1 = k[1];
        float rho = k[2];
        float eps = k[3];
        float decay = k[4];
        float gradScale = k[5];
        float a1 = 1f - beta1;
        float[] p = s.p();
        float[] g = s.g();
        float[] ma = s.state()[0];
        float[] ha = s.state()[1];
        int po = s.po();
        int go = s.go();
        int mo = s.so()[0];
        int ho = s.so()[1];
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector zero = FloatVector.zero(S);
        int i = from;
        for (; i + L <= to; i += L) {
            FloatVector gv = FloatVector.fromArray(S, g, go + i).mul(gradScale);
            FloatVector mv = FloatVector.fromArray(S, ma, mo + i).mul(beta1).add(gv.mul(a1));
            mv.intoArray(ma, mo + i);
            FloatVector denom = FloatVector.fromArray(S, ha, ho + i).mul(rho).add(eps);
            FloatVector ratio = mv.abs().div(denom);
            ratio = ratio.blend(one, ratio.compare(VectorOperators.GT, 1f));
            VectorMask<Float> pos = mv.compare(VectorOperators.GT, 0f);
            VectorMask<Float> neg = mv.compare(VectorOperators.LT, 0f);
            VectorMask<Float> nan = mv.test(VectorOperators.IS_NAN);
            FloatVector u = zero.blend(ratio, pos).blend(ratio.neg(), neg).blend(mv, nan);
            FloatVector.fromArray(S, p, po + i).mul(decay).sub(u.mul(lr)).intoArray(p, po + i);
        }
        for (; i < to; i++) {
            float gi = g[go + i] * gradScale;
            float mi = beta1 * ma[mo + i] + a1 * gi;
            ma[mo + i] = mi;
            float ratio = Math.abs(mi) / (rho * ha[ho + i] + eps);
            ratio = ratio > 1f ? 1f : ratio;
            float u = mi > 0 ? ratio : (mi < 0 ? -ratio : (mi == 0 ? 0f : mi));
            p[po + i] = p[po + i] * decay - u * lr;
        }
    }
}
