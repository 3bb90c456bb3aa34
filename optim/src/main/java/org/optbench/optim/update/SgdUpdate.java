package org.optbench.optim.update;

import java.util.List;
import org.optbench.kernels.Backend;
import org.optbench.kernels.FloatTensor;

/** Heavy-ball SGD as timm's SGDW (Polyak, 1964), optionally Nesterov; state: the momentum buffer. */
final class SgdUpdate implements TensorUpdate {

    private final Backend backend;
    private final FloatTensor param;
    private final FloatTensor grad;
    private final StateBuffer buf;
    private final float momentum;
    private final boolean nesterov;

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
