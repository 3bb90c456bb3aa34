package org.optbench.optim.update;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.optbench.kernels.ElementwiseKernel;

/**
 * Sophia's curvature kernel pair (twin: {@code SophiaCurvatureKernel.cl}): the Gauss-Newton-Bartlett
 * estimate folded into h, h = b2*h + (1-b2) * (tokens*g)*g, where g is the gradient of the batch's
 * mean cross-entropy on labels sampled from the model's own output and tokens the batch's size
 * (the estimator's B). Reads the same state as {@link SophiaKernel} and leaves m and the parameter
 * alone. State: m, h. Scalars: beta2, tokens.
 */
public final class SophiaCurvatureKernel extends ElementwiseKernel {

    public static final SophiaCurvatureKernel INSTANCE = new SophiaCurvatureKernel();

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private SophiaCurvatureKernel() {
        super("sophiaCurvature", 2, 2);
    }

    @Override
    public void cpu(Slices s, float[] k, int from, int to) {
        float beta2 = k[0];
        float tokens = k[1];
        float a2 = 1f - beta2;
        float[] g = s.g();
        float[] ha = s.state()[1];
        int go = s.go();
        int ho = s.so()[1];
        int i = from;
        for (; i + L <= to; i += L) {
            FloatVector gv = FloatVector.fromArray(S, g, go + i);
            FloatVector.fromArray(S, ha, ho + i).mul(beta2).add(gv.mul(tokens).mul(gv).mul(a2)).intoArray(ha, ho + i);
        }
        for (; i < to; i++) {
            float gi = g[go + i];
            ha[ho + i] = beta2 * ha[ho + i] + a2 * ((tokens * gi) * gi);
        }
    }
}
