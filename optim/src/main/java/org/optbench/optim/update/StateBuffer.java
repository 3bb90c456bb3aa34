package org.optbench.optim.update;

import org.optbench.kernels.FloatTensor;
import org.optbench.model.ParameterSpec;

/**
 * One named buffer of optimizer state on the backend, e.g. {@code exp_avg} of a parameter;
 * checkpoints store it as {@code <parameter name>.<name>} with this shape.
 */
public record StateBuffer(String name, int[] shape, FloatTensor tensor) {

    public StateBuffer {
        shape = shape.clone();
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    public long count() {
        return ParameterSpec.count(shape);
    }
}
