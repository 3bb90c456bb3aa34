package org.optbench.kernels;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The kernel pair of an element-wise optimizer rule: a Vector API body for the CPU backend and its
 * OpenCL C twin, side by side in the rule's package ({@code AdamWKernel.java} and
 * {@code AdamWKernel.cl}). Each
 * reads the gradient and the rule's per-element state once and writes the state and the parameter
 * once; the backends only cut the elements into tasks (CPU) or work items (OpenCL), so a rule runs
 * through {@link Backend#elementwiseUpdate} without either backend naming it. The OpenCL function
 * is {@code __kernel void NAME(param, paramOff, grad, gradOff, state0, state0Off, ..., int n,
 * float scalar0, ...)}, one work item per element.
 */
public abstract class ElementwiseKernel {

    private final String name;
    private final int stateBuffers;
    private final int scalars;

    /**
     * @param name         its OpenCL function's name, and what errors and profiles call it
     * @param stateBuffers the per-element state buffers it reads and writes, in argument order
     * @param scalars      how many scalars it takes, in argument order
     */
    protected ElementwiseKernel(String name, int stateBuffers, int scalars) {
        this.name = name;
        this.stateBuffers = stateBuffers;
        this.scalars = scalars;
    }

    public final String name() {
        return name;
    }

    public final int stateBuffers() {
        return stateBuffers;
    }

    public final int scalars() {
        return scalars;
    }

    /** The OpenCL C source that defines {@link #name()}: the resource {@code <class name>.cl} beside the class. */
    public String openClSource() {
        return source(getClass(), getClass().getSimpleName() + ".cl");
    }

    /** The CPU body over elements [from, to) of {@code s}, with {@code k} the scalars. */
    public abstract void cpu(Slices s, float[] k, int from, int to);

    /**
     * Where the CPU body reads and writes: element i of the parameter is {@code p[po + i]}, of the
     * gradient {@code g[go + i]}, of state buffer j {@code state[j][so[j] + i]}.
     */
    public record Slices(float[] p, int po, float[] g, int go, float[][] state, int[] so) {
    }

    /** The text of the resource {@code file} beside {@code owner}'s class file. */
    protected static String source(Class<?> owner, String file) {
        try (InputStream in = owner.getResourceAsStream(file)) {
            if (in == null) {
                throw new KernelException("kernel source " + file + " is missing beside " + owner.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new KernelException("cannot read kernel source " + file + ": " + e.getMessage(), e);
        }
    }
}
