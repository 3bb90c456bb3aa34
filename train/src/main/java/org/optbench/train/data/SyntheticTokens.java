package org.optbench.train.data;

import java.util.SplittableRandom;

/**
 * A seeded synthetic token stream with learnable structure, for runs that need no corpus: a
 * Markov chain in which each token is followed by one of {@code branching} successors drawn once
 * per token, so a model that learns the chain reaches a loss near {@code log(branching)}. Token
 * {@code i} of the stream is computed on demand from the position, so any window reads the same
 * values.
 */
public final class SyntheticTokens implements SequentialBatches.TokenStream {

    private static final int BLOCK = 4096;

    private final int vocab;
    private final int[][] successors;
    private final long length;
    private final long seed;

    public SyntheticTokens(int vocab, int branching, long length, long seed) {
        this.vocab = vocab;
        this.length = length;
        this.seed = seed;
        SplittableRandom rng = new SplittableRandom(seed);
        this.successors = new int[vocab][branching];
        for (int t = 0; t < vocab; t++) {
            for (int j = 0; j < branching; j++) {
                successors[t][j] = rng.nextInt(vocab);
            }
        }
    }

    /** The entropy of the chain in nats per token, the loss a perfect model reaches. */
    public double entropy() {
        return Math.log(successors[0].length);
    }

    /** The stream's positions [from, from + length) as a stream of its own (a held-out split). */
    public static SequentialBatches.TokenStream window(SequentialBatches.TokenStream stream, long from, long length) {
        return new SequentialBatches.TokenStream() {
            @Override
            public long length() {
                return length;
            }

            @Override
            public void read(long at, int[] dst, int dstOffset, int n) {
                stream.read(from + at, dst, dstOffset, n);
            }
        };
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public void read(long from, int[] dst, int dstOffset, int n) {
        long block = from / BLOCK;
        SplittableRandom rng = new SplittableRandom(seed ^ (block * 0x9E3779B97F4A7C15L));
        int token = rng.nextInt(vocab);
        long pos = block * BLOCK;
        int written = 0;
        while (written < n) {
            if (pos >= from) {
                dst[dstOffset + written++] = token;
            }
            pos++;
            if (pos % BLOCK == 0) {
                rng = new SplittableRandom(seed ^ ((pos / BLOCK) * 0x9E3779B97F4A7C15L));
                token = rng.nextInt(vocab);
            } else {
                int[] next = successors[token];
                token = next[rng.nextInt(next.length)];
            }
        }
    }
}
