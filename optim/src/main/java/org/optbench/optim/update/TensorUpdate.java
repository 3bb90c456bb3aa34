package org.optbench.optim.update;

import java.util.List;

/**
 * The update rule of one parameter tensor with its state: one fused backend kernel per step.
 * {@code lr} is this step's learning rate, {@code decay} the decoupled weight-decay factor and
 * {@code gradScale} the clipping coefficient; step counts from 1.
 */
public interface TensorUpdate {

    void step(int step, float lr, float decay, float gradScale);

    /** The state buffers, in a fixed order. */
    List<StateBuffer> state();

    /** How the rule sees the tensor when that is not element by element (blocks, factors), for {@code optim explain}. */
    default String layout() {
        return "";
    }
}
