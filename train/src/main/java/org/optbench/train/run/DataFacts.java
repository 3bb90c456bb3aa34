package org.optbench.train.run;

/**
 * What validation needs to know about a run's data without reading its tokens: the tokenizer's
 * vocabulary (null when the model's vocabulary decides, as for synthetic data), the size of the
 * validation split (0: none, so the run does not evaluate), and for a token file its shape.
 *
 * @param vocab     the data's vocabulary size, or null
 * @param valTokens tokens in the validation split
 * @param shape     a token file's shape, or null
 */
public record DataFacts(Integer vocab, long valTokens, long[] shape) {

    /** The synthetic stream's validation split: a window of this many tokens, far from the training windows. */
    public static final long SYNTHETIC_VAL_TOKENS = 1L << 20;

    /** Whether the tokens are explicit batches, a 3-D (N, B, T+1) file. */
    public boolean explicitBatches() {
        return shape != null && shape.length == 3;
    }
}
