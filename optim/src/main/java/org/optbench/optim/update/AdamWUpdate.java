package org.optbench.optim.update;

import java.util.List;
import org.optbench.kernels.Backend;
import org.optbench.kernels.FloatTensor;
import org.optbench.model.ParameterSpec;
import org.optbench.optim.HyperparameterValues;

/**
 * AdamW (Loshchilov and Hutter, 2019): bias-corrected first and second moments, eps after the
 * square root; with {@code tie_betas} the second moment uses beta1 too (the paper's Adam with
 * beta1 = beta2, the bridge to Signum). Also Adafactor's rule for 1-D tensors (full v). State:
 * exp_avg, exp_avg_sq.
 */
public final class AdamWUpdate implements TensorUpdate {

    private final Backend backend;
    private final FloatTensor param;
    private final FloatTensor grad;
    private final StateBuffer m;
    private final StateBuffer v;
    private final float beta1;
    private final float beta2;
    private final float eps;

    /** The update of one tensor for {@code adamw}: beta2 is beta1 when {@code tie_betas}. */
    public static TensorUpdate create(Backend be, ParameterSpec spec, FloatTensor p, FloatTensor g, HyperparameterValues hp) {
        float beta1 = hp.number("beta1");
        return new AdamWUpdate(be, p, g, spec.shape(), beta1, hp.flag("tie_betas") ? beta1 : hp.number("beta2"),
                hp.number("eps"));
    }

    AdamWUpdate(Backend backend, FloatTensor param, FloatTensor grad, int[] shape, float beta1, float beta2, float eps) {
        this.backend = backend;
        this.param = param;
        this.grad = grad;
        this.m = new StateBuffer("exp_avg", shape, backend.allocate(param.length()));
        this.v = new StateBuffer("exp_avg_sq", shape, backend.allocate(param.length()));
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
    }

    @Override
    public void step(int step, float lr, float decay, float gradScale) {
        backend.adamwUpdate(param, grad, m.tensor(), v.tensor(), param.length(), lr, beta1, beta2, eps, decay,
                gradScale, step);
    }

    @Override
    public List<StateBuffer> state() {
        return List.of(m, v);
    }
}
