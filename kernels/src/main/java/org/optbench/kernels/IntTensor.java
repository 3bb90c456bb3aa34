package org.optbench.kernels;

/**
 * A handle to a run of int32 values (token ids) owned by a {@link Backend}. Like
 * {@link FloatTensor}, its values live wherever the backend keeps them.
 */
public interface IntTensor {

    /** Number of int elements in this tensor. */
    long length();

    /** A view of {@code length} elements starting {@code offset} elements into this tensor. */
    IntTensor slice(long offset, long length);
}
