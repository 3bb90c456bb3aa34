package org.optbench.model.io;

import java.util.Arrays;

/**
 * One float32 tensor of a safetensors file: its name, its shape and its values in row-major order.
 */
public record TensorEntry(String name, int[] shape, float[] data) {

    public TensorEntry {
        shape = shape.clone();
        long count = org.optbench.model.ParameterSpec.count(shape);
        if (count != data.length) {
            throw new IllegalArgumentException("tensor " + name + " of shape " + Arrays.toString(shape)
                    + " needs " + count + " values, got " + data.length);
        }
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    public String shapeString() {
        return Arrays.toString(shape);
    }
}
