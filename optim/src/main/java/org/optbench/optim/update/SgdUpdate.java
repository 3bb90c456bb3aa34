package org.optbench.optim.update;

import java.util.List;
import org.optbench.kernels.ElementwiseKernel;
import org.optbench.optim.hyperparameter.HyperparameterValues;

/**
 * Heavy-ball SGD as timm's SGDW (Polyak, 1964), optionally Nesterov; state: the momentum buffer.
 * Kernel pair: {@link SgdKernel}.
 */
public final class SgdUpdate implements ElementwiseRule {

    private final float momentum;
    private final boolean nesterov;

    /** The rule of an {@code sgd} group. */
    public static ElementwiseRule of(HyperparameterValues hp) {
        return new SgdUpdate(hp.number("momentum"), hp.flag("nesterov"));
    }

    SgdUpdate(float momentum, boolean nesterov) {
        this.momentum = momentum;
        this.nesterov = nesterov;
    }

    @Override
    public ElementwiseKernel kernel() {
        return SgdKernel.INSTANCE;
    }

    @Override
    public List<String> stateNames() {
        return List.of("momentum_buffer");
    }

    @Override
    public float[] scalars(int step, float lr, float decay, float gradScale) {
        return new float[] {lr, momentum, nesterov ? 1f : 0f, decay, gradScale};
    }
}
