package org.optbench.train.data;

/**
 * Deterministic batches of B sequences of T tokens: batch k fills inputs and targets (each B*T,
 * row major) the same way every time it is asked for.
 */
public interface BatchSource {

    int batchSize();

    int seqLen();

    /** Number of distinct batches available. */
    long batchCount();

    void batch(long k, int[] inputs, int[] targets);
}
