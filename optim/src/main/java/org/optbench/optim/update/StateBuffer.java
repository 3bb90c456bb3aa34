package org.optbench.optim.update;

import org.optbench.kernels.FloatTensor;
import org.optbench.model.ParameterSpec;

/**
 * One named buffer of optimizer state on the backend, e.g. {@code exp_avg} of a parameter;
 * checkpoints store it as {@code <parameter>.<name>} with this shape.
 *
 * @param parameter the parameter it belongs to, e.g. {@code blocks.0.attn.qkv.weight}
 * @param name      the state's name, e.g. {@code exp_avg}
 * @param shape     its shape
 * @param tensor    its values on the backend
 */
public record StateBuffer(String parameter, String name, int[] shape, FloatTensor tensor) {

    public StateBuffer {
        shape = shape.clone();
    }

    /** The buffer {@code name} of parameter {@code spec}, shaped like it. */
    public StateBuffer(ParameterSpec spec, String name, FloatTensor tensor) {
        this(spec.name(), name, spec.shape(), tensor);
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    public long count() {
        return ParameterSpec.count(shape);
    }

    /** How checkpoints name it: {@code <parameter>.<name>}. */
    public String key() {
        return parameter + "." + name;
    }
}
