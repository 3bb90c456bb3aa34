package org.optbench.optim.update;

import java.util.List;
import org.optbench.kernels.Backend;
import org.optbench.kernels.FloatTensor;
import org.optbench.model.ParameterSpec;
import org.optbench.optim.HyperparameterValues;

/**
 * Lion (Chen et al., 2023): the sign of an interpolation of momentum and gradient; Signum
 * (Bernstein et al., 2018) is Lion with beta1 = beta2. State: exp_avg.
 */
public final class LionUpdate implements TensorUpdate {

    private final Backend backend;
    private final FloatTensor param;
    private final FloatTensor grad;
    private final StateBuffer m;
    private final float beta1;
    private final float beta2;

    /** The update of one tensor for {@code lion}. */
    public static TensorUpdate create(Backend be, ParameterSpec spec, FloatTensor p, FloatTensor g, HyperparameterValues hp) {
        return new LionUpdate(be, p, g, spec.shape(), hp.number("beta1"), hp.number("beta2"));
    }

    /** The update of one tensor for {@code signum}: Lion with beta2 = beta1. */
    public static TensorUpdate signum(Backend be, ParameterSpec spec, FloatTensor p, FloatTensor g, HyperparameterValues hp) {
        return new LionUpdate(be, p, g, spec.shape(), hp.number("beta1"), hp.number("beta1"));
    }

    LionUpdate(Backend backend, FloatTensor param, FloatTensor grad, int[] shape, float beta1, float beta2) {
        this.backend = backend;
        this.param = param;
        this.grad = grad;
        this.m = new StateBuffer("exp_avg", shape, backend.allocate(param.length()));
        this.beta1 = beta1;
        this.beta2 = beta2;
    }

    @Override
    public void step(int step, float lr, float decay, float gradScale) {
        backend.lionUpdate(param, grad, m.tensor(), param.length(), lr, beta1, beta2, decay, gradScale);
    }

    @Override
    public List<StateBuffer> state() {
        return List.of(m);
    }
}
