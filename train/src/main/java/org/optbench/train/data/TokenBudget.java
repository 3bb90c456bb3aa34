package org.optbench.train.data;

import org.optbench.model.ModelConfig;
import org.optbench.model.ParameterLayout;

/**
 * What a prepared corpus can train without repeating data: its tokens per split, and the largest
 * model whose non-embedding parameters, at a ratio of training tokens per parameter (the paper's
 * 20), fit in one pass over the training split. Printed by {@code optbench data prepare} and
 * {@code data fetch}, so that a study's size is chosen against its data.
 */
public final class TokenBudget {

    /** Training tokens per non-embedding parameter that the studies aim at (Chinchilla's ratio, the paper's regime). */
    public static final double TOKENS_PER_PARAMETER = 20;
    private static final int[] WIDTHS = {32, 64, 96, 128, 256};

    private TokenBudget() {
    }

    /** Non-embedding parameters that {@code trainTokens} carry at {@code tokensPerParameter}. */
    public static long carriedParameters(long trainTokens, double tokensPerParameter) {
        return (long) Math.floor(trainTokens / tokensPerParameter);
    }

    /**
     * Lines for a prepared data set: tokens per split, the parameters its training split carries at
     * 20 tokens each, and the deepest model of each width (sequence 64) that fits, with its share of
     * non-embedding parameters at this vocabulary.
     */
    public static String describe(PreparedData data) {
        long train = data.manifest().path("counts").path("train_tokens").asLong();
        long val = data.manifest().path("counts").path("val_tokens").asLong();
        int vocab = data.vocabSize();
        long carried = carriedParameters(train, TOKENS_PER_PARAMETER);
        StringBuilder s = new StringBuilder();
        s.append(String.format("tokens: train %,d, val %,d (vocabulary %,d)%n", train, val, vocab));
        s.append(String.format("at %.0f tokens per non-embedding parameter, one pass over the train split carries %,d "
                + "non-embedding parameters; the deepest model of each width that fits:%n", TOKENS_PER_PARAMETER, carried));
        for (int width : WIDTHS) {
            int layers = 0;
            while (nonEmbedding(vocab, width, layers + 1) <= carried) {
                layers++;
            }
            if (layers == 0) {
                s.append(String.format("  d_model %d: none (one layer needs %,d)%n", width, nonEmbedding(vocab, width, 1)));
                continue;
            }
            ParameterLayout layout = layout(vocab, width, layers);
            s.append(String.format("  d_model %d: %d layer%s, %,d non-embedding parameters, %.0f%% of %,d%n", width, layers,
                    layers == 1 ? "" : "s",
                    layout.nonEmbeddingCount(), 100.0 * layout.nonEmbeddingCount() / layout.totalCount(),
                    layout.totalCount()));
        }
        return s.toString().stripTrailing();
    }

    private static long nonEmbedding(int vocab, int width, int layers) {
        return layout(vocab, width, layers).nonEmbeddingCount();
    }

    private static ParameterLayout layout(int vocab, int width, int layers) {
        return new ParameterLayout(ModelConfig.of(vocab, width, layers, 2, 64));
    }
}
