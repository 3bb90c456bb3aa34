package org.optbench.optim.update;

import java.util.List;
import org.optbench.kernels.Backend;
import org.optbench.kernels.FloatTensor;
import org.optbench.model.ParameterSpec;
import org.optbench.optim.HyperparameterValues;

/**
 * Bias-corrected EMA momentum with no second moment (Adam with v = 1): the non-adaptive part of
 * the study's hybrids. State: exp_avg.
 */
public final class MomentumUpdate implements TensorUpdate {

    private final Backend backend;
    private final FloatTensor param;
    private final FloatTensor grad;
    private final StateBuffer m;
    private final float beta1;

    /** The update of one tensor for {@code momentum}. */
    public static TensorUpdate create(Backend be, ParameterSpec spec, FloatTensor p, FloatTensor g, HyperparameterValues hp) {
        return new MomentumUpdate(be, p, g, spec.shape(), hp.number("beta1"));
    }

    MomentumUpdate(Backend backend, FloatTensor param, FloatTensor grad, int[] shape, float beta1) {
        this.backend = backend;
        this.param = param;
        this.grad = grad;
        this.m = new StateBuffer("exp_avg", shape, backend.allocate(param.length()));
        this.beta1 = beta1;
    }

    @Override
    public void step(int step, float lr, float decay, float gradScale) {
        backend.momentumUpdate(param, grad, m.tensor(), param.length(), lr, beta1, decay, gradScale, step);
    }

    @Override
    public List<StateBuffer> state() {
        return List.of(m);
    }
}
