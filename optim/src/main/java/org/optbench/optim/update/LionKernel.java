package org.optbench.optim.update;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.optbench.kernels.ElementwiseKernel;

/**
 * Lion's kernel pair (twin: {@code LionKernel.cl}), also Signum's with beta2 = beta1: param =
 * param*decay - lr*sign(b1*m + (1-b1)*g), sign(0) = 0; then m = b2*m + (1-b2)*g. State: m.
 * Scalars: lr, beta1, beta2, decay, gradScale.
 */
public final class LionKernel extends ElementwiseKernel {

    public static final LionKernel INSTANCE = new LionKernel();

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private LionKernel() {
        super("lionUpdate", 1, 5);
    }

    @Override
    public void cpu(Slices s, float[] k, int from, int to) {
        float lr = k[0];
        float beta1 = k[1];
        float beta2 = k[2];
        float decay = k[3];
        float gradScale = k[4];
        float[] p = s.p();
        float[] g = s.g();
        float[] ma = s.state()[0];
        int po = s.po();
        int go = s.go();
        int mo = s.so()[0];
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector minusOne = FloatVector.broadcast(S, -1f);
        int i = from;
        for (; i + L <= to; i += L) {
            FloatVector gv = FloatVector.fromArray(S, g, go + i).mul(gradScale);
            FloatVector mv = FloatVector.fromArray(S, ma, mo + i);
            FloatVector c = mv.mul(beta1).add(gv.mul(1f - beta1));
            VectorMask<Float> pos = c.compare(VectorOperators.GT, 0f);
            VectorMask<Float> neg = c.compare(VectorOperators.LT, 0f);
            FloatVector u = FloatVector.zero(S).blend(one, pos).blend(minusOne, neg);
            FloatVector.fromArray(S, p, po + i).mul(decay).sub(u.mul(lr)).intoArray(p, po + i);
            mv.mul(beta2).add(gv.mul(1f - beta2)).intoArray(ma, mo + i);
        }
        for (; i < to; i++) {
            float gi = g[go + i] * gradScale;
            float mi = ma[mo + i];
            float c = beta1 * mi + (1f - beta1) * gi;
            float u = c > 0 ? 1f : (c < 0 ? -1f : 0f);
            p[po + i] = p[po + i] * decay - u * lr;
            ma[mo + i] = beta2 * mi + (1f - beta2) * gi;
        }
    }
}
