package org.optbench.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The CPU body both the momentum rule and Adalayer's update share: m = b1*m + (1-b1)*g; param =
 * param*decay - scale*m on elements [from, to), g being gradScale * grad. Vector lanes and the
 * scalar tail compute each element alike, so where a task's range starts changes no result.
 */
public final class MomentumStep {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private MomentumStep() {
    }

    /** Over parameter {@code p[po + i]}, gradient {@code g[go + i]} and first moment {@code m[mo + i]}. */
    public static void run(float[] p, int po, float[] g, int go, float[] m, int mo, int from, int to, float beta1,
                           float decay, float gradScale, float scale) {
        float a1 = 1f - beta1;
        int i = from;
        for (; i + L <= to; i += L) {
            FloatVector gv = FloatVector.fromArray(S, g, go + i).mul(gradScale);
            FloatVector mv = FloatVector.fromArray(S, m, mo + i).mul(beta1).add(gv.mul(a1));
            mv.intoArray(m, mo + i);
            FloatVector.fromArray(S, p, po + i).mul(decay).sub(mv.mul(scale)).intoArray(p, po + i);
        }
        for (; i < to; i++) {
            float gi = g[go + i] * gradScale;
            float mi = beta1 * m[mo + i] + a1 * gi;
            m[mo + i] = mi;
            p[po + i] = p[po + i] * decay - mi * scale;
        }
    }
}
