package org.optbench.optim.update;

import java.util.List;
import org.optbench.kernels.BiasCorrection;
import org.optbench.kernels.ElementwiseKernel;
import org.optbench.optim.hyperparameter.HyperparameterValues;

/**
 * AdamW (Loshchilov and Hutter, 2019): bias-corrected first and second moments, eps after the
 * square root; with {@code tie_betas} the second moment uses beta1 too (the paper's Adam with
 * beta1 = beta2, the bridge to Signum). Also Adafactor's rule for 1-D tensors (full v). State:
 * exp_avg, exp_avg_sq. Kernel pair: {@link AdamWKernel}.
 */
public final class AdamWUpdate implements ElementwiseRule {

    private final float beta1;
    private final float beta2;
    private final float eps;

    /** The rule of an {@code adamw} group: beta2 is beta1 when {@code tie_betas}. */
    public static ElementwiseRule of(HyperparameterValues hp) {
        float beta1 = hp.number("beta1");
        return new AdamWUpdate(beta1, hp.flag("tie_betas") ? beta1 : hp.number("beta2"), hp.number("eps"));
    }

    AdamWUpdate(float beta1, float beta2, float eps) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
    }

    @Override
    public ElementwiseKernel kernel() {
        return AdamWKernel.INSTANCE;
    }

    @Override
    public List<String> stateNames() {
        return List.of("exp_avg", "exp_avg_sq");
    }

    @Override
    public float[] scalars(int step, float lr, float decay, float gradScale) {
        return new float[] {lr, beta1, beta2, eps, decay, gradScale, BiasCorrection.factor(beta1, step),
                BiasCorrection.factor(beta2, step)};
    }
}
