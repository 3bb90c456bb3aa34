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

    /** Steps between curvature estimates (after steps k, 2k, ...), 0 for a rule that keeps none. */
    default int curvatureInterval() {
        return 0;
    }

    /**
     * Folds a curvature estimate into the state: the gradient buffer holds the gradient of the
     * estimating pass, over a batch of {@code tokens} tokens. Only for rules with an interval.
     */
    default void updateCurvature(long tokens) {
        throw new IllegalStateException("this update keeps no curvature estimate");
    }

    /** How the rule sees the tensor when that is not element by element (blocks, factors), for {@code optim explain}. */
    default String layout() {
        return "";
    }
}
