package org.optbench.optim.update;

import org.optbench.kernels.ElementwiseKernel;
import org.optbench.kernels.MomentumStep;

/**
 * The bias-corrected EMA momentum's kernel pair (twin: {@code MomentumKernel.cl}): m = b1*m +
 * (1-b1)*g; param = param*decay - lr*c1*m. State: m. Scalars: lr, beta1, decay, gradScale, c1.
 */
public final class MomentumKernel extends ElementwiseKernel {

    public static final MomentumKernel INSTANCE = new MomentumKernel();

    private MomentumKernel() {
        super("momentumUpdate", 1, 5);
    }

    @Override
    public void cpu(Slices s, float[] k, int from, int to) {
        MomentumStep.run(s.p(), s.po(), s.g(), s.go(), s.state()[0], s.so()[0], from, to, k[1], k[2], k[3], k[0] * k[4]);
    }
}
