package org.optbench.optim.update;

import java.util.List;
import org.optbench.kernels.ElementwiseKernel;
import org.optbench.optim.hyperparameter.HyperparameterValues;

/**
 * SophiaG (Liu et al., 2023) as the authors of the study run it: an EMA m of the gradient with
 * beta1 and a diagonal Hessian estimate h, an EMA with beta2 of B * g_hat^2 refreshed after every
 * {@code hessian_interval}-th step, where g_hat is the gradient of the batch's mean cross-entropy
 * on labels sampled from the model's own output distribution (Gauss-Newton-Bartlett) and B the
 * batch's tokens; the step is param*decay - lr * sign(m) * min(|m| / (rho*h + eps), 1), decoupled
 * weight decay first. h is the authors' {@code bs * hessian} with bs their batch's tokens. State:
 * exp_avg, hessian. Kernel pairs: {@link SophiaKernel} and {@link SophiaCurvatureKernel}.
 */
public final class SophiaUpdate implements CurvatureRule {

    private final float beta1;
    private final float beta2;
    private final float rho;
    private final float eps;
    private final int interval;

    /** The rule of a {@code sophia} group. */
    public static ElementwiseRule of(HyperparameterValues hp) {
        return new SophiaUpdate(hp.number("beta1"), hp.number("beta2"), hp.number("rho"), hp.number("eps"),
                (int) hp.number("hessian_interval"));
    }

    SophiaUpdate(float beta1, float beta2, float rho, float eps, int interval) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.rho = rho;
        this.eps = eps;
        this.interval = interval;
    }

    @Override
    public ElementwiseKernel kernel() {
        return SophiaKernel.INSTANCE;
    }

    @Override
    public List<String> stateNames() {
        return List.of("exp_avg", "hessian");
    }

    @Override
    public float[] scalars(int step, float lr, float decay, float gradScale) {
        return new float[] {lr, beta1, rho, eps, decay, gradScale};
    }

    @Override
    public int curvatureInterval() {
        return interval;
    }

    @Override
    public ElementwiseKernel curvatureKernel() {
        return SophiaCurvatureKernel.INSTANCE;
    }

    @Override
    public float[] curvatureScalars(long tokens) {
        return new float[] {beta2, tokens};
    }
}
