package org.optbench.optim.update;

import java.util.List;
import org.optbench.kernels.BiasCorrection;
import org.optbench.kernels.ElementwiseKernel;
import org.optbench.optim.hyperparameter.HyperparameterValues;

/**
 * Bias-corrected EMA momentum with no second moment (Adam with v = 1): the non-adaptive part of
 * the study's hybrids. State: exp_avg. Kernel pair: {@link MomentumKernel}.
 */
public final class MomentumUpdate implements ElementwiseRule {

    private final float beta1;

    /** The rule of a {@code momentum} group. */
    public static ElementwiseRule of(HyperparameterValues hp) {
        return new MomentumUpdate(hp.number("beta1"));
    }

    MomentumUpdate(float beta1) {
        this.beta1 = beta1;
    }

    @Override
    public ElementwiseKernel kernel() {
        return MomentumKernel.INSTANCE;
    }

    @Override
    public List<String> stateNames() {
        return List.of("exp_avg");
    }

    @Override
    public float[] scalars(int step, float lr, float decay, float gradScale) {
        return new float[] {lr, beta1, decay, gradScale, BiasCorrection.factor(beta1, step)};
    }
}
