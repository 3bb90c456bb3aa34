package org.optbench.optim.update;

import java.util.List;
import org.optbench.kernels.ElementwiseKernel;
import org.optbench.optim.hyperparameter.HyperparameterValues;

/**
 * Lion (Chen et al., 2023): the sign of an interpolation of momentum and gradient; Signum
 * (Bernstein et al., 2018) is Lion with beta1 = beta2. State: exp_avg. Kernel pair:
 * {@link LionKernel}.
 */
public final class LionUpdate implements ElementwiseRule {

    private final float beta1;
    private final float beta2;

    /** The rule of a {@code lion} group. */
    public static ElementwiseRule of(HyperparameterValues hp) {
        return new LionUpdate(hp.number("beta1"), hp.number("beta2"));
    }

    /** The rule of a {@code signum} group: Lion with beta2 = beta1. */
    public static ElementwiseRule signum(HyperparameterValues hp) {
        return new LionUpdate(hp.number("beta1"), hp.number("beta1"));
    }

    LionUpdate(float beta1, float beta2) {
        this.beta1 = beta1;
        this.beta2 = beta2;
    }

    @Override
    public ElementwiseKernel kernel() {
        return LionKernel.INSTANCE;
    }

    @Override
    public List<String> stateNames() {
        return List.of("exp_avg");
    }

    @Override
    public float[] scalars(int step, float lr, float decay, float gradScale) {
        return new float[] {lr, beta1, beta2, decay, gradScale};
    }
}
