package org.optbench.model;

import java.util.Arrays;

/**
 * One named parameter tensor inside the flat parameter buffer: its interchange name, its shape in
 * torch Linear layout (out, in), and where its elements start.
 *
 * @param name   interchange name, e.g. {@code blocks.0.attn.qkv.weight}
 * @param shape  dimensions, outermost first
 * @param offset index of the first element in the flat buffer
 */
public record ParameterSpec(String name, int[] shape, long offset) {

    public ParameterSpec {
        shape = shape.clone();
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    public long count() {
        return count(shape);
    }

    /** Elements of a tensor of this shape. */
    public static long count(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    public int rank() {
        return shape.length;
    }

    public int dim(int i) {
        return shape[i];
    }

    public String shapeString() {
        return Arrays.toString(shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParameterSpec p && p.name.equals(name) && Arrays.equals(p.shape, shape) && p.offset == offset;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + shapeString();
    }
}
