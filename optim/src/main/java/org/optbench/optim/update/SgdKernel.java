package org.optbench.optim.update;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.optbench.kernels.ElementwiseKernel;

/**
 * Heavy-ball SGD's kernel pair (timm SGDW; twin: {@code SgdKernel.cl}): buf = momentum*buf + g;
 * param = param*decay - lr*buf, or with Nesterov param = param*decay - lr*(g + momentum*buf).
 * State: buf. Scalars: lr, momentum, nesterov (1 or 0), decay, gradScale.
 */
public final class SgdKernel extends ElementwiseKernel {

    public static final SgdKernel INSTANCE = new SgdKernel();

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private SgdKernel() {
        super("sgdUpdate", 1, 5);
    }

    @Override
    public void cpu(Slices s, float[] k, int from, int to) {
        float lr = k[0];
        float momentum = k[1];
        boolean nesterov = k[2] != 0;
        float decay = k[3];
        float gradScale = k[4];
        float[] p = s.p();
        float[] g = s.g();
        float[] b = s.state()[0];
        int po = s.po();
        int go = s.go();
        int bo = s.so()[0];
        int i = from;
        for (; i + L <= to; i += L) {
            FloatVector gv = FloatVector.fromArray(S, g, go + i).mul(gradScale);
            FloatVector bv = FloatVector.fromArray(S, b, bo + i).fma(FloatVector.broadcast(S, momentum), gv);
            bv.intoArray(b, bo + i);
            FloatVector step = nesterov ? bv.fma(FloatVector.broadcast(S, momentum), gv) : bv;
            FloatVector.fromArray(S, p, po + i).mul(decay).sub(step.mul(lr)).intoArray(p, po + i);
        }
        for (; i < to; i++) {
            float gi = g[go + i] * gradScale;
            float bi = Math.fma(b[bo + i], momentum, gi);
            b[bo + i] = bi;
            float step = nesterov ? Math.fma(bi, momentum, gi) : bi;
            p[po + i] = p[po + i] * decay - step * lr;
        }
    }
}
