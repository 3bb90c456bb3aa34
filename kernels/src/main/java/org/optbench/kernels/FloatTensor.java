package org.optbench.kernels;

/**
 * A handle to a run of float32 values owned by a {@link Backend}: host memory for the CPU backend,
 * device memory for an accelerator. Callers never touch the values directly; they pass handles to
 * the backend's operations and copy values in and out with {@link Backend#write} and
 * {@link Backend#read}. A slice shares storage with its parent, which is how the model names views
 * into one flat parameter buffer.
 */
public interface FloatTensor {

    /** Number of float elements in this tensor. */
    long length();

    /** A view of {@code length} elements starting {@code offset} elements into this tensor. */
    FloatTensor slice(long offset, long length);
}
