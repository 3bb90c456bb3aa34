package org.optbench.optim.update;

import java.util.List;
import org.optbench.kernels.Backend;
import org.optbench.kernels.FloatTensor;
import org.optbench.model.ParameterSpec;
import org.optbench.optim.HyperparameterValues;

/** Heavy-ball SGD as timm's SGDW (Polyak, 1964), optionally Nesterov; state: the momentum buffer. */
public final class SgdUpdate implements TensorUpdate {

    private final Backend backend;
    private final FloatTensor param;
    private final FloatTensor grad;
    private final StateBuffer buf;
    private final float momentum;
    private final boolean nesterov;

    /** The update of one tensor for {@code sgd}. */
    public static TensorUpdate create(Backend be, ParameterSpec spec, FloatTensor p, FloatTensor g, HyperparameterValues hp) {
        return new SgdUpdate(be, p, g, spec.shape(), hp.number("momentum"), hp.flag("nesterov"));
    }

    SgdUpdate(Backend backend, FloatTensor param, FloatTensor grad, int[] shape, float momentum, boolean nesterov) {
        this.backend = backend;
        this.param = param;
        this.grad = grad;
        this.buf = new StateBuffer("momentum_buffer", shape, backend.allocate(param.length()));
        this.momentum = momentum;
        this.nesterov = nesterov;
    }

    @Override
    public void step(int step, float lr, float decay, float gradScale) {
        backend.sgdUpdate(param, grad, buf.tensor(), param.length(), lr, momentum, nesterov, decay, gradScale);
    }

    @Override
    public List<StateBuffer> state() {
        return List.of(buf);
    }
}
